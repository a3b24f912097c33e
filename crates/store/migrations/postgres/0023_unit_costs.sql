-- The hub's unit costs (issue 12; the reports of issue 14 use them too): one row per
-- cost a hub has changed from the model's default, in whole pence, with who changed it.

CREATE TABLE unit_costs (
    hub_id BIGINT NOT NULL REFERENCES hubs(id),
    cost TEXT NOT NULL,
    pence BIGINT NOT NULL,
    updated_by BIGINT NOT NULL REFERENCES users(id),
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (hub_id, cost)
);
