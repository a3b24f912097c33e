-- Photos are kept as their pixels alone, under neutral names (issue 10, H2). Photos
-- stored before are cleaned by the store when it starts (`information::clean_stored_photos`),
-- which sets `cleaned`; until then they are never served to police partners.
ALTER TABLE attachments ADD COLUMN cleaned BOOLEAN NOT NULL DEFAULT 0;
