-- Cards re-issued (cấp lại thẻ) per unit and day beside admissions,
-- removals and deaths (PostgreSQL): see the SQLite migration of the same name.

INSERT INTO unit_event_counts (unit_id, kind, day, province_code, n)
SELECT unit_id, kind, effective_date, MIN(province_code), COUNT(*) FROM member_events
WHERE kind = 'card_reissue' AND unit_id IS NOT NULL GROUP BY unit_id, kind, effective_date;
INSERT INTO province_event_counts (province_code, kind, day, n)
SELECT province_code, kind, effective_date, COUNT(*) FROM member_events
WHERE kind = 'card_reissue' GROUP BY province_code, kind, effective_date;

CREATE OR REPLACE FUNCTION hnd_member_events_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.kind IN ('admit', 'remove', 'death', 'card_reissue') AND NOT EXISTS (SELECT 1 FROM bulk_load) THEN
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
