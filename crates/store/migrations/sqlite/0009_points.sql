-- Points (积分管理, issue #5). Points are integer tenths (+0.5 is 5); dates ISO text.

-- A node's rulebook version: the items it defines (overriding inherited ones) from a date on.
CREATE TABLE points_rule_versions (
    id              INTEGER PRIMARY KEY,
    org_id          INTEGER NOT NULL REFERENCES org_nodes(id),
    effective_from  TEXT NOT NULL,
    base_points     INTEGER,
    note            TEXT NOT NULL DEFAULT '',
    created_by      INTEGER REFERENCES accounts(id),
    created_at      INTEGER NOT NULL,
    UNIQUE (org_id, effective_from)
);
CREATE TABLE points_rule_items (
    version_id  INTEGER NOT NULL REFERENCES points_rule_versions(id),
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    category    TEXT NOT NULL,
    points      INTEGER NOT NULL,
    min_points  INTEGER NOT NULL,
    max_points  INTEGER NOT NULL,
    cap         INTEGER,
    cap_period  TEXT NOT NULL,
    trigger_on  TEXT NOT NULL,
    enabled     BOOLEAN NOT NULL,
    PRIMARY KEY (version_id, code)
);

-- The ledger: append-only, one hash chain per branch (seq 1, 2, ...).
CREATE TABLE points_entries (
    id                 INTEGER PRIMARY KEY,
    branch_id          INTEGER NOT NULL REFERENCES org_nodes(id),
    seq                INTEGER NOT NULL,
    member_id          INTEGER NOT NULL REFERENCES members(id),
    org_id             INTEGER NOT NULL REFERENCES org_nodes(id),
    item_code          TEXT NOT NULL,
    item_name          TEXT NOT NULL,
    rule_version_id    INTEGER,
    points             INTEGER NOT NULL,
    reason             TEXT NOT NULL,
    source_key         TEXT NOT NULL UNIQUE,
    reverses_entry_id  INTEGER REFERENCES points_entries(id),
    proposed_by        TEXT NOT NULL DEFAULT '',
    approved_by        TEXT NOT NULL DEFAULT '',
    occurred_on        TEXT NOT NULL,
    recorded_at        INTEGER NOT NULL,
    prev_hash          TEXT NOT NULL,
    hash               TEXT NOT NULL,
    UNIQUE (branch_id, seq)
);
CREATE INDEX points_entries_member ON points_entries(member_id, occurred_on);
CREATE INDEX points_entries_cap ON points_entries(member_id, item_code, occurred_on);
CREATE UNIQUE INDEX points_entries_reversal ON points_entries(reverses_entry_id) WHERE reverses_entry_id IS NOT NULL;
CREATE TRIGGER points_entries_no_update BEFORE UPDATE ON points_entries
BEGIN SELECT RAISE(ABORT, 'points_entries is append-only'); END;
CREATE TRIGGER points_entries_no_delete BEFORE DELETE ON points_entries
BEGIN SELECT RAISE(ABORT, 'points_entries is append-only'); END;

-- The head of each branch's chain; appends lock this row, so the chain never forks.
CREATE TABLE points_chain_heads (
    branch_id  INTEGER PRIMARY KEY REFERENCES org_nodes(id),
    seq        INTEGER NOT NULL,
    head_hash  TEXT NOT NULL
);

-- How far the consumer of domain_events has read.
CREATE TABLE points_cursor (
    name           TEXT PRIMARY KEY,
    last_event_id  INTEGER NOT NULL
);
INSERT INTO points_cursor (name, last_event_id) VALUES ('domain_events', 0);

-- Manual awards and deductions: proposed, then approved or rejected by the branch.
CREATE TABLE points_proposals (
    id             INTEGER PRIMARY KEY,
    branch_id      INTEGER NOT NULL REFERENCES org_nodes(id),
    member_id      INTEGER NOT NULL REFERENCES members(id),
    item_code      TEXT NOT NULL,
    points         INTEGER NOT NULL,
    reason         TEXT NOT NULL,
    evidence       TEXT NOT NULL DEFAULT '',
    occurred_on    TEXT NOT NULL,
    proposed_by    INTEGER NOT NULL REFERENCES accounts(id),
    proposer_name  TEXT NOT NULL,
    status         TEXT NOT NULL,
    decided_by     INTEGER REFERENCES accounts(id),
    decider_name   TEXT NOT NULL DEFAULT '',
    decision_note  TEXT NOT NULL DEFAULT '',
    entry_id       INTEGER REFERENCES points_entries(id),
    created_at     INTEGER NOT NULL
);
CREATE INDEX points_proposals_branch ON points_proposals(branch_id, status, id);

-- Maintained totals, updated in the transaction of every entry. Periods: 2026-03, 2026-Q1, 2026.
CREATE TABLE points_member_totals (
    member_id    INTEGER NOT NULL REFERENCES members(id),
    branch_id    INTEGER NOT NULL REFERENCES org_nodes(id),
    period       TEXT NOT NULL,
    group_id     INTEGER,
    branch_path  TEXT NOT NULL,
    points       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (member_id, branch_id, period)
);
CREATE INDEX points_member_totals_group ON points_member_totals(group_id, period, points);
CREATE INDEX points_member_totals_branch ON points_member_totals(branch_id, period, points);
CREATE INDEX points_member_totals_rank ON points_member_totals(period, points, branch_path);
CREATE TABLE points_org_totals (
    org_id  INTEGER NOT NULL REFERENCES org_nodes(id),
    period  TEXT NOT NULL,
    points  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (org_id, period)
);

-- Published bulletins (积分通报): visible to the members of the node once published.
CREATE TABLE points_bulletins (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES org_nodes(id),
    period        TEXT NOT NULL,
    published_by  INTEGER REFERENCES accounts(id),
    published_at  INTEGER NOT NULL,
    UNIQUE (org_id, period)
);

-- 民主评议党员: one campaign per branch and year; self-evaluations; mutual ratings (the rater is
-- kept only to refuse a second rating and never shown); the committee's proposal and the
-- assembly's confirmation per member.
CREATE TABLE eval_campaigns (
    id               INTEGER PRIMARY KEY,
    branch_id        INTEGER NOT NULL REFERENCES org_nodes(id),
    year             INTEGER NOT NULL,
    status           TEXT NOT NULL,
    excellent_share  INTEGER NOT NULL,
    floor_points     INTEGER NOT NULL,
    confirmed_on     TEXT,
    created_by       INTEGER REFERENCES accounts(id),
    created_at       INTEGER NOT NULL,
    UNIQUE (branch_id, year)
);
CREATE TABLE eval_self (
    campaign_id   INTEGER NOT NULL REFERENCES eval_campaigns(id),
    member_id     INTEGER NOT NULL REFERENCES members(id),
    text          TEXT NOT NULL,
    submitted_at  INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, member_id)
);
CREATE TABLE eval_ratings (
    campaign_id  INTEGER NOT NULL REFERENCES eval_campaigns(id),
    rater_id     INTEGER NOT NULL REFERENCES members(id),
    ratee_id     INTEGER NOT NULL REFERENCES members(id),
    rating       TEXT NOT NULL,
    PRIMARY KEY (campaign_id, rater_id, ratee_id)
);
CREATE TABLE eval_results (
    campaign_id  INTEGER NOT NULL REFERENCES eval_campaigns(id),
    member_id    INTEGER NOT NULL REFERENCES members(id),
    rating       TEXT NOT NULL,
    year_points  INTEGER NOT NULL,
    handling     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (campaign_id, member_id)
);
CREATE INDEX eval_results_member ON eval_results(member_id);

-- 争先创优: a campaign of a node, nominations, the decision with its public notice dates,
-- objections filed during the notice, and the final list.
CREATE TABLE award_campaigns (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES org_nodes(id),
    title        TEXT NOT NULL,
    status       TEXT NOT NULL,
    notice_from  TEXT,
    notice_to    TEXT,
    created_by   INTEGER REFERENCES accounts(id),
    created_at   INTEGER NOT NULL
);
CREATE INDEX award_campaigns_org ON award_campaigns(org_id, id);
CREATE TABLE award_nominations (
    id            INTEGER PRIMARY KEY,
    campaign_id   INTEGER NOT NULL REFERENCES award_campaigns(id),
    honour        TEXT NOT NULL,
    member_id     INTEGER REFERENCES members(id),
    group_id      INTEGER REFERENCES org_nodes(id),
    nominee_name  TEXT NOT NULL,
    reason        TEXT NOT NULL,
    nominated_by  TEXT NOT NULL,
    selected      BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX award_nominations_member ON award_nominations(member_id);
CREATE TABLE award_objections (
    id             INTEGER PRIMARY KEY,
    nomination_id  INTEGER NOT NULL REFERENCES award_nominations(id),
    filed_by       INTEGER NOT NULL REFERENCES accounts(id),
    text           TEXT NOT NULL,
    filed_at       INTEGER NOT NULL
);

-- 效能考核: the weights (percent) of the score's components, set on a node for its subtree.
CREATE TABLE assessment_weights (
    org_id      INTEGER PRIMARY KEY REFERENCES org_nodes(id),
    compliance  INTEGER NOT NULL,
    attendance  INTEGER NOT NULL,
    points      INTEGER NOT NULL,
    dues        INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
