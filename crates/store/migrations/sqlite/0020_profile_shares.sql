-- A child's missing-from-home profile shared with the hub's police partner by the family
-- or their PLO (issue 12). The police read a profile only while the child is missing or
-- while a share stands; a share is withdrawn, never deleted, so who shared it and when
-- stays on record.

CREATE TABLE profile_shares (
    id INTEGER PRIMARY KEY,
    hub_id INTEGER NOT NULL REFERENCES hubs(id),
    family_id INTEGER NOT NULL REFERENCES families(id),
    child_member_id INTEGER NOT NULL REFERENCES family_members(id),
    reason TEXT NOT NULL,
    shared_by INTEGER NOT NULL REFERENCES users(id),
    shared_at TEXT NOT NULL,
    withdrawn_by INTEGER REFERENCES users(id),
    withdrawn_at TEXT
);
CREATE INDEX profile_shares_child ON profile_shares(child_member_id, withdrawn_at);
CREATE INDEX profile_shares_hub ON profile_shares(hub_id, withdrawn_at);
CREATE INDEX missing_episodes_child_open ON missing_episodes(child_member_id, returned_at);
