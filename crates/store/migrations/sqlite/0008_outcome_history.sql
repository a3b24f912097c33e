-- Every outcome the police record for a submission is kept (issue 10, M4): the latest is
-- also on `submissions` (what the parent is told); earlier ones stay here, append-only.
-- Audit events of status changes say what the status was and became.
CREATE TABLE submission_outcomes (
    id INTEGER PRIMARY KEY,
    hub_id INTEGER NOT NULL REFERENCES hubs(id),
    family_id INTEGER NOT NULL REFERENCES families(id),
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    outcome TEXT NOT NULL,
    outcome_reference TEXT,
    outcome_note TEXT,
    recorded_by INTEGER NOT NULL REFERENCES users(id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX submission_outcomes_submission ON submission_outcomes(submission_id);
CREATE TRIGGER submission_outcomes_no_update BEFORE UPDATE ON submission_outcomes
BEGIN SELECT RAISE(ABORT, 'outcomes are kept as history'); END;
CREATE TRIGGER submission_outcomes_no_delete BEFORE DELETE ON submission_outcomes
BEGIN SELECT RAISE(ABORT, 'outcomes are kept as history'); END;
INSERT INTO submission_outcomes (hub_id, family_id, submission_id, outcome, outcome_reference, outcome_note, recorded_by, recorded_at)
SELECT hub_id, family_id, id, outcome, outcome_reference, outcome_note, outcome_by, outcome_at
FROM submissions WHERE outcome IS NOT NULL AND outcome_by IS NOT NULL AND outcome_at IS NOT NULL;

ALTER TABLE audit_events ADD COLUMN before_value TEXT;
ALTER TABLE audit_events ADD COLUMN after_value TEXT;
