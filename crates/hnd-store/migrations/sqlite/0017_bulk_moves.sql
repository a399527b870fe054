-- A change of province moves many members' intervals at once (the 2025
-- merger: about half the register). Such a change keeps the maintained
-- counts itself, one row per province, like a bulk load: the trigger on
-- changed intervals stands aside while the bulk_load marker is there.

DROP TRIGGER memberships_count_update;
CREATE TRIGGER memberships_count_update AFTER UPDATE ON memberships
WHEN NOT EXISTS (SELECT 1 FROM bulk_load) BEGIN
    INSERT INTO province_member_deltas (province_code, day, delta, women, minority)
        SELECT OLD.province_code, OLD.valid_from, -1, -w, -m FROM member_kinds WHERE member_id = OLD.member_id
        ON CONFLICT (province_code, day) DO UPDATE SET delta = delta + excluded.delta, women = women + excluded.women, minority = minority + excluded.minority;
    INSERT INTO unit_member_deltas (unit_id, day, province_code, delta, women, minority)
        SELECT OLD.unit_id, OLD.valid_from, OLD.province_code, -1, -w, -m FROM member_kinds WHERE member_id = OLD.member_id
        ON CONFLICT (unit_id, day) DO UPDATE SET delta = delta + excluded.delta, women = women + excluded.women, minority = minority + excluded.minority;
    INSERT INTO province_member_deltas (province_code, day, delta, women, minority)
        SELECT OLD.province_code, OLD.valid_to, 1, w, m FROM member_kinds WHERE member_id = OLD.member_id AND OLD.valid_to <> '9999-12-31'
        ON CONFLICT (province_code, day) DO UPDATE SET delta = delta + excluded.delta, women = women + excluded.women, minority = minority + excluded.minority;
    INSERT INTO unit_member_deltas (unit_id, day, province_code, delta, women, minority)
        SELECT OLD.unit_id, OLD.valid_to, OLD.province_code, 1, w, m FROM member_kinds WHERE member_id = OLD.member_id AND OLD.valid_to <> '9999-12-31'
        ON CONFLICT (unit_id, day) DO UPDATE SET delta = delta + excluded.delta, women = women + excluded.women, minority = minority + excluded.minority;
    INSERT INTO province_member_deltas (province_code, day, delta, women, minority)
        SELECT NEW.province_code, NEW.valid_from, 1, w, m FROM member_kinds WHERE member_id = NEW.member_id
        ON CONFLICT (province_code, day) DO UPDATE SET delta = delta + excluded.delta, women = women + excluded.women, minority = minority + excluded.minority;
    INSERT INTO unit_member_deltas (unit_id, day, province_code, delta, women, minority)
        SELECT NEW.unit_id, NEW.valid_from, NEW.province_code, 1, w, m FROM member_kinds WHERE member_id = NEW.member_id
        ON CONFLICT (unit_id, day) DO UPDATE SET delta = delta + excluded.delta, women = women + excluded.women, minority = minority + excluded.minority;
    INSERT INTO province_member_deltas (province_code, day, delta, women, minority)
        SELECT NEW.province_code, NEW.valid_to, -1, -w, -m FROM member_kinds WHERE member_id = NEW.member_id AND NEW.valid_to <> '9999-12-31'
        ON CONFLICT (province_code, day) DO UPDATE SET delta = delta + excluded.delta, women = women + excluded.women, minority = minority + excluded.minority;
    INSERT INTO unit_member_deltas (unit_id, day, province_code, delta, women, minority)
        SELECT NEW.unit_id, NEW.valid_to, NEW.province_code, -1, -w, -m FROM member_kinds WHERE member_id = NEW.member_id AND NEW.valid_to <> '9999-12-31'
        ON CONFLICT (unit_id, day) DO UPDATE SET delta = delta + excluded.delta, women = women + excluded.women, minority = minority + excluded.minority;
END;
