-- Tasks owned by a unit and given to units below, the bodies each
-- province's plans name, and periods whose figures are locked (SQLite).

-- The unit that owns a task: the plan's unit, or a unit below it. A task
-- given to a unit below is a copy of its origin (origin_id: the plan's own
-- task), which that unit reports on; a unit holds one copy of a task.
ALTER TABLE tasks ADD COLUMN unit_id INTEGER REFERENCES units(id);
ALTER TABLE tasks ADD COLUMN origin_id INTEGER REFERENCES tasks(id);
UPDATE tasks SET unit_id = (SELECT p.unit_id FROM plans p WHERE p.id = tasks.plan_id);
CREATE UNIQUE INDEX tasks_copies ON tasks (origin_id, unit_id);
CREATE INDEX tasks_unit ON tasks (unit_id);

-- The bodies a province's plans name ('TW' for the centre's), offered to
-- its users when they write a task; naming a new body adds it.
CREATE TABLE province_bodies (
    province_code TEXT NOT NULL,
    body_id INTEGER NOT NULL REFERENCES bodies(id),
    PRIMARY KEY (province_code, body_id)
);
INSERT INTO province_bodies (province_code, body_id)
SELECT DISTINCT COALESCE(p.province_code, 'TW'), tb.body_id
FROM task_bodies tb JOIN tasks t ON t.id = tb.task_id JOIN plans p ON p.id = t.plan_id;

-- A unit's figures for a period, locked once the period's report is
-- approved: no figure of the unit or of a unit below it for that period
-- is entered or changed while the row stands.
CREATE TABLE period_locks (
    unit_id INTEGER NOT NULL REFERENCES units(id),
    period TEXT NOT NULL,
    locked_by TEXT NOT NULL,
    locked_at TEXT NOT NULL,
    PRIMARY KEY (unit_id, period)
);
