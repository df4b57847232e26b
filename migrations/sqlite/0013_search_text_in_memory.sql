-- The directory matches search words in memory (store/directory_text.cpp: an inverted
-- index of stems and the trigram signatures of the folded texts, built when a node
-- loads the directory), the same way on both dialects. The database keeps what the
-- index is built from: per organisation its distinct name stems, the distinct stems of
-- the rest, and the folded text. The FTS5 tables are no longer read, and their
-- upkeep was most of the cost of saving a profile.
CREATE TABLE org_search_text (
  organisation_id INTEGER PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
  name_stems TEXT NOT NULL,
  body_stems TEXT NOT NULL,
  folded TEXT NOT NULL
);
INSERT INTO org_search_text (organisation_id, name_stems, body_stems, folded)
SELECT s.rowid, s.name, s.body, t.text
  FROM org_stems s JOIN org_trigram t ON t.rowid = s.rowid;
DROP TABLE org_stems;
DROP TABLE org_trigram;
