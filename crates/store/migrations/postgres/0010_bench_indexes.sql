-- Found by the benchmark (issue #8, docs/performance.md): a committee's compliance page counts and
-- pages the branches and groups of its subtree. With only the path index, every node of the
-- subtree was read to filter by kind; this index reaches one kind's active nodes in path order.
CREATE INDEX org_nodes_kind_path ON org_nodes(kind, status, path);
-- A node's active children of one kind (a branch's groups): without statistics SQLite would
-- otherwise prefer the index above (two equalities) to the parent index and read every group.
CREATE INDEX org_nodes_parent_kind ON org_nodes(parent_id, kind, status);
