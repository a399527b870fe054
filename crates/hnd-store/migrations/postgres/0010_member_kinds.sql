-- Women and ethnic-minority members beside every maintained count
-- (PostgreSQL): see the SQLite migration of the same name.

CREATE VIEW member_kinds AS
SELECT id AS member_id,
       CASE WHEN sex = 'female' THEN 1 ELSE 0 END::BIGINT AS w,
       CASE WHEN ethnicity <> '01' THEN 1 ELSE 0 END::BIGINT AS m
FROM members;

ALTER TABLE province_member_deltas ADD COLUMN women BIGINT NOT NULL DEFAULT 0;
ALTER TABLE province_member_deltas ADD COLUMN minority BIGINT NOT NULL DEFAULT 0;
ALTER TABLE unit_member_deltas ADD COLUMN women BIGINT NOT NULL DEFAULT 0;
ALTER TABLE unit_member_deltas ADD COLUMN minority BIGINT NOT NULL DEFAULT 0;
ALTER TABLE unit_member_totals ADD COLUMN women BIGINT NOT NULL DEFAULT 0;
ALTER TABLE unit_member_totals ADD COLUMN minority BIGINT NOT NULL DEFAULT 0;

ALTER TABLE unit_member_deltas DISABLE TRIGGER unit_member_deltas_total;

UPDATE unit_member_deltas d SET women = x.w, minority = x.m FROM (
    SELECT unit_id, day, SUM(w) AS w, SUM(m) AS m FROM (
        SELECT ms.unit_id, ms.valid_from AS day, k.w, k.m
            FROM memberships ms JOIN member_kinds k ON k.member_id = ms.member_id
        UNION ALL
        SELECT ms.unit_id, ms.valid_to, -k.w, -k.m
            FROM memberships ms JOIN member_kinds k ON k.member_id = ms.member_id WHERE ms.valid_to <> '9999-12-31'
    ) s GROUP BY unit_id, day
) x WHERE x.unit_id = d.unit_id AND x.day = d.day;
UPDATE province_member_deltas d SET women = x.w, minority = x.m FROM (
    SELECT province_code, day, SUM(w) AS w, SUM(m) AS m FROM (
        SELECT ms.province_code, ms.valid_from AS day, k.w, k.m
            FROM memberships ms JOIN member_kinds k ON k.member_id = ms.member_id
        UNION ALL
        SELECT ms.province_code, ms.valid_to, -k.w, -k.m
            FROM memberships ms JOIN member_kinds k ON k.member_id = ms.member_id WHERE ms.valid_to <> '9999-12-31'
    ) s GROUP BY province_code, day
) x WHERE x.province_code = d.province_code AND x.day = d.day;
UPDATE unit_member_totals t SET women = x.w, minority = x.m FROM (
    SELECT unit_id, SUM(women) AS w, SUM(minority) AS m FROM unit_member_deltas GROUP BY unit_id
) x WHERE x.unit_id = t.unit_id;

ALTER TABLE unit_member_deltas ENABLE TRIGGER unit_member_deltas_total;

CREATE OR REPLACE FUNCTION hnd_unit_member_total() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO unit_member_totals (unit_id, province_code, n, women, minority)
            VALUES (NEW.unit_id, NEW.province_code, NEW.delta, NEW.women, NEW.minority)
            ON CONFLICT (unit_id) DO UPDATE SET n = unit_member_totals.n + excluded.n,
                women = unit_member_totals.women + excluded.women, minority = unit_member_totals.minority + excluded.minority;
    ELSIF (NEW.delta, NEW.women, NEW.minority) IS DISTINCT FROM (OLD.delta, OLD.women, OLD.minority) THEN
        UPDATE unit_member_totals SET n = n + NEW.delta - OLD.delta, women = women + NEW.women - OLD.women,
            minority = minority + NEW.minority - OLD.minority
        WHERE unit_id = NEW.unit_id;
    END IF;
    RETURN NULL;
END $$;

-- One interval's contribution (sign +1) or its taking back (-1), with the
-- member's marks.
CREATE FUNCTION hnd_count_interval(unit BIGINT, province TEXT, from_day TEXT, to_day TEXT, sign BIGINT, w BIGINT, m BIGINT)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO province_member_deltas (province_code, day, delta, women, minority) VALUES (province, from_day, sign, sign * w, sign * m)
        ON CONFLICT (province_code, day) DO UPDATE SET delta = province_member_deltas.delta + sign,
            women = province_member_deltas.women + sign * w, minority = province_member_deltas.minority + sign * m;
    INSERT INTO unit_member_deltas (unit_id, day, province_code, delta, women, minority) VALUES (unit, from_day, province, sign, sign * w, sign * m)
        ON CONFLICT (unit_id, day) DO UPDATE SET delta = unit_member_deltas.delta + sign,
            women = unit_member_deltas.women + sign * w, minority = unit_member_deltas.minority + sign * m;
    IF to_day <> '9999-12-31' THEN
        INSERT INTO province_member_deltas (province_code, day, delta, women, minority) VALUES (province, to_day, -sign, -sign * w, -sign * m)
            ON CONFLICT (province_code, day) DO UPDATE SET delta = province_member_deltas.delta - sign,
                women = province_member_deltas.women - sign * w, minority = province_member_deltas.minority - sign * m;
        INSERT INTO unit_member_deltas (unit_id, day, province_code, delta, women, minority) VALUES (unit, to_day, province, -sign, -sign * w, -sign * m)
            ON CONFLICT (unit_id, day) DO UPDATE SET delta = unit_member_deltas.delta - sign,
                women = unit_member_deltas.women - sign * w, minority = unit_member_deltas.minority - sign * m;
    END IF;
END $$;

CREATE OR REPLACE FUNCTION hnd_memberships_count() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    w BIGINT;
    m BIGINT;
BEGIN
    IF TG_OP = 'INSERT' AND EXISTS (SELECT 1 FROM bulk_load) THEN
        RETURN NULL;
    END IF;
    SELECT k.w, k.m INTO w, m FROM member_kinds k WHERE k.member_id = NEW.member_id;
    IF TG_OP = 'UPDATE' THEN
        PERFORM hnd_count_interval(OLD.unit_id, OLD.province_code, OLD.valid_from, OLD.valid_to, -1, w, m);
    END IF;
    PERFORM hnd_count_interval(NEW.unit_id, NEW.province_code, NEW.valid_from, NEW.valid_to, 1, w, m);
    RETURN NULL;
END $$;

DROP FUNCTION hnd_count_interval(BIGINT, TEXT, TEXT, TEXT, BIGINT);

-- A member's sex or ethnicity corrected: every interval of theirs moves
-- from one side of the count to the other.
CREATE FUNCTION hnd_members_kind() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    dw BIGINT := (CASE WHEN NEW.sex = 'female' THEN 1 ELSE 0 END) - (CASE WHEN OLD.sex = 'female' THEN 1 ELSE 0 END);
    dm BIGINT := (CASE WHEN NEW.ethnicity <> '01' THEN 1 ELSE 0 END) - (CASE WHEN OLD.ethnicity <> '01' THEN 1 ELSE 0 END);
    ms RECORD;
BEGIN
    IF dw = 0 AND dm = 0 THEN
        RETURN NULL;
    END IF;
    FOR ms IN SELECT unit_id, province_code, valid_from, valid_to FROM memberships WHERE member_id = NEW.id LOOP
        -- The interval's own rows exist (it was counted in them): move its marks.
        UPDATE unit_member_deltas SET women = women + dw, minority = minority + dm WHERE unit_id = ms.unit_id AND day = ms.valid_from;
        UPDATE province_member_deltas SET women = women + dw, minority = minority + dm WHERE province_code = ms.province_code AND day = ms.valid_from;
        IF ms.valid_to <> '9999-12-31' THEN
            UPDATE unit_member_deltas SET women = women - dw, minority = minority - dm WHERE unit_id = ms.unit_id AND day = ms.valid_to;
            UPDATE province_member_deltas SET women = women - dw, minority = minority - dm WHERE province_code = ms.province_code AND day = ms.valid_to;
        END IF;
    END LOOP;
    RETURN NULL;
END $$;

CREATE TRIGGER members_kind AFTER UPDATE OF sex, ethnicity ON members
FOR EACH ROW EXECUTE FUNCTION hnd_members_kind();
