-- Member development (发展党员): applicants, the 25 steps as they are recorded, and the decisions
-- on a probation (extension, cancellation). Civil dates are ISO 'YYYY-MM-DD' text; instants micros.

CREATE TABLE applicants (
    id               INTEGER PRIMARY KEY,
    branch_id        INTEGER NOT NULL REFERENCES org_nodes(id),
    name             TEXT NOT NULL,
    name_initials    TEXT NOT NULL,
    gender           TEXT NOT NULL,
    ethnicity        TEXT NOT NULL,
    birth_date       TEXT NOT NULL,
    id_number        TEXT NOT NULL,
    phone            TEXT NOT NULL DEFAULT '',
    education        TEXT NOT NULL DEFAULT '',
    job_title        TEXT NOT NULL DEFAULT '',
    work_unit        TEXT NOT NULL DEFAULT '',
    received_on      TEXT NOT NULL,                 -- the day the branch received the application
    status           TEXT NOT NULL,                 -- in_progress, completed, cancelled
    member_id        INTEGER REFERENCES members(id),   -- the roster entry from step 15 on
    created_by       INTEGER NOT NULL REFERENCES accounts(id),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX applicants_branch ON applicants(branch_id, status);
-- One person, one pipeline at a time; a person whose probation was cancelled may apply again.
CREATE UNIQUE INDEX applicants_one_pipeline ON applicants(id_number) WHERE status = 'in_progress';

CREATE TABLE development_steps (
    id                 INTEGER PRIMARY KEY,
    applicant_id       INTEGER NOT NULL REFERENCES applicants(id),
    step               INTEGER NOT NULL,
    occurred_on        TEXT NOT NULL,
    details            TEXT NOT NULL,              -- the step as the checker reads it (JSON)
    deviation_reason   TEXT,                       -- set when recorded despite the rules, with why
    deviation          TEXT,                       -- the rules it breaks, as the checker said them
    recorded_by        INTEGER NOT NULL REFERENCES accounts(id),
    recorded_at        INTEGER NOT NULL,
    UNIQUE (applicant_id, step)
);

CREATE TABLE development_decisions (
    id                 INTEGER PRIMARY KEY,
    applicant_id       INTEGER NOT NULL REFERENCES applicants(id),
    kind               TEXT NOT NULL,              -- extension, cancellation (each at most once)
    decided_on         TEXT NOT NULL,
    details            TEXT NOT NULL,
    deviation_reason   TEXT,
    deviation          TEXT,
    recorded_by        INTEGER NOT NULL REFERENCES accounts(id),
    recorded_at        INTEGER NOT NULL,
    UNIQUE (applicant_id, kind)
);
