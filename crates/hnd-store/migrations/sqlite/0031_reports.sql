-- Periodic reports: one unit's report for one period on one form, kept
-- under the unit's province (the distribution key). Its narrative parts
-- and the figures typed into it are JSON objects by part and figure; the
-- figures the register knows are computed when read, never stored here.
-- Each step of its workflow is a row of report_steps (append-only).
CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    province_code TEXT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    form TEXT NOT NULL,
    period TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'approved')),
    number TEXT,
    parts TEXT NOT NULL DEFAULT '{}',
    typed TEXT NOT NULL DEFAULT '{}',
    comment TEXT NOT NULL DEFAULT '',
    submitted_on TEXT,
    written_by TEXT NOT NULL,
    written_at TEXT NOT NULL
);
CREATE UNIQUE INDEX reports_unit_form_period ON reports (province_code, unit_id, form, period);
CREATE INDEX reports_form_period ON reports (form, period, unit_id);

CREATE TABLE report_steps (
    id INTEGER PRIMARY KEY,
    province_code TEXT NOT NULL,
    report_id INTEGER NOT NULL REFERENCES reports(id),
    step TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    taken_by TEXT NOT NULL,
    taken_at TEXT NOT NULL
);
CREATE INDEX report_steps_report ON report_steps (report_id);
