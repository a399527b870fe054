-- Members of each unit at the end of time: the sum of all its deltas
-- (SQLite). A unit's count on day D is its total minus its deltas after
-- D, so today's figure (the dashboards' usual question) reads one row per
-- unit and the few changes dated later, however long the unit's history.
-- Kept by triggers on unit_member_deltas itself, so the membership
-- triggers and the bulk loads' summed rows both keep it.

CREATE TABLE unit_member_totals (
    unit_id INTEGER PRIMARY KEY,
    province_code TEXT NOT NULL,
    n INTEGER NOT NULL
);

INSERT INTO unit_member_totals (unit_id, province_code, n)
SELECT unit_id, MIN(province_code), SUM(delta) FROM unit_member_deltas GROUP BY unit_id;

CREATE TRIGGER unit_member_deltas_total_insert AFTER INSERT ON unit_member_deltas BEGIN
    INSERT INTO unit_member_totals (unit_id, province_code, n) VALUES (NEW.unit_id, NEW.province_code, NEW.delta)
        ON CONFLICT (unit_id) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER unit_member_deltas_total_update AFTER UPDATE OF delta ON unit_member_deltas BEGIN
    UPDATE unit_member_totals SET n = n + NEW.delta - OLD.delta WHERE unit_id = NEW.unit_id;
END;
