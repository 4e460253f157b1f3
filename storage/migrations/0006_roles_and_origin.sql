-- Roles of places (issue 16) and where an article came from (issue 15).
-- ``party``: the article is about this place as a side (of an agreement, a visit, a figure); 0 =
-- only mentioned (a venue, a comparison). Search finds an article "about A and B" by its parties.
ALTER TABLE article_regions ADD COLUMN party INTEGER NOT NULL DEFAULT 1;
-- ``origin``: 'article' (a news page: file or feed) or 'registry' (an entry of data/registry).
ALTER TABLE articles ADD COLUMN origin TEXT NOT NULL DEFAULT 'article';
CREATE INDEX article_regions_party ON article_regions(region_id, party, article_id);
