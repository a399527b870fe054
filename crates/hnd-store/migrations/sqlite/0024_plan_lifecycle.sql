-- A plan's life (sqlite): its kind, its status (draft, issued, withdrawn,
-- replaced), its running number, what it implements (a plan of a level
-- above, or an outside document by number and date), the day by which the
-- units below must issue their implementing plans, the version it
-- replaces, and its signed document. Plans already kept are issued plans.

ALTER TABLE plans ADD COLUMN kind TEXT NOT NULL DEFAULT 'plan'
    CHECK (kind IN ('plan', 'programme', 'work_programme', 'theme'));
ALTER TABLE plans ADD COLUMN status TEXT NOT NULL DEFAULT 'issued'
    CHECK (status IN ('draft', 'issued', 'withdrawn', 'replaced'));
ALTER TABLE plans ADD COLUMN seq INTEGER;
ALTER TABLE plans ADD COLUMN implements_id INTEGER REFERENCES plans(id);
ALTER TABLE plans ADD COLUMN implements_doc TEXT;
ALTER TABLE plans ADD COLUMN implements_doc_on TEXT;
ALTER TABLE plans ADD COLUMN implement_by TEXT;
ALTER TABLE plans ADD COLUMN replaces_id INTEGER REFERENCES plans(id);
ALTER TABLE plans ADD COLUMN changed_on TEXT;
CREATE INDEX plans_implements ON plans (implements_id);
CREATE INDEX plans_series ON plans (unit_id, kind, issued_on);

-- The signed document of a plan (one; kept in the database, as task files are).
CREATE TABLE plan_documents (
    plan_id INTEGER PRIMARY KEY REFERENCES plans(id),
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    content BLOB NOT NULL
);
