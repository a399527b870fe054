-- Maintained event counts and entered figures (PostgreSQL): see the SQLite
-- migration of the same name.

CREATE TABLE unit_event_counts (
    unit_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    day TEXT NOT NULL,
    province_code TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (unit_id, kind, day)
);
CREATE TABLE province_event_counts (
    province_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    day TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (province_code, kind, day)
);

INSERT INTO unit_event_counts (unit_id, kind, day, province_code, n)
SELECT unit_id, kind, effective_date, MIN(province_code), COUNT(*) FROM member_events
WHERE kind IN ('admit', 'remove', 'death') AND unit_id IS NOT NULL GROUP BY unit_id, kind, effective_date;
INSERT INTO province_event_counts (province_code, kind, day, n)
SELECT province_code, kind, effective_date, COUNT(*) FROM member_events
WHERE kind IN ('admit', 'remove', 'death') GROUP BY province_code, kind, effective_date;

CREATE FUNCTION hnd_member_events_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.kind IN ('admit', 'remove', 'death') THEN
        INSERT INTO province_event_counts (province_code, kind, day, n) VALUES (NEW.province_code, NEW.kind, NEW.effective_date, 1)
            ON CONFLICT (province_code, kind, day) DO UPDATE SET n = province_event_counts.n + 1;
        IF NEW.unit_id IS NOT NULL THEN
            INSERT INTO unit_event_counts (unit_id, kind, day, province_code, n)
                VALUES (NEW.unit_id, NEW.kind, NEW.effective_date, NEW.province_code, 1)
                ON CONFLICT (unit_id, kind, day) DO UPDATE SET n = unit_event_counts.n + 1;
        END IF;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER member_events_count AFTER INSERT ON member_events
FOR EACH ROW EXECUTE FUNCTION hnd_member_events_count();

CREATE TABLE indicator_values (
    unit_id BIGINT NOT NULL REFERENCES units(id),
    province_code TEXT,
    indicator TEXT NOT NULL,
    period TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    PRIMARY KEY (unit_id, indicator, period)
);
CREATE INDEX indicator_values_province ON indicator_values (province_code, period, indicator);
