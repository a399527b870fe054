-- Bulk loads keep the unit and province totals themselves (PostgreSQL):
-- see the SQLite migration of the same name.

CREATE OR REPLACE FUNCTION hnd_unit_member_total() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM bulk_load) THEN
        RETURN NULL;
    END IF;
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

CREATE OR REPLACE FUNCTION hnd_province_member_total() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM bulk_load) THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO province_member_totals (province_code, n, women, minority)
            VALUES (NEW.province_code, NEW.delta, NEW.women, NEW.minority)
            ON CONFLICT (province_code) DO UPDATE SET n = province_member_totals.n + excluded.n,
                women = province_member_totals.women + excluded.women,
                minority = province_member_totals.minority + excluded.minority;
    ELSIF (NEW.delta, NEW.women, NEW.minority) IS DISTINCT FROM (OLD.delta, OLD.women, OLD.minority) THEN
        UPDATE province_member_totals SET n = n + NEW.delta - OLD.delta, women = women + NEW.women - OLD.women,
            minority = minority + NEW.minority - OLD.minority
        WHERE province_code = NEW.province_code;
    END IF;
    RETURN NULL;
END $$;
