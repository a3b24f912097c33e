-- People of concern judged by a person (a manager or police partner) to be one person:
-- two names as recorded (normalised), joined in the network picture. Never deleted: an
-- unmerge is recorded on the row, so the history of decisions stays.
CREATE TABLE person_merges (
    id INTEGER PRIMARY KEY,
    hub_id INTEGER NOT NULL REFERENCES hubs(id),
    name_a TEXT NOT NULL,
    name_b TEXT NOT NULL,
    reason TEXT NOT NULL,
    merged_by INTEGER NOT NULL REFERENCES users(id),
    merged_at TEXT NOT NULL,
    unmerged_by INTEGER REFERENCES users(id),
    unmerged_at TEXT,
    unmerge_reason TEXT
);
CREATE INDEX person_merges_hub ON person_merges(hub_id);
