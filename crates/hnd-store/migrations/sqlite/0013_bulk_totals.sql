-- Bulk loads keep the unit and province totals themselves, one row per
-- unit and province for a whole chunk, as they already do the deltas
-- (SQLite): the totals' triggers stand aside while the load's marker row
-- is there, instead of firing once per summed delta row.

DROP TRIGGER unit_member_deltas_total_insert;
DROP TRIGGER unit_member_deltas_total_update;
DROP TRIGGER province_member_deltas_total_insert;
DROP TRIGGER province_member_deltas_total_update;

CREATE TRIGGER unit_member_deltas_total_insert AFTER INSERT ON unit_member_deltas
WHEN NOT EXISTS (SELECT 1 FROM bulk_load) BEGIN
    INSERT INTO unit_member_totals (unit_id, province_code, n, women, minority)
        VALUES (NEW.unit_id, NEW.province_code, NEW.delta, NEW.women, NEW.minority)
        ON CONFLICT (unit_id) DO UPDATE SET n = n + excluded.n, women = women + excluded.women, minority = minority + excluded.minority;
END;

CREATE TRIGGER unit_member_deltas_total_update AFTER UPDATE ON unit_member_deltas
WHEN NOT EXISTS (SELECT 1 FROM bulk_load) BEGIN
    UPDATE unit_member_totals SET n = n + NEW.delta - OLD.delta, women = women + NEW.women - OLD.women,
        minority = minority + NEW.minority - OLD.minority
    WHERE unit_id = NEW.unit_id;
END;

CREATE TRIGGER province_member_deltas_total_insert AFTER INSERT ON province_member_deltas
WHEN NOT EXISTS (SELECT 1 FROM bulk_load) BEGIN
    INSERT INTO province_member_totals (province_code, n, women, minority)
        VALUES (NEW.province_code, NEW.delta, NEW.women, NEW.minority)
        ON CONFLICT (province_code) DO UPDATE SET n = n + excluded.n, women = women + excluded.women,
            minority = minority + excluded.minority;
END;

CREATE TRIGGER province_member_deltas_total_update AFTER UPDATE ON province_member_deltas
WHEN NOT EXISTS (SELECT 1 FROM bulk_load) BEGIN
    UPDATE province_member_totals SET n = n + NEW.delta - OLD.delta, women = women + NEW.women - OLD.women,
        minority = minority + NEW.minority - OLD.minority
    WHERE province_code = NEW.province_code;
END;
