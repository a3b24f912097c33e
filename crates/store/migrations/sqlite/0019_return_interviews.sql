-- The return-home interview after a missing episode (issue 12; DfE statutory guidance,
-- 2014): offered within 72 hours, normally by someone independent of the child's care;
-- held, declined (with what was offered to the carers instead) or not held (with why).

CREATE TABLE return_interviews (
    id INTEGER PRIMARY KEY,
    episode_id INTEGER NOT NULL REFERENCES missing_episodes(id),
    hub_id INTEGER NOT NULL REFERENCES hubs(id),
    family_id INTEGER NOT NULL REFERENCES families(id),
    outcome TEXT NOT NULL,
    offered_at TEXT,
    offered_by TEXT,
    independent BOOLEAN,
    declined_info TEXT,
    not_held_reason TEXT,
    where_went TEXT,
    with_whom TEXT,
    travel TEXT,
    push_factors TEXT,
    pull_factors TEXT,
    indicators TEXT,
    recorded_by INTEGER NOT NULL REFERENCES users(id),
    recorded_at TEXT NOT NULL,
    UNIQUE (episode_id)
);
