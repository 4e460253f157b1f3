-- Whether a sentence may be quoted in a summary: not a dateline, a caption, a label or the cut
-- end of a hard-wrapped line (issue 16). Stores made before count every sentence as quotable.
ALTER TABLE sentences ADD COLUMN quotable INTEGER NOT NULL DEFAULT 1;
