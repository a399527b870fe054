-- Task follow-up (SQLite): the bodies tasks are given to, status notes,
-- attached files, and accounts that act for a body outside the Union.

-- A task may now also be under way.
CREATE TABLE tasks_new (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans(id),
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    directing TEXT NOT NULL DEFAULT '',
    lead TEXT NOT NULL DEFAULT '',
    coordinating TEXT NOT NULL DEFAULT '',
    deadline TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'done')),
    done_on TEXT
);
INSERT INTO tasks_new SELECT id, plan_id, position, title, directing, lead, coordinating, deadline, status, done_on FROM tasks;
DROP TABLE tasks;
ALTER TABLE tasks_new RENAME TO tasks;
CREATE INDEX tasks_plan ON tasks (plan_id, position);

-- A body a task names as lead or coordinator: a unit of the Union or an
-- outside body (Sở Nông nghiệp, UBND tỉnh, Ban Dân vận…), by its name as
-- plans write it; name_key is the name folded (no marks, lower case,
-- single spaces), so "Sở Tư pháp" and "sở tư  pháp" are one body.
CREATE TABLE bodies (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE
);
CREATE TABLE task_bodies (
    task_id INTEGER NOT NULL REFERENCES tasks(id),
    body_id INTEGER NOT NULL REFERENCES bodies(id),
    role TEXT NOT NULL CHECK (role IN ('lead', 'coordinating')),
    PRIMARY KEY (task_id, body_id)
);
CREATE INDEX task_bodies_body ON task_bodies (body_id);

-- Progress notes: who wrote what, when, and the status it left. Append-only.
CREATE TABLE task_notes (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES tasks(id),
    status TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'done')),
    note TEXT NOT NULL,
    author TEXT NOT NULL,
    written_at TEXT NOT NULL
);
CREATE INDEX task_notes_task ON task_notes (task_id, id);
CREATE TRIGGER task_notes_append_only_u BEFORE UPDATE ON task_notes
BEGIN SELECT RAISE(ABORT, 'task_notes is append-only'); END;
CREATE TRIGGER task_notes_append_only_d BEFORE DELETE ON task_notes
BEGIN SELECT RAISE(ABORT, 'task_notes is append-only'); END;

-- Files attached to a note (reports, minutes, photos), kept in the database
-- so a backup of the database is a backup of everything.
CREATE TABLE task_files (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES tasks(id),
    note_id INTEGER NOT NULL REFERENCES task_notes(id),
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    content BLOB NOT NULL
);
CREATE INDEX task_files_task ON task_files (task_id);

-- An account acting for an outside body sees and reports on that body's tasks only.
ALTER TABLE users ADD COLUMN body_id INTEGER REFERENCES bodies(id);
