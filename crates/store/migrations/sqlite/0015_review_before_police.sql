-- Nothing reaches the police that the PLO has not confirmed (issue 11): who checked each
-- identifier at review, and when. Identifiers of entries already passed on count as
-- reviewed, so what the police were sent reads as it did.
ALTER TABLE identifiers ADD COLUMN reviewed_by INTEGER REFERENCES users(id);
ALTER TABLE identifiers ADD COLUMN reviewed_at TEXT;
UPDATE identifiers SET reviewed_at = COALESCE(checked_at, created_at)
    WHERE source_type = 'entry' AND status <> 'rejected'
    AND source_id IN (SELECT id FROM info_entries WHERE status = 'submitted');

-- The text as passed to the police, when the PLO redacted the family's own names and
-- address from it; the entry keeps what was written.
ALTER TABLE info_entries ADD COLUMN submitted_what TEXT;
ALTER TABLE info_entries ADD COLUMN submitted_place TEXT;
ALTER TABLE info_entries ADD COLUMN submitted_people TEXT;

-- Threats and incidents a parent or carer logs wait in the PLO's review queue; the PLO
-- writes what followed, for the parent.
ALTER TABLE incidents ADD COLUMN reviewed_by INTEGER REFERENCES users(id);
ALTER TABLE incidents ADD COLUMN reviewed_at TEXT;
ALTER TABLE incidents ADD COLUMN review_note TEXT;
UPDATE incidents SET reviewed_at = created_at;

-- The family's address and the area it lives in: the area tells families of the same
-- name apart in lists, and the address is what a submission to the police must not carry.
ALTER TABLE families ADD COLUMN address TEXT;
ALTER TABLE families ADD COLUMN area TEXT;

-- Whether a submission was sent with the family's own names and address replaced: what
-- it passes on (its identifiers too) is shown to the police that way.
ALTER TABLE submissions ADD COLUMN redacted BOOLEAN NOT NULL DEFAULT 0;

-- A planned contact is later held or cancelled: what happened, by whom and when, kept
-- beside the plan (which is never overwritten).
ALTER TABLE contacts ADD COLUMN outcome_note TEXT;
ALTER TABLE contacts ADD COLUMN outcome_by INTEGER REFERENCES users(id);
ALTER TABLE contacts ADD COLUMN outcome_at TEXT;

-- Caseloads weighed by threshold, against a limit each hub sets (issue 11): a family at
-- high threshold counts 3, medium 2, low (or not yet set) 1, unless the hub says otherwise.
ALTER TABLE hubs ADD COLUMN caseload_limit INTEGER NOT NULL DEFAULT 20;
ALTER TABLE hubs ADD COLUMN weight_high INTEGER NOT NULL DEFAULT 3;
ALTER TABLE hubs ADD COLUMN weight_medium INTEGER NOT NULL DEFAULT 2;
ALTER TABLE hubs ADD COLUMN weight_low INTEGER NOT NULL DEFAULT 1;

-- The name a hub's parents and carers see on their pages ("Notes" unless the hub sets
-- one): a neutral name, so that someone looking over a parent's shoulder learns little.
ALTER TABLE hubs ADD COLUMN parent_service_name TEXT;

-- Working days skip the bank holidays of the hub's nation (the UK's published ones ship
-- with the program); an administrator adds those the program does not have.
ALTER TABLE hubs ADD COLUMN nation TEXT NOT NULL DEFAULT 'england_and_wales';
CREATE TABLE hub_bank_holidays (
    id INTEGER PRIMARY KEY,
    hub_id INTEGER NOT NULL REFERENCES hubs(id),
    day TEXT NOT NULL,
    title TEXT NOT NULL,
    added_by INTEGER NOT NULL REFERENCES users(id),
    added_at TEXT NOT NULL,
    UNIQUE (hub_id, day)
);
