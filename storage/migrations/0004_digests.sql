-- Digests of new agreements (issue 4).

-- One agreement as the world knows it: the same memorandum reported by two outlets is one deal.
-- key = kind|sorted parties|year; agreement rows of articles point at their deal. Deals outlive
-- re-ingestion (articles' agreement rows are rewritten, the deal stays), so only a truly new
-- agreement ever gets a new deal id.
CREATE TABLE deals (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    first_seen_at TEXT NOT NULL DEFAULT (datetime('now'))
);
ALTER TABLE agreements ADD COLUMN deal_id INTEGER REFERENCES deals(id);
CREATE INDEX agreements_deal ON agreements(deal_id);

-- One subscription per chat (private, group, supergroup or channel); filters as JSON id lists,
-- empty = everything. ``seen_deal`` is the newest deal already planned for this chat: a deal
-- is new for it only above that mark, so a subscriber never gets the backlog twice.
CREATE TABLE subscriptions (
    id INTEGER PRIMARY KEY,
    chat_id INTEGER NOT NULL UNIQUE,
    chat_type TEXT NOT NULL,
    chat_title TEXT NOT NULL DEFAULT '',
    regions TEXT NOT NULL DEFAULT '[]',
    topics TEXT NOT NULL DEFAULT '[]',
    frequency TEXT NOT NULL DEFAULT 'instant',
    send_at TEXT NOT NULL DEFAULT '09:00',
    timezone TEXT NOT NULL DEFAULT 'Asia/Almaty',
    active INTEGER NOT NULL DEFAULT 1,
    created_by INTEGER,
    created_at TEXT NOT NULL DEFAULT (datetime('now')),
    seen_deal INTEGER NOT NULL DEFAULT 0,
    last_digest_at TEXT,
    deactivated_reason TEXT
);

-- The durable outbox: every planned message is written here before it is sent and marked
-- sent after, so a restart sends what is pending and never what was sent.
CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
    chat_id INTEGER NOT NULL,
    batch TEXT NOT NULL,
    part INTEGER NOT NULL,
    text TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    not_before REAL NOT NULL DEFAULT 0,
    error TEXT,
    created_at TEXT NOT NULL DEFAULT (datetime('now')),
    sent_at TEXT,
    UNIQUE (subscription_id, batch, part)
);
CREATE INDEX deliveries_pending ON deliveries(status, not_before, id);

-- Feeds polled for new articles, with what conditional GET needs.
CREATE TABLE feeds (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    etag TEXT,
    last_modified TEXT,
    last_checked_at TEXT,
    last_error TEXT,
    added_at TEXT NOT NULL DEFAULT (datetime('now'))
);
-- Feed items already handled (stored, skipped as off-topic, or failed for good).
CREATE TABLE feed_items (
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    item_key TEXT NOT NULL,
    status TEXT NOT NULL,
    seen_at TEXT NOT NULL DEFAULT (datetime('now')),
    PRIMARY KEY (feed_id, item_key)
);
