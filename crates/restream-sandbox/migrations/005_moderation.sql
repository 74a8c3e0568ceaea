-- v1.1 moderation. A moderation event is stored in the job's chat sequence, beside the comments,
-- so it moves Last-Event-ID and is replayed like one (and counts in the same 200). A deleted
-- comment keeps its row, so its id still works as a Last-Event-ID, but is no longer replayed.
ALTER TABLE comments ADD COLUMN kind TEXT NOT NULL DEFAULT 'comment'
    CHECK (kind IN ('comment', 'moderation'));
ALTER TABLE comments ADD COLUMN deleted_at INTEGER;

-- Who may not chat on a platform: banned (`until` NULL) or timed out until `until` (ms).
CREATE TABLE chat_restrictions (
    client_id   TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL,
    platform    TEXT NOT NULL,
    author_id   TEXT NOT NULL,
    until       INTEGER,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (client_id, user_id, platform, author_id)
);

-- The demo seed's keys hold every scope, and v1.1 adds one.
UPDATE api_keys SET scopes = scopes || ' chat:moderate'
WHERE key IN (SELECT publishable_key FROM demo_seed UNION SELECT secret_key FROM demo_seed)
  AND (' ' || scopes || ' ') NOT LIKE '% chat:moderate %';
