-- Alerts: the same identifier or person in more than one family, a match with another
-- hub (only the fact and the hubs), and children named in a log whom the hub does not
-- know. One row per hub told; a cross-hub match makes one row in each hub.
CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    hub_id INTEGER NOT NULL REFERENCES hubs(id),
    kind TEXT NOT NULL,
    item_kind TEXT,
    item_value TEXT,
    family_id INTEGER REFERENCES families(id),
    source_type TEXT,
    source_id INTEGER,
    other_family_id INTEGER REFERENCES families(id),
    other_source_type TEXT,
    other_source_id INTEGER,
    other_hub_id INTEGER REFERENCES hubs(id),
    detail TEXT NOT NULL,
    created_at TEXT NOT NULL,
    seen_by INTEGER REFERENCES users(id),
    seen_at TEXT
);
CREATE INDEX alerts_hub ON alerts(hub_id, created_at);
