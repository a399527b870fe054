-- Membership fees (hội phí). A province sets the fee per member and year
-- and its shares by level (they add up to the fee: checked here and by
-- the domain). A payment is the collecting unit's record, kept under that
-- unit's province; it copies the shares of the rate it was paid at, so a
-- later change of the rate does not rewrite what was remitted.
CREATE TABLE fee_rates (
    province_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    branch_share BIGINT NOT NULL CHECK (branch_share >= 0),
    base_share BIGINT NOT NULL CHECK (base_share >= 0),
    province_share BIGINT NOT NULL CHECK (province_share >= 0),
    central_share BIGINT NOT NULL CHECK (central_share >= 0),
    set_by TEXT NOT NULL,
    set_at TEXT NOT NULL,
    PRIMARY KEY (province_code, year),
    CHECK (branch_share + base_share + province_share + central_share = amount)
);

CREATE TABLE fee_payments (
    id INTEGER PRIMARY KEY,
    province_code TEXT NOT NULL,
    member_id INTEGER NOT NULL REFERENCES members(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    year INTEGER NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    branch_share BIGINT NOT NULL,
    base_share BIGINT NOT NULL,
    province_share BIGINT NOT NULL,
    central_share BIGINT NOT NULL,
    paid_on TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
-- One payment per member and year within a province (the distribution key
-- leads, as Citus requires of a unique index); across provinces, the
-- recording transaction checks it.
CREATE UNIQUE INDEX fee_payments_member_year ON fee_payments (province_code, member_id, year);
CREATE INDEX fee_payments_member ON fee_payments (member_id, year);
CREATE INDEX fee_payments_unit ON fee_payments (unit_id, year);
