-- The audit log (issue 10, L8): append-only, like the chain of custody; each event says
-- where it came from (the address, a short reference to the session, or the API token);
-- and every failed sign-in is kept, for the throttle and for telling managers of spraying.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
ALTER TABLE audit_events ADD COLUMN address TEXT;
ALTER TABLE audit_events ADD COLUMN session_ref TEXT;
ALTER TABLE audit_events ADD COLUMN token_id INTEGER;

CREATE TABLE sign_in_failures (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    -- As typed, lower case (a name that exists or not: what a guesser tries).
    username TEXT NOT NULL,
    user_id INTEGER REFERENCES users(id),
    address TEXT
);
CREATE INDEX sign_in_failures_address ON sign_in_failures(address, at);
CREATE INDEX sign_in_failures_user ON sign_in_failures(user_id, at);
