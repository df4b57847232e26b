-- The wall's "Häufige Hashtags": counted over the visible posts of the last 90 days by a
-- scheduled job (and again after each moderation step that changes what is visible),
-- so that a wall page reads a dozen rows instead of grouping every post's tags.
CREATE TABLE wall_tag_counts (
  tag TEXT PRIMARY KEY,
  posts BIGINT NOT NULL,
  computed_at BIGINT NOT NULL
);
