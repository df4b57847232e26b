-- A published organisation that names another regional association asks to move: the
-- editors of that association decide; until then it stays where it is.
ALTER TABLE organisations ADD COLUMN requested_region_id BIGINT REFERENCES regions(id);
