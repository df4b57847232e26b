-- Directory search: a stem index (German Snowball stems computed by the application,
-- src/search/analyzer.cpp) and a trigram index over folded text for substrings of
-- compounds ("hilfe" in "Jugendhilfe"). Both are filled by store::index_organisation.

ALTER TABLE organisations ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';
CREATE INDEX organisations_sort ON organisations(status, sort_key, id);

CREATE VIRTUAL TABLE org_stems USING fts5(name, body, prefix = '2 3 4');
CREATE VIRTUAL TABLE org_trigram USING fts5(text, tokenize = 'trigram');
