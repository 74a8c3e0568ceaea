-- Operator app registrations and the credentials that act for them.
CREATE TABLE clients (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE client_platforms (
    client_id   TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    platform    TEXT NOT NULL CHECK (platform IN ('twitch', 'kick', 'youtube', 'facebook', 'instagram')),
    enabled     INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    PRIMARY KEY (client_id, platform)
);

CREATE TABLE api_keys (
    key         TEXT PRIMARY KEY,
    client_id   TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('publishable', 'secret')),
    scopes      TEXT NOT NULL,           -- space-separated
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at  INTEGER NOT NULL
);

CREATE TABLE key_origins (
    key         TEXT NOT NULL REFERENCES api_keys(key) ON DELETE CASCADE,
    origin      TEXT NOT NULL,
    PRIMARY KEY (key, origin)
);

CREATE TABLE redirect_uris (
    client_id   TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    uri         TEXT NOT NULL,
    PRIMARY KEY (client_id, uri)
);

CREATE TABLE tokens (
    token       TEXT PRIMARY KEY,
    client_id   TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL,
    scopes      TEXT NOT NULL,
    expires_at  INTEGER NOT NULL,        -- ms since the Unix epoch
    created_at  INTEGER NOT NULL
);

-- The one demo client and user that --seed-demo made, so a restart reuses its keys.
CREATE TABLE demo_seed (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    client_id       TEXT NOT NULL REFERENCES clients(id),
    user_id         TEXT NOT NULL,
    publishable_key TEXT NOT NULL REFERENCES api_keys(key),
    secret_key      TEXT NOT NULL REFERENCES api_keys(key)
);
