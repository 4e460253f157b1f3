-- Questions answered "no information", to show the operator which sources to add (issue 9):
-- the text (normalised) and how often, never who asked.
CREATE TABLE unanswered (
    question TEXT PRIMARY KEY,
    asked INTEGER NOT NULL DEFAULT 1,
    first_at TEXT NOT NULL DEFAULT (datetime('now')),
    last_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE INDEX unanswered_last ON unanswered(last_at);
