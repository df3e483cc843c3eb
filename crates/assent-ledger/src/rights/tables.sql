-- The rights API's tables: the same SQL on SQLite and PostgreSQL.
CREATE TABLE IF NOT EXISTS rights_accounts (
    account    TEXT   NOT NULL PRIMARY KEY,
    restricted BIGINT,
    erased     BIGINT
);
CREATE TABLE IF NOT EXISTS rights_requests (
    id       TEXT   NOT NULL PRIMARY KEY,
    account  TEXT   NOT NULL,
    kind     TEXT   NOT NULL,
    status   TEXT   NOT NULL,
    received BIGINT NOT NULL,
    due      BIGINT,
    lease    BIGINT,
    doc      TEXT   NOT NULL
);
CREATE INDEX IF NOT EXISTS rights_requests_by_account ON rights_requests (account, received);
CREATE INDEX IF NOT EXISTS rights_requests_due ON rights_requests (status, due);
CREATE UNIQUE INDEX IF NOT EXISTS rights_one_erasure ON rights_requests (account)
    WHERE kind = 'erasure' AND status = 'in_progress';
CREATE UNIQUE INDEX IF NOT EXISTS rights_one_restriction ON rights_requests (account)
    WHERE kind = 'restriction' AND status = 'fulfilled' AND due IS NULL;
CREATE TABLE IF NOT EXISTS rights_idempotency (
    account     TEXT   NOT NULL,
    key         TEXT   NOT NULL,
    fingerprint TEXT   NOT NULL,
    status      BIGINT NOT NULL,
    body        TEXT   NOT NULL,
    created     BIGINT NOT NULL,
    PRIMARY KEY (account, key)
);
CREATE TABLE IF NOT EXISTS rights_downloads (
    token   TEXT   NOT NULL PRIMARY KEY,
    request TEXT   NOT NULL,
    account TEXT   NOT NULL,
    file    TEXT   NOT NULL,
    etag    TEXT   NOT NULL,
    expires BIGINT NOT NULL,
    revoked BIGINT
);
CREATE TABLE IF NOT EXISTS rights_warnings (
    id      TEXT   NOT NULL PRIMARY KEY,
    account TEXT   NOT NULL,
    issued  BIGINT NOT NULL,
    expires BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS rights_consents (
    id        TEXT   NOT NULL PRIMARY KEY,
    account   TEXT   NOT NULL,
    purpose   TEXT   NOT NULL,
    state     TEXT   NOT NULL,
    language  TEXT   NOT NULL,
    statement TEXT   NOT NULL,
    time      BIGINT NOT NULL,
    jws       TEXT   NOT NULL
);
CREATE INDEX IF NOT EXISTS rights_consents_by_account ON rights_consents (account, purpose, time);
CREATE TABLE IF NOT EXISTS rights_events (
    request TEXT   NOT NULL,
    event   TEXT   NOT NULL,
    time    BIGINT NOT NULL,
    detail  TEXT   NOT NULL,
    PRIMARY KEY (request, event)
);
CREATE TABLE IF NOT EXISTS rights_record_accounts (
    account TEXT NOT NULL,
    subject TEXT NOT NULL,
    PRIMARY KEY (account, subject)
);
