-- Linked platform accounts, keyed by (client, user, platform) as the contract says.
CREATE TABLE connections (
    client_id         TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    user_id           TEXT NOT NULL,
    platform          TEXT NOT NULL,
    platform_username TEXT NOT NULL,
    platform_user_id  TEXT NOT NULL,
    connected_at      INTEGER NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('ok', 'reauth_required')),
    PRIMARY KEY (client_id, user_id, platform)
);

-- One-shot hosted-consent authorizations. `id` is in the consent URL; `state` is the client's.
CREATE TABLE authorizations (
    id            TEXT PRIMARY KEY,
    client_id     TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    user_id       TEXT NOT NULL,
    platform      TEXT NOT NULL,
    state         TEXT NOT NULL,
    redirect_uri  TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('pending', 'connected', 'error')),
    error         TEXT,
    expires_at    INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    UNIQUE (client_id, state)
);

CREATE TABLE jobs (
    id                   TEXT PRIMARY KEY,
    client_id            TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    user_id              TEXT NOT NULL,
    seq                  INTEGER NOT NULL,       -- newest job of a user = highest seq
    status               TEXT NOT NULL,
    publisher_session_id TEXT NOT NULL,
    body                 TEXT NOT NULL           -- the rest of the Job as JSON
);
CREATE INDEX jobs_by_user ON jobs (client_id, user_id, seq);

-- The last 200 comments of each job. `seq` orders them service-wide; `id` is what clients see.
CREATE TABLE comments (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    id            TEXT NOT NULL UNIQUE,
    job_id        TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    body          TEXT NOT NULL                  -- the Comment as JSON
);
CREATE INDEX comments_by_job ON comments (job_id, seq);

CREATE TABLE idempotency_keys (
    client_id     TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    key           TEXT NOT NULL,
    body_hash     TEXT NOT NULL,
    job_id        TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (client_id, user_id, key)
);

-- The operator role for token mode: authorization codes (PKCE), grants with rotating refresh
-- tokens, and short-lived operator access tokens.
CREATE TABLE operator_codes (
    code            TEXT PRIMARY KEY,
    client_id       TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    redirect_uri    TEXT NOT NULL,
    code_challenge  TEXT NOT NULL,
    expires_at      INTEGER NOT NULL,
    used            INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE operator_grants (
    id              TEXT PRIMARY KEY,
    client_id       TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    refresh_token   TEXT NOT NULL UNIQUE,
    revoked         INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL
);

CREATE TABLE operator_access_tokens (
    token           TEXT PRIMARY KEY,
    grant_id        TEXT NOT NULL REFERENCES operator_grants(id) ON DELETE CASCADE,
    expires_at      INTEGER NOT NULL
);
