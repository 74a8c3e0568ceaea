-- v1.1 ingest: the RTMP stream keys of each (client, user). One is current (retired_at NULL);
-- a rotated key is kept, retired, so that the ingest can still end the session it started.
CREATE TABLE ingest_keys (
    stream_key  TEXT PRIMARY KEY,
    client_id   TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    retired_at  INTEGER
);

CREATE UNIQUE INDEX ingest_keys_current ON ingest_keys (client_id, user_id) WHERE retired_at IS NULL;
