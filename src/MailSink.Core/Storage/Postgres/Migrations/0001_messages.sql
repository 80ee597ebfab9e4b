-- MailSink's PostgreSQL schema, version 1: messages, their raw bytes, sessions and exact counts.
-- Applied once by PostgresMigrator under an advisory lock and recorded in schema_migrations.

-- Trigram indexes answer the search's substring terms ("exam" finds "example"): a tsvector cannot, it matches
-- whole words or prefixes only. pg_trgm ships with PostgreSQL (contrib) and is a trusted extension since 13.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- One row per message. The columns are what SQL sorts, filters and counts on; summary is the whole
-- MessageSummary (System.Text.Json, all but SearchText, Read and Tags, which are columns) and is what is read back.
CREATE TABLE messages (
    id           text        PRIMARY KEY,
    received_at  timestamptz NOT NULL,
    session_id   text        NOT NULL,
    from_address text        NOT NULL,
    subject      text        NOT NULL,
    size         bigint      NOT NULL,
    read         boolean     NOT NULL DEFAULT false,
    tags         text[]      NOT NULL DEFAULT '{}',
    summary      jsonb       NOT NULL,
    -- Lower-cased decoded subject, addresses and text (MessageSummary.SearchText): what plain search words match.
    search_text  text        NOT NULL
);

-- Newest first and keyset paging: ORDER BY received_at DESC, id DESC walks this index backwards.
CREATE INDEX messages_received ON messages (received_at, id);
CREATE INDEX messages_search ON messages USING gin (search_text gin_trgm_ops);
CREATE INDEX messages_tags ON messages USING gin (tags);
CREATE INDEX messages_unread ON messages (id) WHERE NOT read;

-- Raw bytes apart, so listing never reads them; zstd-compressed by MailSink (RawCompression) when that
-- saves space, original_length 0 when stored as they came. EXTERNAL: already compressed, do not pglz them again.
CREATE TABLE message_raw (
    id              text   PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    stored          bytea  NOT NULL,
    original_length int    NOT NULL
);
ALTER TABLE message_raw ALTER COLUMN stored SET STORAGE EXTERNAL;

-- One row per SMTP session; the transcript lines apart, so a session list never reads them.
CREATE TABLE sessions (
    id          text        PRIMARY KEY,
    started_at  timestamptz NOT NULL,
    outcome     text        NOT NULL,
    message_ids text[]      NOT NULL DEFAULT '{}',
    line_count  int         NOT NULL,
    summary     jsonb       NOT NULL,
    lines       jsonb       NOT NULL
);
CREATE INDEX sessions_started ON sessions (started_at, id);

-- Exact counts kept in the transactions that change them (COUNT(*) reads every row; pg_class is an estimate).
CREATE TABLE counters (
    id       int    PRIMARY KEY CHECK (id = 1),
    messages bigint NOT NULL,
    unread   bigint NOT NULL,
    sessions bigint NOT NULL
);
INSERT INTO counters VALUES (1, 0, 0, 0);

-- Each node takes the next number at start-up; modulo 256 it is the top byte of the counter in its message IDs
-- (Domain/MessageIdGenerator.UseNodeSlot), so two live nodes never make the same ID.
CREATE SEQUENCE node_slots;
