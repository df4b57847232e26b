-- More of the profile: coordinates for the map (optional, entered by the organisation;
-- no geocoding service is asked), social links, a donation link and the details that
-- let the page serve as the organisation's legal web presence (Impressum, § 5 DDG).
ALTER TABLE organisations ADD COLUMN latitude DOUBLE PRECISION;
ALTER TABLE organisations ADD COLUMN longitude DOUBLE PRECISION;
ALTER TABLE organisations ADD COLUMN social_mastodon TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN social_instagram TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN social_facebook TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN social_linkedin TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN social_youtube TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN feed_url TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN donation_url TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN legal_representative TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN register_entry TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN content_responsible TEXT NOT NULL DEFAULT '';
