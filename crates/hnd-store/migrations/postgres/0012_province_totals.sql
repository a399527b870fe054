-- Members of each province at the end of time (PostgreSQL): see the
-- SQLite migration of the same name.

CREATE TABLE province_member_totals (
    province_code TEXT PRIMARY KEY,
    n BIGINT NOT NULL,
    women BIGINT NOT NULL,
    minority BIGINT NOT NULL
);

INSERT INTO province_member_totals (province_code, n, women, minority)
SELECT province_code, SUM(delta), SUM(women), SUM(minority) FROM province_member_deltas GROUP BY province_code;

CREATE FUNCTION hnd_province_member_total() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
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

CREATE TRIGGER province_member_deltas_total AFTER INSERT OR UPDATE ON province_member_deltas
FOR EACH ROW EXECUTE FUNCTION hnd_province_member_total();
