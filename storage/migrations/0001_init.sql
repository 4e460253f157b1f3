CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE regions (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    country TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_id TEXT REFERENCES regions(id)
);
CREATE TABLE topics (id TEXT PRIMARY KEY, name TEXT NOT NULL);

CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    publisher TEXT NOT NULL DEFAULT '',
    published TEXT,
    text TEXT NOT NULL,
    content_hash TEXT NOT NULL UNIQUE,
    ingested_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE TABLE sentences (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    text TEXT NOT NULL,
    lemmas TEXT NOT NULL,
    PRIMARY KEY (article_id, idx)
);
CREATE TABLE article_regions (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    region_id TEXT NOT NULL REFERENCES regions(id),
    mentions INTEGER NOT NULL,
    direct INTEGER NOT NULL,
    PRIMARY KEY (article_id, region_id)
);
CREATE INDEX article_regions_region ON article_regions(region_id, article_id);
CREATE TABLE article_topics (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    topic_id TEXT NOT NULL REFERENCES topics(id),
    score REAL NOT NULL,
    PRIMARY KEY (article_id, topic_id)
);
CREATE TABLE agreements (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    signed TEXT,
    period_start INTEGER,
    period_end INTEGER,
    signatories TEXT NOT NULL DEFAULT '[]',
    sentence TEXT NOT NULL
);
CREATE INDEX agreements_article ON agreements(article_id);
CREATE TABLE agreement_parties (
    agreement_id INTEGER NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
    region_id TEXT NOT NULL REFERENCES regions(id),
    PRIMARY KEY (agreement_id, region_id)
);
CREATE TABLE figures (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    amount REAL NOT NULL,
    unit TEXT NOT NULL,
    currency TEXT NOT NULL,
    raw TEXT NOT NULL,
    year INTEGER,
    sentence TEXT NOT NULL
);
CREATE INDEX figures_article ON figures(article_id);
CREATE TABLE figure_parties (
    figure_id INTEGER NOT NULL REFERENCES figures(id) ON DELETE CASCADE,
    region_id TEXT NOT NULL REFERENCES regions(id),
    PRIMARY KEY (figure_id, region_id)
);
CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    post TEXT NOT NULL,
    side_region_id TEXT REFERENCES regions(id),
    sentence TEXT NOT NULL
);
CREATE INDEX people_article ON people(article_id);
CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    sentence TEXT NOT NULL
);
CREATE INDEX organisations_article ON organisations(article_id);
CREATE TABLE events (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    sentence TEXT NOT NULL
);
CREATE INDEX events_article ON events(article_id);

-- Lemmas of title, text and names: what the question's words are matched against.
CREATE VIRTUAL TABLE article_lemmas USING fts5(title, body, names, tokenize = 'unicode61 remove_diacritics 2');
-- Raw text, for the bm25 baseline and exact words.
CREATE VIRTUAL TABLE article_text USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
