-- Family names are searched through a key lower-cased by the application (Unicode-aware:
-- SQLite's lower() folds only ASCII, so "Özil" could not be found by typing "özil").
ALTER TABLE families ADD COLUMN search_key TEXT NOT NULL DEFAULT '';
-- Rows from before this migration: as close as the database can fold them.
UPDATE families SET search_key = lower(name);
