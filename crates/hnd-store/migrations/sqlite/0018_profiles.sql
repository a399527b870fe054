-- Member profiles (SQLite): what the register holds about a member beyond
-- the lean `members` row that bulk loads and searches read. One row of
-- scalar fields per member, and one table per kind of entry that repeats
-- (positions held, titles and awards, yearly ratings), each with the
-- province like every large table. Closed lists are stored by code and
-- checked here as well as in the domain; yes/no is 0/1 on both engines.

CREATE TABLE member_profiles (
    member_id INTEGER PRIMARY KEY REFERENCES members(id),
    province_code TEXT NOT NULL,
    cccd_issued_on TEXT,
    current_address TEXT,
    occupation TEXT CHECK (occupation IN
        ('crop','livestock','aquaculture','forestry','services','wage','civil','retired','other')),
    produce TEXT,
    farm_area_m2 INTEGER CHECK (farm_area_m2 >= 0),
    herd_size INTEGER CHECK (herd_size >= 0),
    general_grade TEXT,
    vocational TEXT CHECK (vocational IN
        ('none','elementary','intermediate','college','university','postgraduate')),
    political_theory TEXT CHECK (political_theory IN ('none','elementary','intermediate','advanced')),
    card_issued_on TEXT,
    residential INTEGER NOT NULL DEFAULT 1 CHECK (residential IN (0, 1)),
    professional INTEGER NOT NULL DEFAULT 0 CHECK (professional IN (0, 1)),
    member_type TEXT NOT NULL DEFAULT 'regular' CHECK (member_type IN ('regular','honorary')),
    core_member INTEGER NOT NULL DEFAULT 0 CHECK (core_member IN (0, 1)),
    party_member INTEGER NOT NULL DEFAULT 0 CHECK (party_member IN (0, 1)),
    party_joined_on TEXT,
    party_official_on TEXT,
    -- NULL: not known.
    bhyt INTEGER CHECK (bhyt IN (0, 1)),
    bhyt_number TEXT,
    bhyt_expires_on TEXT,
    bhxh INTEGER CHECK (bhxh IN (0, 1)),
    bhxh_number TEXT,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (residential = 1 OR professional = 1)
);

-- Positions held in the Union (chi hội trưởng, cán bộ chuyên trách, ủy viên BCH…).
CREATE TABLE member_roles (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    province_code TEXT NOT NULL,
    position TEXT NOT NULL CHECK (position IN
        ('branch_head','branch_deputy','group_head','group_deputy','full_time','executive','standing')),
    unit_id INTEGER REFERENCES units(id),
    from_on TEXT NOT NULL,
    to_on TEXT,
    CHECK (to_on IS NULL OR to_on >= from_on)
);
CREATE INDEX member_roles_member ON member_roles (member_id);

-- Titles and awards by year and level.
CREATE TABLE member_titles (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    province_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('commune','district','province','central')),
    kind TEXT NOT NULL CHECK (kind IN ('excellent_farmer','certificate','merit','other')),
    note TEXT
);
CREATE INDEX member_titles_member ON member_titles (member_id, year);

-- The yearly rating, one per member and year, and whether the member was
-- proposed to the Party that year as an outstanding member.
CREATE TABLE member_ratings (
    member_id INTEGER NOT NULL REFERENCES members(id),
    year INTEGER NOT NULL,
    province_code TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('excellent','good','done','not_done')),
    proposed_to_party INTEGER NOT NULL DEFAULT 0 CHECK (proposed_to_party IN (0, 1)),
    PRIMARY KEY (member_id, year)
);

-- The member's photo, kept in the database with everything else.
CREATE TABLE member_photos (
    member_id INTEGER PRIMARY KEY REFERENCES members(id),
    province_code TEXT NOT NULL,
    content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg','image/png')),
    size INTEGER NOT NULL CHECK (size <= 2097152),
    content BLOB NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL
);
