-- Accounts, grants, sessions, API tokens and the audit log (SQLite).

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    -- argon2id, PHC string.
    password_hash TEXT NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    -- RFC 3339; sign-in refused before this instant.
    locked_until TEXT,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

-- A role granted on a unit holds for the unit's whole subtree.
CREATE TABLE grants (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    role TEXT NOT NULL CHECK (role IN ('central_admin','province_officer','commune_officer','branch_head','viewer')),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    granted_at TEXT NOT NULL,
    granted_by TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX grants_user ON grants (user_id) WHERE revoked_at IS NULL;

-- Sessions and API tokens are kept as SHA-256 of the secret the client holds.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    csrf TEXT NOT NULL,
    address TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

-- Who did what, when, from where; before and after as JSON. Append-only.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    address TEXT NOT NULL,
    action TEXT NOT NULL,
    unit_id INTEGER REFERENCES units(id),
    member_id INTEGER REFERENCES members(id),
    detail TEXT NOT NULL
);
CREATE INDEX audit_member ON audit_log (member_id, at) WHERE member_id IS NOT NULL;
CREATE INDEX audit_unit ON audit_log (unit_id, at) WHERE unit_id IS NOT NULL;
CREATE INDEX audit_actor ON audit_log (actor, at);

CREATE TRIGGER audit_log_append_only_u BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_append_only_d BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Transfers waiting for the receiving unit.
CREATE INDEX members_in_transfer ON members (transfer_to) WHERE status = 'in_transfer';
