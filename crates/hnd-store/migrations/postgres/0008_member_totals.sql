-- Members of each unit at the end of time (PostgreSQL): see the SQLite
-- migration of the same name. Distributed by province_code with the rest.

CREATE TABLE unit_member_totals (
    unit_id BIGINT PRIMARY KEY,
    province_code TEXT NOT NULL,
    n BIGINT NOT NULL
);

INSERT INTO unit_member_totals (unit_id, province_code, n)
SELECT unit_id, MIN(province_code), SUM(delta) FROM unit_member_deltas GROUP BY unit_id;

CREATE FUNCTION hnd_unit_member_total() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO unit_member_totals (unit_id, province_code, n) VALUES (NEW.unit_id, NEW.province_code, NEW.delta)
            ON CONFLICT (unit_id) DO UPDATE SET n = unit_member_totals.n + excluded.n;
    ELSIF NEW.delta <> OLD.delta THEN
        UPDATE unit_member_totals SET n = n + NEW.delta - OLD.delta WHERE unit_id = NEW.unit_id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER unit_member_deltas_total AFTER INSERT OR UPDATE ON unit_member_deltas
FOR EACH ROW EXECUTE FUNCTION hnd_unit_member_total();
