-- Member register (SQLite). Large tables carry province_code, the key
-- they will be distributed by on PostgreSQL/Citus.

-- Households (hộ): members of one household, its head, and its
-- category by year (poor, near-poor, policy family, other).
CREATE TABLE households (
    id INTEGER PRIMARY KEY,
    province_code TEXT NOT NULL,
    address TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE household_categories (
    household_id INTEGER NOT NULL REFERENCES households(id),
    province_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('poor','near_poor','policy','other')),
    PRIMARY KEY (household_id, year)
);

CREATE TABLE members (
    id INTEGER PRIMARY KEY,
    province_code TEXT NOT NULL,
    full_name TEXT NOT NULL,
    -- fold(full_name): lower case, no marks, đ → d; searched by prefix.
    name_folded TEXT NOT NULL,
    birth_date TEXT,
    birth_year INTEGER NOT NULL,
    sex TEXT NOT NULL CHECK (sex IN ('male','female')),
    ethnicity TEXT,
    religion TEXT,
    cccd TEXT,
    phone TEXT,
    village TEXT,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    status TEXT NOT NULL CHECK (status IN ('applicant','active','on_leave','in_transfer','removed','dead')),
    transfer_to INTEGER REFERENCES units(id),
    card_number TEXT,
    joined_on TEXT,
    -- Number of the base committee's admission decision.
    admission_decision TEXT,
    household_id INTEGER REFERENCES households(id),
    -- head, spouse, child, parent, other
    household_role TEXT CHECK (household_role IN ('head','spouse','child','parent','other')),
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX members_cccd ON members (cccd) WHERE cccd IS NOT NULL;
CREATE UNIQUE INDEX members_card ON members (card_number) WHERE card_number IS NOT NULL;
CREATE INDEX members_name ON members (province_code, name_folded);
CREATE INDEX members_phone ON members (phone) WHERE phone IS NOT NULL;
CREATE INDEX members_household ON members (household_id) WHERE household_id IS NOT NULL;
-- Members of a unit; without a CCCD, a member is known by name, birth year and unit.
CREATE INDEX members_unit ON members (unit_id, status);
CREATE INDEX members_no_cccd ON members (unit_id, name_folded) WHERE cccd IS NULL;

-- Append-only log of membership events.
CREATE TABLE member_events (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    province_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    effective_date TEXT NOT NULL,
    unit_id INTEGER REFERENCES units(id),
    decision TEXT,
    reason TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX member_events_member ON member_events (member_id, effective_date);

-- Where a member counted, derived from the events: one row per interval
-- [valid_from, valid_to) of active membership in one unit.
CREATE TABLE memberships (
    member_id INTEGER NOT NULL REFERENCES members(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    province_code TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL DEFAULT '9999-12-31',
    PRIMARY KEY (member_id, valid_from)
);
CREATE INDEX memberships_unit ON memberships (unit_id, valid_from, valid_to);

-- Likely duplicates found when a member is added, for a person to
-- confirm (the same person) or dismiss (two people).
CREATE TABLE member_duplicates (
    member_id INTEGER NOT NULL REFERENCES members(id),
    other_id INTEGER NOT NULL REFERENCES members(id),
    province_code TEXT NOT NULL,
    rule TEXT NOT NULL CHECK (rule IN ('name_birth','name_phone')),
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','confirmed','dismissed')),
    decided_by TEXT,
    decided_at TEXT,
    PRIMARY KEY (member_id, other_id)
);
CREATE INDEX member_duplicates_open ON member_duplicates (province_code, status);

-- Card numbers: one counter per province and year.
CREATE TABLE card_counters (
    province_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (province_code, year)
);

CREATE TRIGGER member_events_append_only_u BEFORE UPDATE ON member_events
BEGIN SELECT RAISE(ABORT, 'member_events is append-only'); END;
CREATE TRIGGER member_events_append_only_d BEFORE DELETE ON member_events
BEGIN SELECT RAISE(ABORT, 'member_events is append-only'); END;
