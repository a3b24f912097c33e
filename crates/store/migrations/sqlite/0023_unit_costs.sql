-- The hub's unit costs (issue 12; the reports of issue 14 use them too): one row per
-- cost a hub has changed from the model's default, in whole pence, with who changed it.

CREATE TABLE unit_costs (
    hub_id INTEGER NOT NULL REFERENCES hubs(id),
    cost TEXT NOT NULL,
    pence INTEGER NOT NULL,
    updated_by INTEGER NOT NULL REFERENCES users(id),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (hub_id, cost)
);
