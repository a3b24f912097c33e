-- What may exist only once at a time (issue 12, a review): one current placement per
-- child, one standing share of a profile with the police, one closure not yet reopened
-- per family. The store checks first; these refuse the second of two changes at once.

CREATE UNIQUE INDEX placements_one_current ON placements(child_member_id) WHERE ended_on IS NULL;
CREATE UNIQUE INDEX profile_shares_one_standing ON profile_shares(child_member_id) WHERE withdrawn_at IS NULL;
CREATE UNIQUE INDEX case_closures_one_open ON case_closures(family_id) WHERE reopened_at IS NULL;

-- The children near 16 or 18 of a hub (transition reviews due), by date of birth.
CREATE INDEX members_birth ON family_members(hub_id, date_of_birth);
