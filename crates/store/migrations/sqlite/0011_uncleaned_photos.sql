-- The photos not yet cleaned, found at start-up without reading every photo
-- (`information::clean_stored_photos`): `cleaned` was added after the photo's bytes, so
-- a scan of the table would read each photo to reach it.
CREATE INDEX attachments_uncleaned ON attachments(id) WHERE cleaned = FALSE;
