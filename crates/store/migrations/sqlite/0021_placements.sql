-- Where a child lives over time (issue 12): each placement from a date, the one before
-- ended on the day the next began; away from home, the contact arrangements with their
-- parents and the plan for coming home. A change to a placement is audited with what it
-- replaced. And the transition reviews held at 16 and 18 (a child stays in scope).

CREATE TABLE placements (
    id INTEGER PRIMARY KEY,
    hub_id INTEGER NOT NULL REFERENCES hubs(id),
    family_id INTEGER NOT NULL REFERENCES families(id),
    child_member_id INTEGER NOT NULL REFERENCES family_members(id),
    kind TEXT NOT NULL,
    started_on TEXT NOT NULL,
    ended_on TEXT,
    place TEXT,
    contact_arrangements TEXT,
    exit_plan TEXT,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX placements_child ON placements(child_member_id, started_on);
CREATE INDEX placements_family ON placements(family_id);

CREATE TABLE transition_reviews (
    id INTEGER PRIMARY KEY,
    hub_id INTEGER NOT NULL REFERENCES hubs(id),
    family_id INTEGER NOT NULL REFERENCES families(id),
    child_member_id INTEGER NOT NULL REFERENCES family_members(id),
    age INTEGER NOT NULL,
    held_on TEXT NOT NULL,
    notes TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX transition_reviews_child ON transition_reviews(child_member_id, age);
