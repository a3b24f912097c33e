-- The missing-from-home profile of a child (issue 12; the Philomena Protocol's Part 1),
-- kept ready by the family and the PLO. Each change is a new version, never an update;
-- photos are kept as their pixels alone (decision 0015), every one ever given.

CREATE TABLE missing_profiles (
    id INTEGER PRIMARY KEY,
    hub_id INTEGER NOT NULL REFERENCES hubs(id),
    family_id INTEGER NOT NULL REFERENCES families(id),
    child_member_id INTEGER NOT NULL REFERENCES family_members(id),
    current_version INTEGER NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (child_member_id)
);
CREATE INDEX missing_profiles_family ON missing_profiles(family_id);

CREATE TABLE missing_profile_versions (
    id INTEGER PRIMARY KEY,
    profile_id INTEGER NOT NULL REFERENCES missing_profiles(id),
    hub_id INTEGER NOT NULL REFERENCES hubs(id),
    family_id INTEGER NOT NULL REFERENCES families(id),
    version INTEGER NOT NULL,
    nicknames TEXT,
    place_of_birth TEXT,
    height TEXT,
    build TEXT,
    hair TEXT,
    eyes TEXT,
    marks TEXT,
    appearance TEXT,
    phones TEXT,
    other_sims TEXT,
    online TEXT,
    places TEXT,
    risk_locations TEXT,
    vehicles TEXT,
    medical TEXT,
    medication TEXT,
    school TEXT,
    transport TEXT,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    UNIQUE (profile_id, version)
);

CREATE TABLE missing_profile_friends (
    id INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES missing_profile_versions(id),
    hub_id INTEGER NOT NULL REFERENCES hubs(id),
    family_id INTEGER NOT NULL REFERENCES families(id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    child BOOLEAN NOT NULL,
    about TEXT
);
CREATE INDEX missing_profile_friends_version ON missing_profile_friends(version_id, position);

CREATE TABLE missing_profile_photos (
    id INTEGER PRIMARY KEY,
    profile_id INTEGER NOT NULL REFERENCES missing_profiles(id),
    hub_id INTEGER NOT NULL REFERENCES hubs(id),
    family_id INTEGER NOT NULL REFERENCES families(id),
    content_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX missing_profile_photos_profile ON missing_profile_photos(profile_id, created_at);
