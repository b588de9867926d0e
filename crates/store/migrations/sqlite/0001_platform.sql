-- Platform foundation: organization nodes, accounts, sessions, API tokens, login throttling,
-- settings and the audit log. Instants are INTEGER microseconds since the epoch (UTC).

CREATE TABLE org_nodes (
    id          INTEGER PRIMARY KEY,
    parent_id   INTEGER REFERENCES org_nodes(id),
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    -- Materialized path '/1/5/12/': a subtree is the range [path, path-with-last-slash-as-'0').
    path        TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'active',
    created_at  INTEGER NOT NULL
);
CREATE INDEX org_nodes_path ON org_nodes(path);
CREATE INDEX org_nodes_parent ON org_nodes(parent_id);

CREATE TABLE accounts (
    id                    INTEGER PRIMARY KEY,
    phone                 TEXT NOT NULL UNIQUE,
    name                  TEXT NOT NULL,
    password_hash         TEXT NOT NULL,
    role                  TEXT NOT NULL,
    org_id                INTEGER REFERENCES org_nodes(id),
    must_change_password  BOOLEAN NOT NULL DEFAULT FALSE,
    failed_attempts       INTEGER NOT NULL DEFAULT 0,
    locked_until          INTEGER,
    disabled              BOOLEAN NOT NULL DEFAULT FALSE,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL
);
CREATE INDEX accounts_org ON accounts(org_id);

CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts(id),
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL,
    client_ip     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_account ON sessions(account_id);

CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts(id),
    name          TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    created_by    INTEGER NOT NULL REFERENCES accounts(id),
    created_at    INTEGER NOT NULL,
    revoked_at    INTEGER,
    last_used_at  INTEGER
);
CREATE INDEX api_tokens_account ON api_tokens(account_id);

CREATE TABLE login_failures (
    id         INTEGER PRIMARY KEY,
    client_ip  TEXT NOT NULL,
    phone      TEXT NOT NULL,
    at         INTEGER NOT NULL
);
CREATE INDEX login_failures_ip_at ON login_failures(client_ip, at);

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

CREATE TABLE audit_log (
    id                INTEGER PRIMARY KEY,
    at                INTEGER NOT NULL,
    actor_account_id  INTEGER REFERENCES accounts(id),
    actor_name        TEXT NOT NULL,
    action            TEXT NOT NULL,
    entity_type       TEXT NOT NULL,
    entity_id         TEXT,
    org_id            INTEGER REFERENCES org_nodes(id),
    summary           TEXT NOT NULL,
    before_state      TEXT,
    after_state       TEXT,
    client_ip         TEXT NOT NULL DEFAULT '',
    request_id        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_actor_at ON audit_log(actor_account_id, at);
CREATE INDEX audit_log_entity ON audit_log(entity_type, entity_id);
CREATE INDEX audit_log_org_at ON audit_log(org_id, at);

-- The audit log is append-only; not even a bug in the product can rewrite it.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
