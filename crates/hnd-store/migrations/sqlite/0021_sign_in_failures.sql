-- Failed sign-ins, one row each: who was tried (the login as typed, known
-- or not), from which address, when. Sign-in is throttled per (login,
-- address) pair from these rows instead of locking the account, so that
-- nobody can lock another person out (accounts.rs). Rows older than the
-- window are deleted as new ones come.
CREATE TABLE sign_in_failures (
    login TEXT NOT NULL,
    address TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX sign_in_failures_login ON sign_in_failures (login, at);
CREATE INDEX sign_in_failures_at ON sign_in_failures (at);
-- The account lock of before is gone: nobody stays locked by it.
UPDATE users SET failed_logins = 0, locked_until = NULL;
