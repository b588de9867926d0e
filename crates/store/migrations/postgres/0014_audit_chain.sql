-- The audit log's hash chain (issue #15), like the points ledger's: one link per audit entry, in
-- append order, each with the hash of the link before it and a SHA-256 over the entry's fields
-- (domain::chain). A table beside audit_log, so the entries themselves stay untouched (and their
-- append-only triggers unchanged) while entries written before this migration are chained once
-- at start-up, in id order.
CREATE TABLE audit_chain (
    seq        BIGINT PRIMARY KEY,
    audit_id   BIGINT NOT NULL UNIQUE REFERENCES audit_log(id),
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);

CREATE TRIGGER audit_chain_no_change BEFORE UPDATE OR DELETE ON audit_chain
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- The chain's head, one row; appends lock it, so concurrent writers never fork the chain.
CREATE TABLE audit_chain_head (
    id         BIGINT PRIMARY KEY,
    seq        BIGINT NOT NULL,
    head_hash  TEXT NOT NULL
);
INSERT INTO audit_chain_head (id, seq, head_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
