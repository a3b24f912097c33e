-- Safety plans (issue 12): one per child and concern, made with the parents. Each change
-- is a new version (never an update of the old one); the parents' words on a version are
-- kept beside it and never overwritten.

CREATE TABLE safety_plans (
    id INTEGER PRIMARY KEY,
    hub_id INTEGER NOT NULL REFERENCES hubs(id),
    family_id INTEGER NOT NULL REFERENCES families(id),
    child_member_id INTEGER NOT NULL REFERENCES family_members(id),
    -- The newest version's number and review date, so lists need not read versions.
    current_version INTEGER NOT NULL,
    review_on TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX safety_plans_family ON safety_plans(family_id);
CREATE INDEX safety_plans_review ON safety_plans(hub_id, review_on);

CREATE TABLE safety_plan_versions (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES safety_plans(id),
    hub_id INTEGER NOT NULL REFERENCES hubs(id),
    family_id INTEGER NOT NULL REFERENCES families(id),
    version INTEGER NOT NULL,
    risks_people TEXT,
    risks_places TEXT,
    risks_online TEXT,
    risks_times TEXT,
    agreed_contacts TEXT,
    what_if TEXT NOT NULL,
    review_on TEXT NOT NULL,
    change_note TEXT,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    UNIQUE (plan_id, version)
);

CREATE TABLE safety_plan_actions (
    id INTEGER PRIMARY KEY,
    version_id INTEGER NOT NULL REFERENCES safety_plan_versions(id),
    hub_id INTEGER NOT NULL REFERENCES hubs(id),
    family_id INTEGER NOT NULL REFERENCES families(id),
    position INTEGER NOT NULL,
    responsible TEXT NOT NULL,
    name TEXT,
    agency TEXT,
    what TEXT NOT NULL
);
CREATE INDEX safety_plan_actions_version ON safety_plan_actions(version_id, position);

-- A parent's or carer's agreement, disagreement or comment, in their own words, on the
-- version they read; recorded_by is the parent, or the worker who wrote down what the
-- parent said (for_parent names the parent then).
CREATE TABLE safety_plan_responses (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES safety_plans(id),
    hub_id INTEGER NOT NULL REFERENCES hubs(id),
    family_id INTEGER NOT NULL REFERENCES families(id),
    version INTEGER NOT NULL,
    stance TEXT NOT NULL,
    words TEXT NOT NULL,
    recorded_by INTEGER NOT NULL REFERENCES users(id),
    for_parent TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX safety_plan_responses_plan ON safety_plan_responses(plan_id, created_at);
