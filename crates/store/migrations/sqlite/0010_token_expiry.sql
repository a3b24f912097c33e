-- API tokens expire (issue 10, L7): 90 days after they are made by default. A token made
-- before this has none stored, and expires 90 days after it was made
-- (`accounts::TOKEN_LIFETIME_DAYS`).
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
