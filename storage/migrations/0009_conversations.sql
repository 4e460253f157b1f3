-- What a conversation remembers between questions (the bot's FSM storage, issue 9): one row per
-- private chat, or per bot answer in a group (its reply chain), so it survives a restart.
CREATE TABLE conversations (
    key TEXT PRIMARY KEY,
    state TEXT,
    data TEXT NOT NULL DEFAULT '{}',
    updated_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE INDEX conversations_updated ON conversations(updated_at);
