-- Transfers of membership (组织关系转接): within the system, out of it and into it.
CREATE TABLE transfers (
    id                INTEGER PRIMARY KEY,
    member_id         INTEGER NOT NULL REFERENCES members(id),
    kind              TEXT NOT NULL,              -- internal, out, in
    status            TEXT NOT NULL,              -- pending, accepted, rejected, cancelled, issued, received
    from_branch_id    INTEGER REFERENCES org_nodes(id),
    to_branch_id      INTEGER REFERENCES org_nodes(id),
    to_group_id       INTEGER REFERENCES org_nodes(id),
    counterpart       TEXT NOT NULL DEFAULT '',   -- the outside organization (out: destination, in: origin)
    letter_no         TEXT NOT NULL DEFAULT '',
    issued_on         TEXT,
    slip_due_on       TEXT,
    slip_returned_on  TEXT,
    reason            TEXT NOT NULL DEFAULT '',
    decision_note     TEXT NOT NULL DEFAULT '',
    initiated_by      INTEGER NOT NULL REFERENCES accounts(id),
    decided_by        INTEGER REFERENCES accounts(id),
    created_at        INTEGER NOT NULL,
    decided_at        INTEGER
);
CREATE INDEX transfers_member ON transfers(member_id);
CREATE INDEX transfers_from ON transfers(from_branch_id, status);
CREATE INDEX transfers_to ON transfers(to_branch_id, status);
