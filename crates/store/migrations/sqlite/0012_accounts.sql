-- Accounts a real service needs (issue 10): sessions a person can see and end, a role
-- change waiting for a manager's approval, one-time password-reset codes, and API tokens
-- that read only or read and write.

-- Whose session a row is, when it began and was last used, and on what (the browser's
-- own description, cut short). NULL for a session nobody is signed in to.
ALTER TABLE sessions ADD COLUMN user_id INTEGER;
ALTER TABLE sessions ADD COLUMN started_at INTEGER;
ALTER TABLE sessions ADD COLUMN seen_at INTEGER;
ALTER TABLE sessions ADD COLUMN agent TEXT;
CREATE INDEX sessions_user ON sessions(user_id);

-- A casework role asked for by an administrator, until a manager of the hub approves it.
ALTER TABLE users ADD COLUMN pending_role TEXT;

CREATE TABLE password_resets (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    code_hash TEXT NOT NULL UNIQUE,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX password_resets_user ON password_resets(user_id);

-- 'read' or 'read_write'. Tokens made before this could write, and still may.
ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'read_write';
