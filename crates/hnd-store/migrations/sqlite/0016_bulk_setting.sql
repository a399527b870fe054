-- Nothing to change on SQLite: its count triggers' WHEN already reads the
-- bulk_load marker table (PostgreSQL's now read a setting instead; see the
-- migration of the same name there).
SELECT 1;
