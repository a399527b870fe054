-- Organisation tree with history (SQLite).
-- Dates are ISO text 'YYYY-MM-DD'; intervals are half-open [valid_from, valid_to),
-- an open end is '9999-12-31'.

-- One row, bumped first by every tree write: it serialises tree edits and
-- hands out unit ids.
CREATE TABLE org_clock (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL
);
INSERT INTO org_clock (id, seq) VALUES (1, 0);

-- Append-only log of tree operations.
CREATE TABLE org_events (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    effective_date TEXT NOT NULL,
    author TEXT NOT NULL,
    reason TEXT NOT NULL,
    details TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

-- A unit's identity and lifetime; what changes over time is in unit_versions.
CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('central','province','district','base','branch','group')),
    kind TEXT CHECK (kind IN ('residential','professional')),
    trade TEXT,
    admin_commune TEXT,
    -- The founding date people record (ngày thành lập); it may precede
    -- valid_from, the day the unit entered this tree.
    founded_on TEXT,
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL DEFAULT '9999-12-31',
    created_by INTEGER NOT NULL REFERENCES org_events(id),
    ended_by INTEGER REFERENCES org_events(id),
    CHECK (valid_from <= valid_to)
);
CREATE INDEX units_code ON units (code, valid_from);

-- Name, parent and place in the tree of a unit over an interval.
-- path is the materialised path of unit ids, '/1/52/7730/': the
-- descendants of P are the rows with path in (P, P-without-last-slash || '0').
CREATE TABLE unit_versions (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    code TEXT NOT NULL,
    level TEXT NOT NULL,
    name TEXT NOT NULL,
    parent_id INTEGER REFERENCES units(id),
    path TEXT NOT NULL,
    province_code TEXT,
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL DEFAULT '9999-12-31',
    created_by INTEGER NOT NULL REFERENCES org_events(id),
    ended_by INTEGER REFERENCES org_events(id),
    CHECK (valid_from <= valid_to)
);
CREATE INDEX unit_versions_unit ON unit_versions (unit_id, valid_from);
CREATE INDEX unit_versions_code ON unit_versions (code, valid_from);
CREATE INDEX unit_versions_parent ON unit_versions (parent_id, valid_from);
CREATE INDEX unit_versions_path ON unit_versions (path, valid_from, valid_to, level);

-- What each unit came from and what it became.
CREATE TABLE unit_lineage (
    from_unit INTEGER NOT NULL REFERENCES units(id),
    to_unit INTEGER NOT NULL REFERENCES units(id),
    event_id INTEGER NOT NULL REFERENCES org_events(id),
    effective_date TEXT NOT NULL,
    share TEXT NOT NULL CHECK (share IN ('whole','part')),
    PRIMARY KEY (from_unit, to_unit, event_id)
);
CREATE INDEX unit_lineage_to ON unit_lineage (to_unit);

-- The log and the lineage are append-only; a version may only be closed.
CREATE TRIGGER org_events_append_only_u BEFORE UPDATE ON org_events
BEGIN SELECT RAISE(ABORT, 'org_events is append-only'); END;
CREATE TRIGGER org_events_append_only_d BEFORE DELETE ON org_events
BEGIN SELECT RAISE(ABORT, 'org_events is append-only'); END;
CREATE TRIGGER unit_lineage_append_only_u BEFORE UPDATE ON unit_lineage
BEGIN SELECT RAISE(ABORT, 'unit_lineage is append-only'); END;
CREATE TRIGGER unit_lineage_append_only_d BEFORE DELETE ON unit_lineage
BEGIN SELECT RAISE(ABORT, 'unit_lineage is append-only'); END;
CREATE TRIGGER unit_versions_close_only BEFORE UPDATE ON unit_versions
WHEN OLD.valid_to <> '9999-12-31'
  OR NEW.unit_id <> OLD.unit_id OR NEW.name <> OLD.name OR NEW.path <> OLD.path
  OR NEW.parent_id IS NOT OLD.parent_id OR NEW.valid_from <> OLD.valid_from
BEGIN SELECT RAISE(ABORT, 'unit_versions may only be closed'); END;
CREATE TRIGGER unit_versions_no_delete BEFORE DELETE ON unit_versions
BEGIN SELECT RAISE(ABORT, 'unit_versions is append-only'); END;
