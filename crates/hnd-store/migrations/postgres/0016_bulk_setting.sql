-- Bulk loads on PostgreSQL: the count triggers stand aside without being
-- called at all. A load sets `hnd.bulk_load` for its own transaction
-- (SET LOCAL); the triggers' WHEN reads it, so no trigger function runs for
-- the load's rows (a plpgsql call per row, even one that returns at once,
-- cost about a fifth of the import). The bulk_load marker table stays
-- for SQLite, whose triggers cannot read a setting.

DROP TRIGGER memberships_count ON memberships;
CREATE TRIGGER memberships_count_insert AFTER INSERT ON memberships
FOR EACH ROW WHEN (current_setting('hnd.bulk_load', true) IS DISTINCT FROM 'on')
EXECUTE FUNCTION hnd_memberships_count();
CREATE TRIGGER memberships_count_update AFTER UPDATE ON memberships
FOR EACH ROW EXECUTE FUNCTION hnd_memberships_count();

DROP TRIGGER member_events_count ON member_events;
CREATE TRIGGER member_events_count AFTER INSERT ON member_events
FOR EACH ROW WHEN (current_setting('hnd.bulk_load', true) IS DISTINCT FROM 'on')
EXECUTE FUNCTION hnd_member_events_count();

DROP TRIGGER unit_member_deltas_total ON unit_member_deltas;
CREATE TRIGGER unit_member_deltas_total AFTER INSERT OR UPDATE ON unit_member_deltas
FOR EACH ROW WHEN (current_setting('hnd.bulk_load', true) IS DISTINCT FROM 'on')
EXECUTE FUNCTION hnd_unit_member_total();

DROP TRIGGER province_member_deltas_total ON province_member_deltas;
CREATE TRIGGER province_member_deltas_total AFTER INSERT OR UPDATE ON province_member_deltas
FOR EACH ROW WHEN (current_setting('hnd.bulk_load', true) IS DISTINCT FROM 'on')
EXECUTE FUNCTION hnd_province_member_total();
