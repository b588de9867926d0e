//! The shape of a synthetic organization: committees nested 3 to 5 levels deep (the last level a
//! general branch, 党总支), twenty branches under each, groups in the larger branches.

use dangjian_domain::OrgKind;

use super::pick;

/// How big an organization to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// ≈ 300 members in 15 branches: for tests.
    Tiny,
    /// ≈ 20,000 members in 1,000 branches.
    County,
    /// ≈ 200,000 members in 10,000 branches.
    City,
    /// ≈ 2,000,000 members in 100,000 branches.
    Province,
}

impl Scale {
    pub fn parse(text: &str) -> Option<Scale> {
        match text {
            "tiny" => Some(Scale::Tiny),
            "county" => Some(Scale::County),
            "city" => Some(Scale::City),
            "province" => Some(Scale::Province),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Scale::Tiny => "tiny",
            Scale::County => "county",
            Scale::City => "city",
            Scale::Province => "province",
        }
    }

    /// Children per node at each committee level below the root, then branches per general branch.
    fn fanout(self) -> (&'static [u64], u64) {
        match self {
            Scale::Tiny => (&[3, 1], 5),
            Scale::County => (&[10, 5], 20),
            Scale::City => (&[10, 10, 5], 20),
            Scale::Province => (&[10, 10, 10, 5], 20),
        }
    }

    fn root_name(self) -> &'static str {
        match self {
            Scale::Tiny => "试验县委组织部党委",
            Scale::County => "示范县委",
            Scale::City => "示范市委",
            Scale::Province => "示范省委",
        }
    }
}

/// One organization node; `path` is the materialized path `/1/5/12/`.
#[derive(Debug, Clone)]
pub struct Node {
    pub id: i64,
    pub parent: Option<i64>,
    pub kind: OrgKind,
    pub name: String,
    pub path: String,
    /// The node's ancestors and itself, root first.
    pub lineage: Vec<i64>,
}

/// A branch: its node index, member count and groups (node indexes).
#[derive(Debug, Clone)]
pub struct BranchShape {
    pub node: usize,
    pub members: u64,
    pub groups: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Tree {
    pub nodes: Vec<Node>,
    pub branches: Vec<BranchShape>,
}

impl Tree {
    /// Builds the tree; node ids are 1, 2, … in depth-first order.
    pub fn build(scale: Scale) -> Tree {
        let mut tree = Tree {
            nodes: Vec::new(),
            branches: Vec::new(),
        };
        let (levels, branches) = scale.fanout();
        let root = tree.add(None, OrgKind::Committee, scale.root_name().into());
        tree.grow(root, levels, branches);
        tree
    }

    fn add(&mut self, parent: Option<usize>, kind: OrgKind, name: String) -> usize {
        let id = self.nodes.len() as i64 + 1;
        let (path, mut lineage) = match parent {
            Some(p) => (
                format!("{}{id}/", self.nodes[p].path),
                self.nodes[p].lineage.clone(),
            ),
            None => (format!("/{id}/"), Vec::new()),
        };
        lineage.push(id);
        self.nodes.push(Node {
            id,
            parent: parent.map(|p| self.nodes[p].id),
            kind,
            name,
            path,
            lineage,
        });
        self.nodes.len() - 1
    }

    fn grow(&mut self, parent: usize, levels: &[u64], branches: u64) {
        let Some((&count, rest)) = levels.split_first() else {
            for b in 0..branches {
                self.add_branch(parent, b);
            }
            return;
        };
        for i in 0..count {
            let (kind, name) = if rest.is_empty() {
                (OrgKind::GeneralBranch, format!("第{}党总支", i + 1))
            } else {
                (OrgKind::Committee, format!("第{}党委", i + 1))
            };
            let parent_name = &self.nodes[parent].name;
            let name = if self.nodes[parent].parent.is_none() {
                name
            } else {
                format!("{parent_name}{name}")
            };
            let child = self.add(Some(parent), kind, name);
            self.grow(child, rest, branches);
        }
    }

    fn add_branch(&mut self, parent: usize, b: u64) {
        let name = format!("{}第{}党支部", self.nodes[parent].name, b + 1);
        let node = self.add(Some(parent), OrgKind::Branch, name);
        let id = self.nodes[node].id as u64;
        // 8 to 32 members, 20 on average (支部条例: a branch generally has no more than 50).
        let members = 8 + pick(25, &[1, id]);
        // Branches of 15 or more divide into two or three groups.
        let group_count = if members >= 15 {
            2 + pick(2, &[2, id])
        } else {
            0
        };
        let groups = (0..group_count)
            .map(|g| self.add(Some(node), OrgKind::Group, format!("第{}党小组", g + 1)))
            .collect();
        self.branches.push(BranchShape {
            node,
            members,
            groups,
        });
    }

    pub fn member_count(&self) -> u64 {
        self.branches.iter().map(|b| b.members).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_have_the_promised_size_and_depth() {
        let tiny = Tree::build(Scale::Tiny);
        assert_eq!(tiny.branches.len(), 15);
        assert!((200..=450).contains(&tiny.member_count()));
        let county = Tree::build(Scale::County);
        assert_eq!(county.branches.len(), 1_000);
        assert!((18_000..=22_000).contains(&county.member_count()));
        // Committees 3 levels deep (root, committee, general branch), then branches and groups.
        let deepest = county.nodes.iter().map(|n| n.lineage.len()).max();
        assert_eq!(deepest, Some(5));
    }

    #[test]
    fn paths_follow_the_parents() {
        let tree = Tree::build(Scale::Tiny);
        for node in &tree.nodes {
            if let Some(parent) = node.parent {
                let parent = &tree.nodes[parent as usize - 1];
                assert!(node.path.starts_with(&parent.path));
                assert_eq!(node.lineage[..node.lineage.len() - 1], parent.lineage[..]);
            }
        }
    }
}
