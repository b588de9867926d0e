-- Organizational life (issue 4): activities, attendance, votes, amendments, maintained counters.

ALTER TABLE org_nodes ADD COLUMN reports_activities BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE activities (
    id                  INTEGER PRIMARY KEY,
    org_id              INTEGER NOT NULL REFERENCES org_nodes(id),
    kind                TEXT NOT NULL,
    topic               TEXT NOT NULL,
    starts_at           INTEGER NOT NULL,
    ends_at             INTEGER NOT NULL,
    held_on             TEXT NOT NULL,          -- China date of starts_at: the period it counts for
    place               TEXT NOT NULL DEFAULT '',
    online              BOOLEAN NOT NULL DEFAULT FALSE,
    host_member_id      INTEGER REFERENCES members(id),
    recorder_member_id  INTEGER REFERENCES members(id),
    speaker_member_id   INTEGER REFERENCES members(id),
    agenda              TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL,
    needs_approval      BOOLEAN NOT NULL,
    approver_org_id     INTEGER REFERENCES org_nodes(id),
    decision_note       TEXT NOT NULL DEFAULT '',
    created_by          INTEGER NOT NULL REFERENCES accounts(id),
    decided_by          INTEGER REFERENCES accounts(id),
    decided_at          INTEGER,
    published_at        INTEGER,
    checkin_secret      TEXT NOT NULL,
    checkin_open        BOOLEAN NOT NULL DEFAULT FALSE,
    minutes             TEXT NOT NULL DEFAULT '',
    resolutions         TEXT NOT NULL DEFAULT '',
    minutes_by          INTEGER REFERENCES accounts(id),
    minutes_at          INTEGER,
    archived_at         INTEGER,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);
CREATE INDEX activities_org_held ON activities(org_id, held_on);
CREATE INDEX activities_approver ON activities(approver_org_id, status);

CREATE TABLE activity_attendees (
    activity_id       INTEGER NOT NULL REFERENCES activities(id),
    member_id         INTEGER NOT NULL REFERENCES members(id),
    invited_as        TEXT NOT NULL DEFAULT '',   -- '' for the node's own members
    status            TEXT NOT NULL,              -- expected, present, leave_requested, leave, absent
    checked_in_at     INTEGER,
    check_in_method   TEXT NOT NULL DEFAULT '',   -- qr, manual
    leave_reason      TEXT NOT NULL DEFAULT '',
    make_up           TEXT NOT NULL DEFAULT '',   -- '', assigned, done
    make_up_note      TEXT NOT NULL DEFAULT '',
    make_up_done_at   INTEGER,
    revision          INTEGER NOT NULL DEFAULT 0, -- corrections after the meeting, for event keys
    PRIMARY KEY (activity_id, member_id)
);
CREATE INDEX activity_attendees_member ON activity_attendees(member_id);

CREATE TABLE activity_votes (
    id               INTEGER PRIMARY KEY,
    activity_id      INTEGER NOT NULL REFERENCES activities(id),
    motion           TEXT NOT NULL,
    purpose          TEXT NOT NULL,
    expected_voters  INTEGER NOT NULL,
    present_voters   INTEGER NOT NULL,
    in_favour        INTEGER NOT NULL,
    against          INTEGER NOT NULL,
    abstaining       INTEGER NOT NULL,
    carried          BOOLEAN NOT NULL,
    explanation      TEXT NOT NULL,
    recorded_by      INTEGER NOT NULL REFERENCES accounts(id),
    recorded_at      INTEGER NOT NULL
);
CREATE INDEX activity_votes_activity ON activity_votes(activity_id);

CREATE TABLE activity_amendments (
    id           INTEGER PRIMARY KEY,
    activity_id  INTEGER NOT NULL REFERENCES activities(id),
    at           INTEGER NOT NULL,
    account_id   INTEGER NOT NULL REFERENCES accounts(id),
    author       TEXT NOT NULL,
    reason       TEXT NOT NULL,
    field        TEXT NOT NULL,
    before_text  TEXT NOT NULL,
    after_text   TEXT NOT NULL
);
CREATE INDEX activity_amendments_activity ON activity_amendments(activity_id);

-- Maintained by every write that holds an activity: `held` counts the node's own activities of
-- the kind in the period (2026-11, 2026-Q4, 2026); `nodes_done` counts the nodes of the subtree
-- (itself included) that held at least one. A committee's view reads these, never the activities.
CREATE TABLE activity_counters (
    org_id      INTEGER NOT NULL REFERENCES org_nodes(id),
    period      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    held        INTEGER NOT NULL DEFAULT 0,
    nodes_done  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (org_id, period, kind)
);

-- Per member and month: did they take part (attended) or have a proper reason (excused)?
CREATE TABLE member_life_months (
    member_id  INTEGER NOT NULL REFERENCES members(id),
    month      TEXT NOT NULL,
    attended   INTEGER NOT NULL DEFAULT 0,
    excused    INTEGER NOT NULL DEFAULT 0,
    absent     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (member_id, month)
);

-- A member's private calendar feed: the secret URL's token, stored hashed.
CREATE TABLE calendar_feeds (
    member_id   INTEGER PRIMARY KEY REFERENCES members(id),
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL
);
