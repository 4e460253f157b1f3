-- Questions behind the answer's "Ещё" button: its callback_data (64 bytes at most) carries only
-- the id, and the next page survives a restart of the bot.
CREATE TABLE questions (
    id INTEGER PRIMARY KEY,
    text TEXT NOT NULL UNIQUE,
    asked_at TEXT NOT NULL DEFAULT (datetime('now'))
);
-- Agreements of a region, newest first.
CREATE INDEX agreement_parties_region ON agreement_parties(region_id, agreement_id);
CREATE INDEX article_topics_topic ON article_topics(topic_id, article_id);
