-- Alongside schema, SQLite dialect. Times are ISO-8601 text written by the application;
-- codes are the stable codes of the domain crate's vocabularies.

CREATE TABLE hubs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    first_contact_target_days INTEGER NOT NULL DEFAULT 5,
    created_at TEXT NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);

CREATE TABLE hub_members (
    hub_id INTEGER NOT NULL REFERENCES hubs(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (hub_id, user_id)
);
CREATE INDEX hub_members_user ON hub_members(user_id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    hub_id INTEGER NOT NULL REFERENCES hubs(id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_expiry ON sessions(expires_at);

CREATE TABLE families (
    id INTEGER PRIMARY KEY,
    hub_id INTEGER NOT NULL REFERENCES hubs(id),
    name TEXT NOT NULL,
    threshold TEXT,
    strengths TEXT,
    own_words TEXT,
    lead_plo_id INTEGER REFERENCES users(id),
    csw_id INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX families_hub ON families(hub_id, name);
CREATE INDEX families_plo ON families(lead_plo_id);
CREATE INDEX families_csw ON families(csw_id);

CREATE TABLE family_members (
    id INTEGER PRIMARY KEY,
    family_id INTEGER NOT NULL REFERENCES families(id),
    hub_id INTEGER NOT NULL REFERENCES hubs(id),
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    known_as TEXT,
    member_role TEXT NOT NULL,
    carer_kind TEXT,
    date_of_birth TEXT,
    relationship TEXT,
    lives TEXT,
    lives_since TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX members_family ON family_members(family_id);
CREATE INDEX members_match ON family_members(hub_id, name_key);

CREATE TABLE referrals (
    id INTEGER PRIMARY KEY,
    hub_id INTEGER NOT NULL REFERENCES hubs(id),
    family_id INTEGER NOT NULL REFERENCES families(id),
    source TEXT NOT NULL,
    received_on TEXT NOT NULL,
    referrer_name TEXT NOT NULL,
    referrer_contact TEXT,
    reasons TEXT NOT NULL,
    indicators TEXT NOT NULL,
    indicators_other TEXT,
    consent_to_share BOOLEAN NOT NULL,
    is_rereferral BOOLEAN NOT NULL,
    status TEXT NOT NULL,
    threshold TEXT,
    threshold_reasoning TEXT,
    decision TEXT,
    triaged_at TEXT,
    triaged_by INTEGER REFERENCES users(id),
    first_contact_at TEXT,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX referrals_hub ON referrals(hub_id, status, received_on);
CREATE INDEX referrals_family ON referrals(family_id);

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    family_id INTEGER NOT NULL REFERENCES families(id),
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    duration_minutes INTEGER,
    participants TEXT,
    note TEXT,
    visibility TEXT NOT NULL,
    recorded_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX contacts_family ON contacts(family_id, status, occurred_at);

CREATE TABLE chronology (
    id INTEGER PRIMARY KEY,
    family_id INTEGER NOT NULL REFERENCES families(id),
    occurred_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    summary TEXT NOT NULL,
    detail TEXT,
    visibility TEXT NOT NULL,
    source_id INTEGER,
    recorded_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX chronology_family ON chronology(family_id, occurred_at);

CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user_id INTEGER NOT NULL,
    username TEXT NOT NULL,
    role TEXT NOT NULL,
    hub_id INTEGER NOT NULL,
    action TEXT NOT NULL,
    record_type TEXT NOT NULL,
    record_id INTEGER,
    family_id INTEGER
);
CREATE INDEX audit_hub ON audit_events(hub_id, at);
