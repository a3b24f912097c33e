-- Continuity and closure (issue 12). Who has worked with a family, from when to when
-- (each allocation a row, ended rather than overwritten when a worker changes), and each
-- closure of a case (by a manager, with the reason, the parent's view in their own words
-- and the step-down plan) and its reopening; a closed family keeps its whole history.

CREATE TABLE allocations (
    id INTEGER PRIMARY KEY,
    hub_id INTEGER NOT NULL REFERENCES hubs(id),
    family_id INTEGER NOT NULL REFERENCES families(id),
    role TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    started_at TEXT NOT NULL,
    ended_at TEXT,
    reason TEXT,
    allocated_by INTEGER REFERENCES users(id)
);
CREATE INDEX allocations_family ON allocations(family_id, started_at);

-- The families allocated before this migration: from when their record was made.
INSERT INTO allocations (hub_id, family_id, role, user_id, started_at)
    SELECT hub_id, id, 'plo', lead_plo_id, created_at FROM families WHERE lead_plo_id IS NOT NULL;
INSERT INTO allocations (hub_id, family_id, role, user_id, started_at)
    SELECT hub_id, id, 'csw', csw_id, created_at FROM families WHERE csw_id IS NOT NULL;

CREATE TABLE case_closures (
    id INTEGER PRIMARY KEY,
    hub_id INTEGER NOT NULL REFERENCES hubs(id),
    family_id INTEGER NOT NULL REFERENCES families(id),
    closed_at TEXT NOT NULL,
    closed_by INTEGER NOT NULL REFERENCES users(id),
    reason TEXT NOT NULL,
    parent_view TEXT NOT NULL,
    step_down_plan TEXT NOT NULL,
    reopened_at TEXT,
    reopened_by INTEGER REFERENCES users(id),
    reopen_reason TEXT
);
CREATE INDEX case_closures_family ON case_closures(family_id, closed_at);

ALTER TABLE families ADD COLUMN closed_at TEXT;
