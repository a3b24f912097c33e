-- Separation of duties (issue 10, M2): an account with a casework role made in the
-- browser waits for a manager of its hub to approve it; the hub's managers see every
-- account made, approved, disabled or changed in role.
ALTER TABLE users ADD COLUMN awaiting_approval BOOLEAN NOT NULL DEFAULT 0;
CREATE TABLE account_notices (
    id INTEGER PRIMARY KEY,
    hub_id INTEGER NOT NULL REFERENCES hubs(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    role TEXT NOT NULL,
    by_user_id INTEGER REFERENCES users(id),
    at TEXT NOT NULL
);
CREATE INDEX account_notices_hub ON account_notices(hub_id, at);
