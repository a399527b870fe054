-- Plans, their targets for units, their tasks (SQLite).

CREATE TABLE plans (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    province_code TEXT,
    issued_on TEXT NOT NULL,
    first_year INTEGER NOT NULL,
    last_year INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- A target: an indicator, a comparator and a value, for a unit, each year of the plan.
CREATE TABLE targets (
    plan_id INTEGER NOT NULL REFERENCES plans(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    province_code TEXT,
    indicator TEXT NOT NULL,
    comparator TEXT NOT NULL CHECK (comparator IN ('>=', '<=', '=')),
    value REAL NOT NULL,
    PRIMARY KEY (plan_id, unit_id, indicator)
);

CREATE TABLE tasks (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans(id),
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    directing TEXT NOT NULL DEFAULT '',
    lead TEXT NOT NULL DEFAULT '',
    coordinating TEXT NOT NULL DEFAULT '',
    deadline TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
    done_on TEXT
);
CREATE INDEX tasks_plan ON tasks (plan_id, position);
