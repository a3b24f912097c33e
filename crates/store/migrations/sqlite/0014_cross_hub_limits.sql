-- Cross-hub matches are not a free oracle (issue 10, M1; decision 0019): who caused each
-- one is kept, and each hub sets how many a person may cause in a day (20 unless set).
ALTER TABLE alerts ADD COLUMN caused_by INTEGER REFERENCES users(id);
ALTER TABLE hubs ADD COLUMN cross_hub_daily_limit INTEGER NOT NULL DEFAULT 20;
CREATE INDEX alerts_caused_by ON alerts(caused_by, created_at);
