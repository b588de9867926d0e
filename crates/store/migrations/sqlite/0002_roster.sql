-- Organization details and the member roster (党员花名册). Civil dates are ISO 'YYYY-MM-DD' text.

ALTER TABLE org_nodes ADD COLUMN is_joint BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE org_nodes ADD COLUMN is_temporary BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE org_nodes ADD COLUMN joint_units INTEGER;
ALTER TABLE org_nodes ADD COLUMN term_years INTEGER;
ALTER TABLE org_nodes ADD COLUMN dissolved_on TEXT;

CREATE TABLE members (
    id                INTEGER PRIMARY KEY,
    branch_id         INTEGER NOT NULL REFERENCES org_nodes(id),
    group_id          INTEGER REFERENCES org_nodes(id),
    name              TEXT NOT NULL,
    name_initials     TEXT NOT NULL,
    gender            TEXT NOT NULL,
    ethnicity         TEXT NOT NULL,
    birth_date        TEXT NOT NULL,
    id_number         TEXT NOT NULL UNIQUE,
    phone             TEXT NOT NULL DEFAULT '',
    education         TEXT NOT NULL DEFAULT '',
    job_title         TEXT NOT NULL DEFAULT '',
    work_unit         TEXT NOT NULL DEFAULT '',
    category          TEXT NOT NULL,
    joined_on         TEXT,
    full_member_on    TEXT,
    status            TEXT NOT NULL DEFAULT 'normal',
    is_mobile         BOOLEAN NOT NULL DEFAULT FALSE,
    is_leading_cadre  BOOLEAN NOT NULL DEFAULT FALSE,
    is_retired        BOOLEAN NOT NULL DEFAULT FALSE,
    in_hardship       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
CREATE INDEX members_branch ON members(branch_id, status);
CREATE INDEX members_group ON members(group_id);
CREATE INDEX members_name ON members(name);
CREATE INDEX members_initials ON members(name_initials);
CREATE INDEX members_phone ON members(phone);

ALTER TABLE accounts ADD COLUMN member_id INTEGER REFERENCES members(id);

-- Positions held in an organization's committee or group (书记, 委员, 党小组长, ...).
CREATE TABLE positions (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES org_nodes(id),
    member_id     INTEGER NOT NULL REFERENCES members(id),
    position      TEXT NOT NULL,
    started_on    TEXT NOT NULL,
    obtained_by   TEXT NOT NULL,
    term_ends_on  TEXT,
    ended_on      TEXT,
    created_at    INTEGER NOT NULL
);
CREATE INDEX positions_org ON positions(org_id, ended_on);
CREATE INDEX positions_member ON positions(member_id);
