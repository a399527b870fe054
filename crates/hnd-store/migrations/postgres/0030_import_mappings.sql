-- Mappings saved by name per unit (a member list's own layout read into
-- the register's fields, as `hnd members map` proposes and a user
-- corrects), so that next month's file from the same commune imports in
-- one step. The mapping itself is kept as its TOML text: it is read and
-- checked by the import crate, never queried by field.
CREATE TABLE import_mappings (
    province_code TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    saved_by TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    PRIMARY KEY (province_code, unit_code, name)
);
