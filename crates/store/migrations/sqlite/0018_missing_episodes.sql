-- Missing episodes (issue 12): opened by a parent from the portal or by a worker, and
-- completed as the facts come in. A change is recorded in the audit log with what it
-- replaced (before_value), so nothing said is lost.

CREATE TABLE missing_episodes (
    id INTEGER PRIMARY KEY,
    hub_id INTEGER NOT NULL REFERENCES hubs(id),
    family_id INTEGER NOT NULL REFERENCES families(id),
    child_member_id INTEGER NOT NULL REFERENCES family_members(id),
    last_seen_at TEXT NOT NULL,
    last_seen_where TEXT,
    last_seen_with TEXT,
    reported_at TEXT,
    reported_by TEXT,
    police_reference TEXT,
    risk TEXT,
    searches TEXT,
    clothing TEXT,
    possessions TEXT,
    state_of_mind TEXT,
    returned_at TEXT,
    found_where TEXT,
    found_by TEXT,
    found_with TEXT,
    how_returned TEXT,
    search_nights INTEGER NOT NULL,
    opened_by INTEGER NOT NULL REFERENCES users(id),
    opened_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX missing_episodes_family ON missing_episodes(family_id, last_seen_at);
CREATE INDEX missing_episodes_open ON missing_episodes(hub_id, returned_at);
