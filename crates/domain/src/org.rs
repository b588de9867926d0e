//! The organization tree: node kinds, which kind may sit under which, and the materialized path
//! that makes "everything under node X" one indexed range.

use crate::OrgId;
use serde::{Deserialize, Serialize};

/// The kinds of organization node (支部条例 ch. 2; 党章 ch. 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// 党委: a grassroots committee, or a higher one.
    Committee,
    /// 党总支.
    GeneralBranch,
    /// 党支部 (also 联合党支部 and 临时党支部, which are flags on a branch).
    Branch,
    /// 党小组.
    Group,
}

impl OrgKind {
    pub const ALL: [OrgKind; 4] = [
        OrgKind::Committee,
        OrgKind::GeneralBranch,
        OrgKind::Branch,
        OrgKind::Group,
    ];

    pub fn label(self) -> &'static str {
        match self {
            OrgKind::Committee => "党委",
            OrgKind::GeneralBranch => "党总支",
            OrgKind::Branch => "党支部",
            OrgKind::Group => "党小组",
        }
    }

    /// The stored form.
    pub fn code(self) -> &'static str {
        match self {
            OrgKind::Committee => "committee",
            OrgKind::GeneralBranch => "general_branch",
            OrgKind::Branch => "branch",
            OrgKind::Group => "group",
        }
    }

    pub fn from_code(code: &str) -> Option<OrgKind> {
        OrgKind::ALL.into_iter().find(|kind| kind.code() == code)
    }

    /// Whether a node of this kind may be placed under `parent` (`None`: at the top of the tree).
    /// A group only under a branch; a branch under a committee or general branch; a general branch
    /// under a committee; a committee under a committee or at the top.
    pub fn may_be_child_of(self, parent: Option<OrgKind>) -> bool {
        matches!(
            (self, parent),
            (OrgKind::Committee, None | Some(OrgKind::Committee))
                | (OrgKind::GeneralBranch, Some(OrgKind::Committee))
                | (
                    OrgKind::Branch,
                    Some(OrgKind::Committee | OrgKind::GeneralBranch)
                )
                | (OrgKind::Group, Some(OrgKind::Branch))
        )
    }
}

/// A node's place in the tree as the ids from the top down: `/1/5/12/`.
/// Every node under `/1/5/` has a path in the half-open range [`/1/5/`, `/1/50`), because `/`
/// sorts just before `0`; so a subtree is one B-tree range scan on either database.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OrgPath(String);

impl OrgPath {
    pub fn root(id: OrgId) -> OrgPath {
        OrgPath(format!("/{id}/"))
    }

    pub fn child(&self, id: OrgId) -> OrgPath {
        OrgPath(format!("{}{id}/", self.0))
    }

    /// Reads a stored path; `None` for anything not of the form `/n/n/.../`.
    pub fn parse(stored: &str) -> Option<OrgPath> {
        let inner = stored.strip_prefix('/')?.strip_suffix('/')?;
        let well_formed = !inner.is_empty()
            && inner
                .split('/')
                .all(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()));
        well_formed.then(|| OrgPath(stored.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `other` is this node or lies below it.
    pub fn contains(&self, other: &OrgPath) -> bool {
        other.0.starts_with(&self.0)
    }

    /// The exclusive upper end of this subtree's range (see the type's comment).
    pub fn subtree_end(&self) -> String {
        format!("{}0", &self.0[..self.0.len() - 1])
    }

    /// The ids from the top down to this node.
    pub fn ids(&self) -> Vec<OrgId> {
        self.0
            .split('/')
            .filter_map(|id| id.parse().ok())
            .map(OrgId)
            .collect()
    }

    pub fn depth(&self) -> usize {
        self.ids().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parent_rules() {
        use OrgKind::*;
        assert!(Committee.may_be_child_of(None));
        assert!(Committee.may_be_child_of(Some(Committee)));
        assert!(!Committee.may_be_child_of(Some(Branch)));
        assert!(GeneralBranch.may_be_child_of(Some(Committee)));
        assert!(!GeneralBranch.may_be_child_of(None));
        assert!(!GeneralBranch.may_be_child_of(Some(GeneralBranch)));
        assert!(Branch.may_be_child_of(Some(Committee)));
        assert!(Branch.may_be_child_of(Some(GeneralBranch)));
        assert!(!Branch.may_be_child_of(Some(Branch)));
        assert!(!Branch.may_be_child_of(None));
        assert!(Group.may_be_child_of(Some(Branch)));
        assert!(!Group.may_be_child_of(Some(Committee)));
        assert!(!Group.may_be_child_of(Some(Group)));
    }

    #[test]
    fn kind_codes_round_trip() {
        for kind in OrgKind::ALL {
            assert_eq!(OrgKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(OrgKind::from_code("club"), None);
    }

    #[test]
    fn paths() {
        let top = OrgPath::root(OrgId(1));
        let branch = top.child(OrgId(5));
        assert_eq!(branch.as_str(), "/1/5/");
        assert!(top.contains(&branch));
        assert!(branch.contains(&branch));
        assert!(!branch.contains(&top));
        assert!(!branch.contains(&top.child(OrgId(50))));
        assert_eq!(branch.ids(), vec![OrgId(1), OrgId(5)]);
        assert_eq!(branch.subtree_end(), "/1/50");
        assert_eq!(OrgPath::parse("/1/5/"), Some(branch));
        for bad in ["", "/", "1/5/", "/1/5", "/1//5/", "/a/"] {
            assert_eq!(OrgPath::parse(bad), None, "{bad}");
        }
    }

    proptest! {
        /// The range the store queries is exactly the set of paths `contains` accepts.
        #[test]
        fn subtree_range_matches_prefix(a in proptest::collection::vec(1i64..200, 1..4),
                                        b in proptest::collection::vec(1i64..200, 1..5)) {
            let path = |ids: &[i64]| {
                let mut p = OrgPath::root(OrgId(ids[0]));
                for id in &ids[1..] { p = p.child(OrgId(*id)); }
                p
            };
            let (top, other) = (path(&a), path(&b));
            let in_range = other.as_str() >= top.as_str() && other.as_str() < top.subtree_end().as_str();
            prop_assert_eq!(in_range, top.contains(&other));
        }
    }
}
