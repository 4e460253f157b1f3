-- A question behind an answer's buttons belongs to the chat that asked it (and, in a private
-- chat, to its user; 0 = any member of a group) under a random id nobody can guess: a button
-- forged in another chat finds nothing. Buttons of the old sequential ids become stale.
DROP TABLE questions;
CREATE TABLE questions (
    id INTEGER PRIMARY KEY,
    chat_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL DEFAULT 0,
    text TEXT NOT NULL,
    asked_at TEXT NOT NULL DEFAULT (datetime('now')),
    UNIQUE (chat_id, user_id, text)
);
