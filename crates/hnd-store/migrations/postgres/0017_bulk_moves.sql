-- A change of province moves many members' intervals at once (the 2025
-- merger: about half the register). Such a change keeps the maintained
-- counts itself, one row per province, like a bulk load: the trigger on
-- changed intervals stands aside while `hnd.bulk_load` is on.

DROP TRIGGER memberships_count_update ON memberships;
CREATE TRIGGER memberships_count_update AFTER UPDATE ON memberships
FOR EACH ROW WHEN (current_setting('hnd.bulk_load', true) IS DISTINCT FROM 'on')
EXECUTE FUNCTION hnd_memberships_count();
