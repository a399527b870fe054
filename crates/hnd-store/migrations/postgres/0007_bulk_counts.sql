-- Bulk loads keep the maintained counts themselves (PostgreSQL): see the
-- SQLite migration of the same name. The marker row is never committed,
-- so no other transaction's triggers stand aside.

CREATE TABLE bulk_load (marker BIGINT NOT NULL);

CREATE OR REPLACE FUNCTION hnd_memberships_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        PERFORM hnd_count_interval(OLD.unit_id, OLD.province_code, OLD.valid_from, OLD.valid_to, -1);
    ELSIF EXISTS (SELECT 1 FROM bulk_load) THEN
        RETURN NULL;
    END IF;
    PERFORM hnd_count_interval(NEW.unit_id, NEW.province_code, NEW.valid_from, NEW.valid_to, 1);
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION hnd_member_events_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.kind IN ('admit', 'remove', 'death') AND NOT EXISTS (SELECT 1 FROM bulk_load) THEN
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
