-- Candidate articles are taken newest first.
CREATE INDEX articles_published ON articles(published DESC, id DESC);
-- Which lemmas each article has (title, text, names): which of a question's words a candidate
-- contains is a few index probes, not a read of every candidate's text.
CREATE TABLE article_terms (
    lemma TEXT NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (lemma, article_id)
) WITHOUT ROWID;
CREATE INDEX article_terms_article ON article_terms(article_id);
