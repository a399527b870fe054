-- Members of each province at the end of time, with its women and
-- ethnic-minority members (SQLite): the provinces' counterpart of
-- unit_member_totals, so the national figures on a recent day read 34
-- rows and the few changes dated after it.

CREATE TABLE province_member_totals (
    province_code TEXT PRIMARY KEY,
    n INTEGER NOT NULL,
    women INTEGER NOT NULL,
    minority INTEGER NOT NULL
);

INSERT INTO province_member_totals (province_code, n, women, minority)
SELECT province_code, SUM(delta), SUM(women), SUM(minority) FROM province_member_deltas GROUP BY province_code;

CREATE TRIGGER province_member_deltas_total_insert AFTER INSERT ON province_member_deltas BEGIN
    INSERT INTO province_member_totals (province_code, n, women, minority)
        VALUES (NEW.province_code, NEW.delta, NEW.women, NEW.minority)
        ON CONFLICT (province_code) DO UPDATE SET n = n + excluded.n, women = women + excluded.women,
            minority = minority + excluded.minority;
END;

CREATE TRIGGER province_member_deltas_total_update AFTER UPDATE ON province_member_deltas BEGIN
    UPDATE province_member_totals SET n = n + NEW.delta - OLD.delta, women = women + NEW.women - OLD.women,
        minority = minority + NEW.minority - OLD.minority
    WHERE province_code = NEW.province_code;
END;
