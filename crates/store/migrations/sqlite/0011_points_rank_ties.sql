-- The root's top-50 by points (issue #8): with members tied on points (thousands at city scale)
-- the old index (period, points, branch_path) left the tie-break by member to a sort of every
-- tied row. This one gives the leaderboard's whole order, so LIMIT stops after 50 rows; the
-- bottom list reads it backwards.
DROP INDEX points_member_totals_rank;
CREATE INDEX points_member_totals_rank ON points_member_totals(period, points DESC, member_id, branch_path);
