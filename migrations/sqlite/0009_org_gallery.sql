-- A small gallery per organisation: images (media keys) with the text that describes
-- them for people who cannot see them, in the order they were added.
CREATE TABLE organisation_images (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  media_key TEXT NOT NULL,
  alt TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX organisation_images_org ON organisation_images(organisation_id, id);
