-- Women and ethnic-minority members beside every maintained count
-- (SQLite), so "Hội viên nữ" and "Hội viên dân tộc thiểu số" come from
-- the register like the members themselves: each delta row and each
-- unit's total carry how many of its members are women and how many
-- belong to a group other than Kinh (code 01 of the official list of 54).

-- A member's two marks, 1 or 0; a member with no ethnicity recorded
-- counts as neither minority nor Kinh's opposite: 0.
CREATE VIEW member_kinds AS
SELECT id AS member_id,
       CASE WHEN sex = 'female' THEN 1 ELSE 0 END AS w,
       CASE WHEN ethnicity <> '01' THEN 1 ELSE 0 END AS m
FROM members;

ALTER TABLE province_member_deltas ADD COLUMN women INTEGER NOT NULL DEFAULT 0;
ALTER TABLE province_member_deltas ADD COLUMN minority INTEGER NOT NULL DEFAULT 0;
ALTER TABLE unit_member_deltas ADD COLUMN women INTEGER NOT NULL DEFAULT 0;
ALTER TABLE unit_member_deltas ADD COLUMN minority INTEGER NOT NULL DEFAULT 0;
ALTER TABLE unit_member_totals ADD COLUMN women INTEGER NOT NULL DEFAULT 0;
ALTER TABLE unit_member_totals ADD COLUMN minority INTEGER NOT NULL DEFAULT 0;

DROP TRIGGER unit_member_deltas_total_insert;
DROP TRIGGER unit_member_deltas_total_update;
DROP TRIGGER memberships_count_insert;
DROP TRIGGER memberships_count_update;

UPDATE unit_member_deltas SET women = x.w, minority = x.m FROM (
    SELECT unit_id, day, SUM(w) AS w, SUM(m) AS m FROM (
        SELECT ms.unit_id, ms.province_code, ms.valid_from AS day, k.w, k.m
            FROM memberships ms JOIN member_kinds k ON k.member_id = ms.member_id
        UNION ALL
        SELECT ms.unit_id, ms.province_code, ms.valid_to, -k.w, -k.m
            FROM memberships ms JOIN member_kinds k ON k.member_id = ms.member_id WHERE ms.valid_to <> '9999-12-31'
    ) s GROUP BY unit_id, day
) AS x WHERE x.unit_id = unit_member_deltas.unit_id AND x.day = unit_member_deltas.day;
UPDATE province_member_deltas SET women = x.w, minority = x.m FROM (
    SELECT province_code, day, SUM(w) AS w, SUM(m) AS m FROM (
        SELECT ms.unit_id, ms.province_code, ms.valid_from AS day, k.w, k.m
            FROM memberships ms JOIN member_kinds k ON k.member_id = ms.member_id
        UNION ALL
        SELECT ms.unit_id, ms.province_code, ms.valid_to, -k.w, -k.m
            FROM memberships ms JOIN member_kinds k ON k.member_id = ms.member_id WHERE ms.valid_to <> '9999-12-31'
    ) s GROUP BY province_code, day
) AS x WHERE x.province_code = province_member_deltas.province_code AND x.day = province_member_deltas.day;
UPDATE unit_member_totals SET women = x.w, minority = x.m FROM (
    SELECT unit_id, SUM(women) AS w, SUM(minority) AS m FROM unit_member_deltas GROUP BY unit_id
) AS x WHERE x.unit_id = unit_member_totals.unit_id;

CREATE TRIGGER unit_member_deltas_total_insert AFTER INSERT ON unit_member_deltas BEGIN
    INSERT INTO unit_member_totals (unit_id, province_code, n, women, minority)
        VALUES (NEW.unit_id, NEW.province_code, NEW.delta, NEW.women, NEW.minority)
        ON CONFLICT (unit_id) DO UPDATE SET n = n + excluded.n, women = women + excluded.women, minority = minority + excluded.minority;
END;

CREATE TRIGGER unit_member_deltas_total_update AFTER UPDATE ON unit_member_deltas BEGIN
    UPDATE unit_member_totals SET n = n + NEW.delta - OLD.delta, women = women + NEW.women - OLD.women,
        minority = minority + NEW.minority - OLD.minority
    WHERE unit_id = NEW.unit_id;
END;

CREATE TRIGGER memberships_count_insert AFTER INSERT ON memberships
WHEN NOT EXISTS (SELECT 1 FROM bulk_load) BEGIN
    INSERT INTO province_member_deltas (province_code, day, delta, women, minority)
        SELECT NEW.province_code, NEW.valid_from, 1, w, m FROM member_kinds WHERE member_id = NEW.member_id
        ON CONFLICT (province_code, day) DO UPDATE SET delta = delta + excluded.delta, women = women + excluded.women, minority = minority + excluded.minority;
    INSERT INTO unit_member_deltas (unit_id, day, province_code, delta, women, minority)
        SELECT NEW.unit_id, NEW.valid_from, NEW.province_code, 1, w, m FROM member_kinds WHERE member_id = NEW.member_id
        ON CONFLICT (unit_id, day) DO UPDATE SET delta = delta + excluded.delta, women = women + excluded.women, minority = minority + excluded.minority;
    INSERT INTO province_member_deltas (province_code, day, delta, women, minority)
        SELECT NEW.province_code, NEW.valid_to, -1, -w, -m FROM member_kinds WHERE member_id = NEW.member_id AND NEW.valid_to <> '9999-12-31'
        ON CONFLICT (province_code, day) DO UPDATE SET delta = delta + excluded.delta, women = women + excluded.women, minority = minority + excluded.minority;
    INSERT INTO unit_member_deltas (unit_id, day, province_code, delta, women, minority)
        SELECT NEW.unit_id, NEW.valid_to, NEW.province_code, -1, -w, -m FROM member_kinds WHERE member_id = NEW.member_id AND NEW.valid_to <> '9999-12-31'
        ON CONFLICT (unit_id, day) DO UPDATE SET delta = delta + excluded.delta, women = women + excluded.women, minority = minority + excluded.minority;
END;

-- An interval changed (closed, or moved to the unit it merged into): take
-- the old one's contribution back and add the new one's.
CREATE TRIGGER memberships_count_update AFTER UPDATE ON memberships BEGIN
    INSERT INTO province_member_deltas (province_code, day, delta, women, minority)
        SELECT OLD.province_code, OLD.valid_from, -1, -w, -m FROM member_kinds WHERE member_id = OLD.member_id
        ON CONFLICT (province_code, day) DO UPDATE SET delta = delta + excluded.delta, women = women + excluded.women, minority = minority + excluded.minority;
    INSERT INTO unit_member_deltas (unit_id, day, province_code, delta, women, minority)
        SELECT OLD.unit_id, OLD.valid_from, OLD.province_code, -1, -w, -m FROM member_kinds WHERE member_id = OLD.member_id
        ON CONFLICT (unit_id, day) DO UPDATE SET delta = delta + excluded.delta, women = women + excluded.women, minority = minority + excluded.minority;
    INSERT INTO province_member_deltas (province_code, day, delta, women, minority)
        SELECT OLD.province_code, OLD.valid_to, 1, w, m FROM member_kinds WHERE member_id = OLD.member_id AND OLD.valid_to <> '9999-12-31'
        ON CONFLICT (province_code, day) DO UPDATE SET delta = delta + excluded.delta, women = women + excluded.women, minority = minority + excluded.minority;
    INSERT INTO unit_member_deltas (unit_id, day, province_code, delta, women, minority)
        SELECT OLD.unit_id, OLD.valid_to, OLD.province_code, 1, w, m FROM member_kinds WHERE member_id = OLD.member_id AND OLD.valid_to <> '9999-12-31'
        ON CONFLICT (unit_id, day) DO UPDATE SET delta = delta + excluded.delta, women = women + excluded.women, minority = minority + excluded.minority;
    INSERT INTO province_member_deltas (province_code, day, delta, women, minority)
        SELECT NEW.province_code, NEW.valid_from, 1, w, m FROM member_kinds WHERE member_id = NEW.member_id
        ON CONFLICT (province_code, day) DO UPDATE SET delta = delta + excluded.delta, women = women + excluded.women, minority = minority + excluded.minority;
    INSERT INTO unit_member_deltas (unit_id, day, province_code, delta, women, minority)
        SELECT NEW.unit_id, NEW.valid_from, NEW.province_code, 1, w, m FROM member_kinds WHERE member_id = NEW.member_id
        ON CONFLICT (unit_id, day) DO UPDATE SET delta = delta + excluded.delta, women = women + excluded.women, minority = minority + excluded.minority;
    INSERT INTO province_member_deltas (province_code, day, delta, women, minority)
        SELECT NEW.province_code, NEW.valid_to, -1, -w, -m FROM member_kinds WHERE member_id = NEW.member_id AND NEW.valid_to <> '9999-12-31'
        ON CONFLICT (province_code, day) DO UPDATE SET delta = delta + excluded.delta, women = women + excluded.women, minority = minority + excluded.minority;
    INSERT INTO unit_member_deltas (unit_id, day, province_code, delta, women, minority)
        SELECT NEW.unit_id, NEW.valid_to, NEW.province_code, -1, -w, -m FROM member_kinds WHERE member_id = NEW.member_id AND NEW.valid_to <> '9999-12-31'
        ON CONFLICT (unit_id, day) DO UPDATE SET delta = delta + excluded.delta, women = women + excluded.women, minority = minority + excluded.minority;
END;

-- A member's sex or ethnicity corrected: every interval of theirs moves
-- from one side of the count to the other, from its first day to its last.
CREATE TRIGGER members_kind_update AFTER UPDATE OF sex, ethnicity ON members
WHEN (CASE WHEN NEW.sex = 'female' THEN 1 ELSE 0 END) <> (CASE WHEN OLD.sex = 'female' THEN 1 ELSE 0 END)
  OR (CASE WHEN NEW.ethnicity <> '01' THEN 1 ELSE 0 END) <> (CASE WHEN OLD.ethnicity <> '01' THEN 1 ELSE 0 END)
BEGIN
    INSERT INTO province_member_deltas (province_code, day, delta, women, minority)
        SELECT province_code, valid_from, 0, ((CASE WHEN NEW.sex = 'female' THEN 1 ELSE 0 END) - (CASE WHEN OLD.sex = 'female' THEN 1 ELSE 0 END)), ((CASE WHEN NEW.ethnicity <> '01' THEN 1 ELSE 0 END) - (CASE WHEN OLD.ethnicity <> '01' THEN 1 ELSE 0 END)) FROM memberships WHERE member_id = NEW.id
        ON CONFLICT (province_code, day) DO UPDATE SET delta = delta + excluded.delta, women = women + excluded.women, minority = minority + excluded.minority;
    INSERT INTO unit_member_deltas (unit_id, day, province_code, delta, women, minority)
        SELECT unit_id, valid_from, province_code, 0, ((CASE WHEN NEW.sex = 'female' THEN 1 ELSE 0 END) - (CASE WHEN OLD.sex = 'female' THEN 1 ELSE 0 END)), ((CASE WHEN NEW.ethnicity <> '01' THEN 1 ELSE 0 END) - (CASE WHEN OLD.ethnicity <> '01' THEN 1 ELSE 0 END)) FROM memberships WHERE member_id = NEW.id
        ON CONFLICT (unit_id, day) DO UPDATE SET delta = delta + excluded.delta, women = women + excluded.women, minority = minority + excluded.minority;
    INSERT INTO province_member_deltas (province_code, day, delta, women, minority)
        SELECT province_code, valid_to, 0, -((CASE WHEN NEW.sex = 'female' THEN 1 ELSE 0 END) - (CASE WHEN OLD.sex = 'female' THEN 1 ELSE 0 END)), -((CASE WHEN NEW.ethnicity <> '01' THEN 1 ELSE 0 END) - (CASE WHEN OLD.ethnicity <> '01' THEN 1 ELSE 0 END)) FROM memberships WHERE member_id = NEW.id AND valid_to <> '9999-12-31'
        ON CONFLICT (province_code, day) DO UPDATE SET delta = delta + excluded.delta, women = women + excluded.women, minority = minority + excluded.minority;
    INSERT INTO unit_member_deltas (unit_id, day, province_code, delta, women, minority)
        SELECT unit_id, valid_to, province_code, 0, -((CASE WHEN NEW.sex = 'female' THEN 1 ELSE 0 END) - (CASE WHEN OLD.sex = 'female' THEN 1 ELSE 0 END)), -((CASE WHEN NEW.ethnicity <> '01' THEN 1 ELSE 0 END) - (CASE WHEN OLD.ethnicity <> '01' THEN 1 ELSE 0 END)) FROM memberships WHERE member_id = NEW.id AND valid_to <> '9999-12-31'
        ON CONFLICT (unit_id, day) DO UPDATE SET delta = delta + excluded.delta, women = women + excluded.women, minority = minority + excluded.minority;
END;
