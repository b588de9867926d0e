-- Party dues (党费, issue #6). Money is integer fen; months are 'YYYY-MM' text, which sorts in
-- time order; civil dates are 'YYYY-MM-DD'.

-- Per top-level organization: the farmers' fixed monthly amount the provincial committee set
-- (党费规定: 0.20 to 1.00 yuan; default 0.20 when no row exists).
CREATE TABLE dues_settings (
    org_id             INTEGER PRIMARY KEY REFERENCES org_nodes(id),
    farmer_amount_fen  INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);

-- A member's dues category and monthly base, effective from a month until a later row takes
-- over. Never updated: the yearly assessment (每年初核定) is a row from January, a mid-year
-- change a row from the chosen month, a correction another row.
CREATE TABLE dues_bases (
    id              INTEGER PRIMARY KEY,
    member_id       INTEGER NOT NULL REFERENCES members(id),
    org_id          INTEGER NOT NULL REFERENCES org_nodes(id),
    effective_from  TEXT NOT NULL,
    category        TEXT NOT NULL,
    base_fen        INTEGER,
    amount_fen      INTEGER NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',
    created_by      INTEGER REFERENCES accounts(id),
    created_at      INTEGER NOT NULL
);
CREATE INDEX dues_bases_member ON dues_bases(member_id, effective_from, id);

-- Reduced or exempted dues for members in hardship: the member applies, the branch decides,
-- the superior committee approves (党费规定); the months it covers and the decision's dates.
CREATE TABLE dues_reliefs (
    id            INTEGER PRIMARY KEY,
    member_id     INTEGER NOT NULL REFERENCES members(id),
    org_id        INTEGER NOT NULL REFERENCES org_nodes(id),
    kind          TEXT NOT NULL,
    amount_fen    INTEGER NOT NULL,
    from_month    TEXT NOT NULL,
    to_month      TEXT NOT NULL,
    applied_on    TEXT NOT NULL,
    decided_on    TEXT NOT NULL,
    approved_on   TEXT NOT NULL,
    decision_ref  TEXT NOT NULL,
    created_by    INTEGER REFERENCES accounts(id),
    created_at    INTEGER NOT NULL
);
CREATE INDEX dues_reliefs_member ON dues_reliefs(member_id, from_month);

-- Voluntary extra dues (自愿多交) and special dues (特殊党费): never mixed into the monthly sheet.
CREATE TABLE dues_extras (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members(id),
    org_id      INTEGER NOT NULL REFERENCES org_nodes(id),
    kind        TEXT NOT NULL,
    amount_fen  INTEGER NOT NULL,
    paid_on     TEXT NOT NULL,
    purpose     TEXT NOT NULL DEFAULT '',
    channel     TEXT NOT NULL,
    receipt_no  TEXT NOT NULL DEFAULT '',
    created_by  INTEGER REFERENCES accounts(id),
    created_at  INTEGER NOT NULL
);
CREATE INDEX dues_extras_member ON dues_extras(member_id, paid_on);

-- The monthly sheet: one row per member and month, opened with the amount due. `org_id` is the
-- node the row counts toward (the member's group, else the branch) when it was opened.
-- `arrears_streak` is the number of consecutive unpaid months ending with this one.
CREATE TABLE dues_months (
    id              INTEGER PRIMARY KEY,
    member_id       INTEGER NOT NULL REFERENCES members(id),
    branch_id       INTEGER NOT NULL REFERENCES org_nodes(id),
    org_id          INTEGER NOT NULL REFERENCES org_nodes(id),
    month           TEXT NOT NULL,
    due_fen         INTEGER NOT NULL,
    paid_fen        INTEGER NOT NULL DEFAULT 0,
    status          TEXT NOT NULL,
    paid_on         TEXT,
    channel         TEXT NOT NULL DEFAULT '',
    receipt_no      TEXT NOT NULL DEFAULT '',
    arrears_streak  INTEGER NOT NULL DEFAULT 0,
    updated_at      INTEGER NOT NULL,
    UNIQUE (member_id, month)
);
CREATE INDEX dues_months_sheet ON dues_months(branch_id, month);
CREATE INDEX dues_months_org ON dues_months(org_id, month);

-- Totals per organization node and month, for the node's whole subtree, kept up to date in the
-- same transaction as every sheet write: a committee's summary reads rows, it never scans sheets.
CREATE TABLE dues_totals (
    org_id         INTEGER NOT NULL REFERENCES org_nodes(id),
    month          TEXT NOT NULL,
    members        INTEGER NOT NULL DEFAULT 0,
    due_fen        INTEGER NOT NULL DEFAULT 0,
    collected_fen  INTEGER NOT NULL DEFAULT 0,
    settled        INTEGER NOT NULL DEFAULT 0,
    partial        INTEGER NOT NULL DEFAULT 0,
    warned         INTEGER NOT NULL DEFAULT 0,
    flagged        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (org_id, month)
);
