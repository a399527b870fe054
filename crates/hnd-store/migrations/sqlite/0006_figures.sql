-- Maintained event counts and entered figures (SQLite).

-- Admissions, departures and deaths per unit and per province and day,
-- kept by a trigger on the (append-only) member event log.
CREATE TABLE unit_event_counts (
    unit_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    day TEXT NOT NULL,
    province_code TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (unit_id, kind, day)
);
CREATE TABLE province_event_counts (
    province_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    day TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (province_code, kind, day)
);

INSERT INTO unit_event_counts (unit_id, kind, day, province_code, n)
SELECT unit_id, kind, effective_date, MIN(province_code), COUNT(*) FROM member_events
WHERE kind IN ('admit', 'remove', 'death') AND unit_id IS NOT NULL GROUP BY unit_id, kind, effective_date;
INSERT INTO province_event_counts (province_code, kind, day, n)
SELECT province_code, kind, effective_date, COUNT(*) FROM member_events
WHERE kind IN ('admit', 'remove', 'death') GROUP BY province_code, kind, effective_date;

CREATE TRIGGER member_events_count AFTER INSERT ON member_events
WHEN NEW.kind IN ('admit', 'remove', 'death') BEGIN
    INSERT INTO province_event_counts (province_code, kind, day, n) VALUES (NEW.province_code, NEW.kind, NEW.effective_date, 1)
        ON CONFLICT (province_code, kind, day) DO UPDATE SET n = n + 1;
    INSERT INTO unit_event_counts (unit_id, kind, day, province_code, n)
        SELECT NEW.unit_id, NEW.kind, NEW.effective_date, NEW.province_code, 1 WHERE NEW.unit_id IS NOT NULL
        ON CONFLICT (unit_id, kind, day) DO UPDATE SET n = n + 1;
END;

-- Figures the register cannot know, typed per unit, indicator and period
-- (a period code: 2026, 2026-Q2, 2026-H1, 2026-9M, 2026-03).
CREATE TABLE indicator_values (
    unit_id INTEGER NOT NULL REFERENCES units(id),
    province_code TEXT,
    indicator TEXT NOT NULL,
    period TEXT NOT NULL,
    value REAL NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    PRIMARY KEY (unit_id, indicator, period)
);
CREATE INDEX indicator_values_province ON indicator_values (province_code, period, indicator);
