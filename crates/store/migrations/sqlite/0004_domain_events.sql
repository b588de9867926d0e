-- Domain events other modules consume (the points ledger awards from them). Append-only; the
-- source key makes each event exactly-once: recording the same fact twice is a no-op.
CREATE TABLE domain_events (
    id           INTEGER PRIMARY KEY,
    source_key   TEXT NOT NULL UNIQUE,   -- stable id of the fact, e.g. "activity:12:member:34:attended"
    kind         TEXT NOT NULL,
    member_id    INTEGER REFERENCES members(id),
    org_id       INTEGER NOT NULL REFERENCES org_nodes(id),
    occurred_on  TEXT NOT NULL,          -- civil date the fact belongs to (its period)
    recorded_at  INTEGER NOT NULL,
    payload      TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX domain_events_member ON domain_events(member_id, occurred_on);
CREATE INDEX domain_events_kind ON domain_events(kind, id);

CREATE TRIGGER domain_events_no_update BEFORE UPDATE ON domain_events
BEGIN SELECT RAISE(ABORT, 'domain_events is append-only'); END;
CREATE TRIGGER domain_events_no_delete BEFORE DELETE ON domain_events
BEGIN SELECT RAISE(ABORT, 'domain_events is append-only'); END;
