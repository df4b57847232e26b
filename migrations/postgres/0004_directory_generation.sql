-- A counter bumped in the same transaction as every change that the directory shows
-- (index_organisation, review decisions), so that nodes can cache the unfiltered
-- facets and know when they are stale.
CREATE TABLE directory_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  generation BIGINT NOT NULL
);
INSERT INTO directory_state (id, generation) VALUES (1, 0);
