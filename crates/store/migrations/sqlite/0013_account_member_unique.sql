-- A member has at most one account (issue #14): the roster's accounts, self-activation and
-- linking by hand all rely on it.
CREATE UNIQUE INDEX accounts_member ON accounts(member_id);
