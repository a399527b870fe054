-- Bulk loads keep the maintained counts themselves, one row per unit and
-- day for a whole chunk, instead of a trigger per member (SQLite). A load
-- marks its own transaction with a row in bulk_load, which no other
-- transaction sees; the triggers stand aside while it is there.

CREATE TABLE bulk_load (marker INTEGER NOT NULL);

DROP TRIGGER memberships_count_insert;
CREATE TRIGGER memberships_count_insert AFTER INSERT ON memberships
WHEN NOT EXISTS (SELECT 1 FROM bulk_load) BEGIN
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

DROP TRIGGER member_events_count;
CREATE TRIGGER member_events_count AFTER INSERT ON member_events
WHEN NEW.kind IN ('admit', 'remove', 'death') AND NOT EXISTS (SELECT 1 FROM bulk_load) BEGIN
    INSERT INTO province_event_counts (province_code, kind, day, n) VALUES (NEW.province_code, NEW.kind, NEW.effective_date, 1)
        ON CONFLICT (province_code, kind, day) DO UPDATE SET n = n + 1;
    INSERT INTO unit_event_counts (unit_id, kind, day, province_code, n)
        SELECT NEW.unit_id, NEW.kind, NEW.effective_date, NEW.province_code, 1 WHERE NEW.unit_id IS NOT NULL
        ON CONFLICT (unit_id, kind, day) DO UPDATE SET n = n + 1;
END;
