-- Every word of every member's folded name, for searching by any part of
-- the name ("lam", "nguyen lam", "ng la"). One row per distinct word of a
-- name, kept under the member's province (the key a distributed database
-- shares rows out by) and carrying the folded name and birth year, so a
-- search reads a word's members in the list's order (name, birth year,
-- id) from this index alone. Written beside every write of a member's
-- name, birth year or province (members/words.rs); derived from the
-- members' rows, filled here for those already in the register.
CREATE TABLE member_words (
    province_code TEXT NOT NULL,
    word TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    birth_year INTEGER NOT NULL,
    member_id INTEGER NOT NULL,
    PRIMARY KEY (province_code, word, name_folded, birth_year, member_id)
) WITHOUT ROWID;

INSERT OR IGNORE INTO member_words (province_code, word, name_folded, birth_year, member_id)
WITH RECURSIVE split(id, province_code, name_folded, birth_year, word, rest) AS (
    SELECT id, province_code, name_folded, birth_year, '', name_folded || ' ' FROM members
    UNION ALL
    SELECT id, province_code, name_folded, birth_year,
           substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)
    FROM split WHERE rest <> ''
)
SELECT province_code, word, name_folded, birth_year, id FROM split WHERE word <> ''
ORDER BY 1, 2, 3, 4, 5;

-- A member's words, to rewrite them when the name, the birth year or the
-- province changes.
CREATE INDEX member_words_member ON member_words (member_id);
