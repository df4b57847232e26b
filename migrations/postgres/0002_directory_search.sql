-- Directory search: the German stems computed by the application
-- (src/search/analyzer.cpp) as tsvectors of the 'simple' configuration (no second
-- stemming), and the folded text under a pg_trgm index for substrings of compounds
-- ("hilfe" in "Jugendhilfe"). Filled by store::index_organisation.

ALTER TABLE organisations ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';
CREATE INDEX organisations_sort ON organisations(status, sort_key, id);

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE org_search (
  organisation_id BIGINT PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
  name_tsv TSVECTOR NOT NULL,
  all_tsv TSVECTOR NOT NULL,
  folded TEXT NOT NULL
);
CREATE INDEX org_search_name ON org_search USING GIN (name_tsv);
CREATE INDEX org_search_all ON org_search USING GIN (all_tsv);
CREATE INDEX org_search_folded ON org_search USING GIN (folded gin_trgm_ops);
