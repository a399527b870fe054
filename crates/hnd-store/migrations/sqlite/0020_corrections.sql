-- Corrections of a member's identifying fields, each with the value it
-- replaced; kept under the member's province like the member's other rows
-- (which moves with the member: only province_code may change).
CREATE TABLE member_corrections (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    province_code TEXT NOT NULL,
    field TEXT NOT NULL CHECK (field IN ('full_name','birth','cccd','phone','village')),
    old_value TEXT,
    new_value TEXT,
    author TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX member_corrections_member ON member_corrections (member_id, id);
CREATE TRIGGER member_corrections_append_only_u BEFORE UPDATE OF member_id, field, old_value, new_value, author, recorded_at ON member_corrections
BEGIN SELECT RAISE(ABORT, 'member_corrections is append-only'); END;
CREATE TRIGGER member_corrections_append_only_d BEFORE DELETE ON member_corrections
BEGIN SELECT RAISE(ABORT, 'member_corrections is append-only'); END;
