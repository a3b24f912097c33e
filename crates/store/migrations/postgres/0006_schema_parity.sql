-- Schema parity with the SQLite dialect (checked by crates/store/tests/schema_parity.rs).
-- SQLite has no trigger for two events, so its chain of custody is guarded by one trigger
-- for UPDATE and one for DELETE. PostgreSQL now has the same two triggers, under the same
-- names, calling the function it already had. The migration runs in one transaction, so
-- the chain of custody is never unguarded.
DROP TRIGGER custody_events_no_change ON custody_events;
CREATE TRIGGER custody_events_no_update BEFORE UPDATE ON custody_events
FOR EACH ROW EXECUTE FUNCTION custody_events_append_only();
CREATE TRIGGER custody_events_no_delete BEFORE DELETE ON custody_events
FOR EACH ROW EXECUTE FUNCTION custody_events_append_only();
