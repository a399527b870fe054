-- Indicators users add beside the catalogue (PostgreSQL): typed per unit and
-- period, or the ratio of two known indicators.
CREATE TABLE indicators (
    code TEXT PRIMARY KEY,
    name_vi TEXT NOT NULL,
    name_en TEXT NOT NULL,
    measure TEXT NOT NULL CHECK (measure IN ('people', 'households', 'units', 'percent', 'vnd', 'count')),
    numerator TEXT,
    denominator TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CHECK ((numerator IS NULL) = (denominator IS NULL))
);
