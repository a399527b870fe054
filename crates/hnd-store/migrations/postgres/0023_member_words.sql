-- Every word of every member's folded name, for searching by any part of
-- the name ("lam", "nguyen lam", "ng la"). One row per distinct word of a
-- name, kept under the member's province (the distribution column on
-- Citus, leading every index) and carrying the folded name and birth
-- year, so a search reads a word's members in the list's order (name,
-- birth year, id) from this index alone. Written beside every write of a
-- member's name, birth year or province (members/words.rs); derived from
-- the members' rows, filled here for those already in the register.
CREATE TABLE member_words (
    province_code TEXT NOT NULL,
    word TEXT COLLATE "C" NOT NULL,
    name_folded TEXT COLLATE "C" NOT NULL,
    birth_year INTEGER NOT NULL,
    member_id BIGINT NOT NULL
);

INSERT INTO member_words (province_code, word, name_folded, birth_year, member_id)
SELECT DISTINCT m.province_code, w.word, m.name_folded, m.birth_year, m.id
FROM members m CROSS JOIN LATERAL unnest(string_to_array(m.name_folded, ' ')) AS w(word)
WHERE w.word <> '';

ALTER TABLE member_words ADD PRIMARY KEY (province_code, word, name_folded, birth_year, member_id);
-- A member's words, to rewrite them when the name, the birth year or the
-- province changes.
CREATE INDEX member_words_member ON member_words (member_id);
