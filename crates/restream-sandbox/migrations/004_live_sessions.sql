-- v1.1 live sessions: a publisher session that carries media. An RTMP session is started by a
-- publish with a current stream key; when the publish is lost it is `dropped_at` (its reconnect
-- window runs), and a publish on the same key within the window clears that; it ends when the
-- window passes.
CREATE TABLE live_sessions (
    id          TEXT PRIMARY KEY,
    client_id   TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL,
    source      TEXT NOT NULL CHECK (source IN ('rtmp', 'whip', 'external')),
    stream_key  TEXT,
    started_at  INTEGER NOT NULL,
    dropped_at  INTEGER,
    ended_at    INTEGER
);

CREATE INDEX live_sessions_open ON live_sessions (client_id, user_id) WHERE ended_at IS NULL;
CREATE UNIQUE INDEX live_sessions_open_key ON live_sessions (stream_key) WHERE ended_at IS NULL;
