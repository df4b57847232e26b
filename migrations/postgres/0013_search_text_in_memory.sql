-- The directory matches search words in memory (store/directory_text.cpp: an inverted
-- index of stems and the trigram signatures of the folded texts, built when a node
-- loads the directory), the same way on both dialects. A common word ("Kinder": 9,000
-- of 20,000 organisations) took 8-14 ms through the GIN index, most of it reading the
-- heap page of every hit; the in-memory index answers in well under a millisecond
-- (bench/db/README.md). The database keeps what the index is built from: per
-- organisation its distinct name stems, the distinct stems of the rest, and the folded
-- text.
CREATE TABLE org_search_text (
  organisation_id BIGINT PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
  name_stems TEXT NOT NULL,
  body_stems TEXT NOT NULL,
  folded TEXT NOT NULL
);
INSERT INTO org_search_text (organisation_id, name_stems, body_stems, folded)
SELECT organisation_id, array_to_string(tsvector_to_array(name_tsv), ' '),
       array_to_string(tsvector_to_array(all_tsv), ' '), folded
  FROM org_search;
DROP TABLE org_search;
