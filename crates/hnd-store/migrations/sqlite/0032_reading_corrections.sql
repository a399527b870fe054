-- What reviewers taught the plan reader: a target's phrase (its clause
-- folded, figures left out) and the catalogue indicator it names, or ''
-- when the phrase is not a target. Read before each reading, written with
-- the draft plan the review made. The country's one list, small and
-- read whole: a reference table where the tables are distributed.
CREATE TABLE reading_corrections (
    phrase TEXT PRIMARY KEY,
    indicator TEXT NOT NULL,
    corrected_by TEXT NOT NULL,
    corrected_at TEXT NOT NULL
);
