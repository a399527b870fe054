-- Maintained member counts (PostgreSQL): see the SQLite migration of the
-- same name. Both tables carry province_code, the distribution key.

CREATE TABLE province_member_deltas (
    province_code TEXT NOT NULL,
    day TEXT NOT NULL,
    delta BIGINT NOT NULL,
    PRIMARY KEY (province_code, day)
);
CREATE TABLE unit_member_deltas (
    unit_id BIGINT NOT NULL,
    day TEXT NOT NULL,
    province_code TEXT NOT NULL,
    delta BIGINT NOT NULL,
    PRIMARY KEY (unit_id, day)
);

INSERT INTO province_member_deltas (province_code, day, delta)
SELECT province_code, day, SUM(d) FROM (
    SELECT province_code, valid_from AS day, 1 AS d FROM memberships
    UNION ALL
    SELECT province_code, valid_to, -1 FROM memberships WHERE valid_to <> '9999-12-31'
) s GROUP BY province_code, day;

INSERT INTO unit_member_deltas (unit_id, day, province_code, delta)
SELECT unit_id, day, MIN(province_code), SUM(d) FROM (
    SELECT unit_id, province_code, valid_from AS day, 1 AS d FROM memberships
    UNION ALL
    SELECT unit_id, province_code, valid_to, -1 FROM memberships WHERE valid_to <> '9999-12-31'
) s GROUP BY unit_id, day;

CREATE FUNCTION hnd_count_interval(unit BIGINT, province TEXT, from_day TEXT, to_day TEXT, sign BIGINT)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO province_member_deltas (province_code, day, delta) VALUES (province, from_day, sign)
        ON CONFLICT (province_code, day) DO UPDATE SET delta = province_member_deltas.delta + sign;
    INSERT INTO unit_member_deltas (unit_id, day, province_code, delta) VALUES (unit, from_day, province, sign)
        ON CONFLICT (unit_id, day) DO UPDATE SET delta = unit_member_deltas.delta + sign;
    IF to_day <> '9999-12-31' THEN
        INSERT INTO province_member_deltas (province_code, day, delta) VALUES (province, to_day, -sign)
            ON CONFLICT (province_code, day) DO UPDATE SET delta = province_member_deltas.delta - sign;
        INSERT INTO unit_member_deltas (unit_id, day, province_code, delta) VALUES (unit, to_day, province, -sign)
            ON CONFLICT (unit_id, day) DO UPDATE SET delta = unit_member_deltas.delta - sign;
    END IF;
END $$;

CREATE FUNCTION hnd_memberships_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        PERFORM hnd_count_interval(OLD.unit_id, OLD.province_code, OLD.valid_from, OLD.valid_to, -1);
    END IF;
    PERFORM hnd_count_interval(NEW.unit_id, NEW.province_code, NEW.valid_from, NEW.valid_to, 1);
    RETURN NULL;
END $$;

CREATE TRIGGER memberships_count AFTER INSERT OR UPDATE ON memberships
FOR EACH ROW EXECUTE FUNCTION hnd_memberships_count();
