-- Maintained member counts (SQLite). Every membership interval
-- [valid_from, valid_to) adds +1 on valid_from and -1 on valid_to to its
-- unit and its province, by triggers, in the transaction that writes the
-- interval: a count on day D is SUM(delta) over days <= D, read from a few
-- rows instead of the member tables.

CREATE TABLE province_member_deltas (
    province_code TEXT NOT NULL,
    day TEXT NOT NULL,
    delta INTEGER NOT NULL,
    PRIMARY KEY (province_code, day)
);
CREATE TABLE unit_member_deltas (
    unit_id INTEGER NOT NULL,
    day TEXT NOT NULL,
    province_code TEXT NOT NULL,
    delta INTEGER NOT NULL,
    PRIMARY KEY (unit_id, day)
);

INSERT INTO province_member_deltas (province_code, day, delta)
SELECT province_code, day, SUM(d) FROM (
    SELECT province_code, valid_from AS day, 1 AS d FROM memberships
    UNION ALL
    SELECT province_code, valid_to, -1 FROM memberships WHERE valid_to <> '9999-12-31'
) GROUP BY province_code, day;

INSERT INTO unit_member_deltas (unit_id, day, province_code, delta)
SELECT unit_id, day, MIN(province_code), SUM(d) FROM (
    SELECT unit_id, province_code, valid_from AS day, 1 AS d FROM memberships
    UNION ALL
    SELECT unit_id, province_code, valid_to, -1 FROM memberships WHERE valid_to <> '9999-12-31'
) GROUP BY unit_id, day;

CREATE TRIGGER memberships_count_insert AFTER INSERT ON memberships BEGIN
    INSERT INTO province_member_deltas (province_code, day, delta) VALUES (NEW.province_code, NEW.valid_from, 1)
        ON CONFLICT (province_code, day) DO UPDATE SET delta = delta + 1;
    INSERT INTO unit_member_deltas (unit_id, day, province_code, delta) VALUES (NEW.unit_id, NEW.valid_from, NEW.province_code, 1)
        ON CONFLICT (unit_id, day) DO UPDATE SET delta = delta + 1;
    INSERT INTO province_member_deltas (province_code, day, delta)
        SELECT NEW.province_code, NEW.valid_to, -1 WHERE NEW.valid_to <> '9999-12-31'
        ON CONFLICT (province_code, day) DO UPDATE SET delta = delta - 1;
    INSERT INTO unit_member_deltas (unit_id, day, province_code, delta)
        SELECT NEW.unit_id, NEW.valid_to, NEW.province_code, -1 WHERE NEW.valid_to <> '9999-12-31'
        ON CONFLICT (unit_id, day) DO UPDATE SET delta = delta - 1;
END;

-- An interval changed (closed, or moved to the unit it merged into): take
-- the old one's contribution back and add the new one's.
CREATE TRIGGER memberships_count_update AFTER UPDATE ON memberships BEGIN
    INSERT INTO province_member_deltas (province_code, day, delta) VALUES (OLD.province_code, OLD.valid_from, -1)
        ON CONFLICT (province_code, day) DO UPDATE SET delta = delta - 1;
    INSERT INTO unit_member_deltas (unit_id, day, province_code, delta) VALUES (OLD.unit_id, OLD.valid_from, OLD.province_code, -1)
        ON CONFLICT (unit_id, day) DO UPDATE SET delta = delta - 1;
    INSERT INTO province_member_deltas (province_code, day, delta)
        SELECT OLD.province_code, OLD.valid_to, 1 WHERE OLD.valid_to <> '9999-12-31'
        ON CONFLICT (province_code, day) DO UPDATE SET delta = delta + 1;
    INSERT INTO unit_member_deltas (unit_id, day, province_code, delta)
        SELECT OLD.unit_id, OLD.valid_to, OLD.province_code, 1 WHERE OLD.valid_to <> '9999-12-31'
        ON CONFLICT (unit_id, day) DO UPDATE SET delta = delta + 1;
    INSERT INTO province_member_deltas (province_code, day, delta) VALUES (NEW.province_code, NEW.valid_from, 1)
        ON CONFLICT (province_code, day) DO UPDATE SET delta = delta + 1;
    INSERT INTO unit_member_deltas (unit_id, day, province_code, delta) VALUES (NEW.unit_id, NEW.valid_from, NEW.province_code, 1)
        ON CONFLICT (unit_id, day) DO UPDATE SET delta = delta + 1;
    INSERT INTO province_member_deltas (province_code, day, delta)
        SELECT NEW.province_code, NEW.valid_to, -1 WHERE NEW.valid_to <> '9999-12-31'
        ON CONFLICT (province_code, day) DO UPDATE SET delta = delta - 1;
    INSERT INTO unit_member_deltas (unit_id, day, province_code, delta)
        SELECT NEW.unit_id, NEW.valid_to, NEW.province_code, -1 WHERE NEW.valid_to <> '9999-12-31'
        ON CONFLICT (unit_id, day) DO UPDATE SET delta = delta - 1;
END;
