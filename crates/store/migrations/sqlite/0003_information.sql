-- Parents as partners: invitations to the parent portal, the information log with its
-- identifiers and attachments, intelligence submissions, evidence with its chain of
-- custody, and threats and harassment against the family.

-- Which family a parent or carer's account belongs to (one family, in one hub).
CREATE TABLE family_parents (
    user_id INTEGER PRIMARY KEY REFERENCES users(id),
    family_id INTEGER NOT NULL REFERENCES families(id),
    hub_id INTEGER NOT NULL REFERENCES hubs(id),
    member_id INTEGER REFERENCES family_members(id)
);
CREATE INDEX family_parents_family ON family_parents(family_id);

CREATE TABLE parent_invitations (
    id INTEGER PRIMARY KEY,
    hub_id INTEGER NOT NULL REFERENCES hubs(id),
    family_id INTEGER NOT NULL REFERENCES families(id),
    member_id INTEGER REFERENCES family_members(id),
    display_name TEXT NOT NULL,
    code_hash TEXT NOT NULL UNIQUE,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    used_by INTEGER REFERENCES users(id),
    withdrawn_at TEXT
);
CREATE INDEX parent_invitations_family ON parent_invitations(family_id);

CREATE TABLE info_entries (
    id INTEGER PRIMARY KEY,
    hub_id INTEGER NOT NULL REFERENCES hubs(id),
    family_id INTEGER NOT NULL REFERENCES families(id),
    recorded_by INTEGER NOT NULL REFERENCES users(id),
    recorder_role TEXT NOT NULL,
    what TEXT NOT NULL,
    occurred_at TEXT,
    occurred_approx TEXT,
    place TEXT,
    people TEXT,
    how_known TEXT NOT NULL,
    how_known_who TEXT,
    how_known_detail TEXT,
    status TEXT NOT NULL,
    review_reason TEXT,
    reviewed_by INTEGER REFERENCES users(id),
    reviewed_at TEXT,
    submission_id INTEGER,
    created_at TEXT NOT NULL
);
CREATE INDEX info_entries_family ON info_entries(family_id, created_at);
CREATE INDEX info_entries_review ON info_entries(hub_id, status);

-- Identifiers found in, or typed beside, an entry or incident. `raw` is what was typed and
-- is never changed; `value` is the normalised form matched on; a correction keeps both.
CREATE TABLE identifiers (
    id INTEGER PRIMARY KEY,
    hub_id INTEGER NOT NULL REFERENCES hubs(id),
    family_id INTEGER NOT NULL REFERENCES families(id),
    source_type TEXT NOT NULL,
    source_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    raw TEXT NOT NULL,
    origin TEXT NOT NULL,
    start_offset INTEGER,
    end_offset INTEGER,
    recognised BOOLEAN NOT NULL,
    status TEXT NOT NULL,
    corrected_from TEXT,
    checked_by INTEGER REFERENCES users(id),
    checked_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX identifiers_source ON identifiers(source_type, source_id);
CREATE INDEX identifiers_match ON identifiers(hub_id, kind, value);

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    hub_id INTEGER NOT NULL REFERENCES hubs(id),
    family_id INTEGER NOT NULL REFERENCES families(id),
    entry_id INTEGER NOT NULL REFERENCES info_entries(id),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX attachments_entry ON attachments(entry_id);

CREATE TABLE submissions (
    id INTEGER PRIMARY KEY,
    hub_id INTEGER NOT NULL REFERENCES hubs(id),
    family_id INTEGER NOT NULL REFERENCES families(id),
    reference TEXT NOT NULL UNIQUE,
    summary TEXT NOT NULL,
    source_evaluation TEXT NOT NULL,
    assessment TEXT NOT NULL,
    handling TEXT NOT NULL,
    handling_conditions TEXT,
    source_description TEXT NOT NULL,
    status TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    acknowledged_by INTEGER REFERENCES users(id),
    acknowledged_at TEXT,
    outcome TEXT,
    outcome_reference TEXT,
    outcome_note TEXT,
    outcome_by INTEGER REFERENCES users(id),
    outcome_at TEXT
);
CREATE INDEX submissions_hub ON submissions(hub_id, created_at);
CREATE INDEX submissions_family ON submissions(family_id);

CREATE TABLE evidence_items (
    id INTEGER PRIMARY KEY,
    hub_id INTEGER NOT NULL REFERENCES hubs(id),
    family_id INTEGER NOT NULL REFERENCES families(id),
    kind TEXT NOT NULL,
    description TEXT NOT NULL,
    found_by TEXT NOT NULL,
    found_at TEXT NOT NULL,
    found_where TEXT NOT NULL,
    storage TEXT NOT NULL,
    reference_numbers TEXT,
    recorded_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX evidence_family ON evidence_items(family_id);
CREATE INDEX evidence_hub ON evidence_items(hub_id, created_at);

-- The chain of custody: appended in order, never updated or deleted. A mistake is put
-- right by a correction that names the entry it corrects.
CREATE TABLE custody_events (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES evidence_items(id),
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    handed_by TEXT,
    handed_to TEXT,
    collar_number TEXT,
    at TEXT,
    reference TEXT,
    note TEXT,
    corrects_seq INTEGER,
    recorded_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    UNIQUE (item_id, seq)
);
CREATE TRIGGER custody_events_no_update BEFORE UPDATE ON custody_events
BEGIN SELECT RAISE(ABORT, 'the chain of custody is append-only'); END;
CREATE TRIGGER custody_events_no_delete BEFORE DELETE ON custody_events
BEGIN SELECT RAISE(ABORT, 'the chain of custody is append-only'); END;

CREATE TABLE incidents (
    id INTEGER PRIMARY KEY,
    hub_id INTEGER NOT NULL REFERENCES hubs(id),
    family_id INTEGER NOT NULL REFERENCES families(id),
    occurred_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    description TEXT NOT NULL,
    people TEXT,
    reported_to_police BOOLEAN NOT NULL,
    crime_reference TEXT,
    outcome TEXT,
    recorded_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX incidents_family ON incidents(family_id, occurred_at);
CREATE INDEX incidents_hub ON incidents(hub_id, occurred_at);
