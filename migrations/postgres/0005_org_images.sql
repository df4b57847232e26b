-- Logo and cover image of an organisation: the key of the re-encoded files under
-- DATA/media/ (KEY-320.webp, KEY-160.jpg, ...); '' when there is none.
ALTER TABLE organisations ADD COLUMN logo_key TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN cover_key TEXT NOT NULL DEFAULT '';
