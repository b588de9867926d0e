//! Hash chains for tamper evidence (issue #5 for the points ledger, issue #15 for the audit log):
//! each link stores the hash of the one before it and a SHA-256 over its own fields, so editing
//! any stored field of any link, or removing one, breaks the chain from that link on. Both chains
//! hash with [`link_hash`] and are checked with [`ChainWalk`]; only their fields and their tag
//! differ.

use sha2::{Digest, Sha256};

/// The `prev_hash` of a chain's first link.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Hex SHA-256 over a tag naming the chain and its version, then each field length-prefixed
/// (`len:bytes`), so no two different links serialize alike and the two chains never collide.
pub fn link_hash(tag: &str, parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(tag.as_bytes());
    for part in parts {
        hasher.update(part.len().to_string().as_bytes());
        hasher.update(b":");
        hasher.update(part.as_bytes());
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An optional field as hashed: absent and empty must differ.
pub fn optional(value: Option<&str>) -> String {
    value.map(|v| format!("={v}")).unwrap_or_default()
}

/// What is wrong with a chain, at the first link found broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkProblem {
    /// Links are missing after `after` (the next one stored is `next`).
    Gap { after: i64, next: i64 },
    /// Link `seq` does not point at the hash of the link before it.
    WrongPrevious { seq: i64 },
    /// Link `seq`'s fields no longer give its stored hash: it was edited.
    Altered { seq: i64 },
    /// The chain ends at `last` while its head says `head` (links removed from the end).
    ShortOfHead { last: i64, head: i64 },
}

impl LinkProblem {
    pub fn seq(&self) -> i64 {
        match self {
            LinkProblem::Gap { next, .. } => *next,
            LinkProblem::WrongPrevious { seq } | LinkProblem::Altered { seq } => *seq,
            LinkProblem::ShortOfHead { last, .. } => last + 1,
        }
    }

    /// The problem in Chinese; `record` names the stored row ("记录（#12）").
    pub fn message(&self, record: &str) -> String {
        match self {
            LinkProblem::Gap { after, next } => {
                format!("第 {after} 条之后缺少记录（下一条是第 {next} 条）")
            }
            LinkProblem::WrongPrevious { seq } => {
                format!("第 {seq} 条记录的前序哈希与上一条不符")
            }
            LinkProblem::Altered { seq } => {
                format!("第 {seq} 条{record}的内容与其哈希不符，已被改动")
            }
            LinkProblem::ShortOfHead { last, head } => {
                format!("链尾应为第 {head} 条，实际只到第 {last} 条，或末条哈希不符")
            }
        }
    }
}

/// Walks a chain link by link in `seq` order (the caller reads them page by page).
#[derive(Debug, Clone)]
pub struct ChainWalk {
    prev: String,
    seq: i64,
    links: i64,
}

impl Default for ChainWalk {
    fn default() -> Self {
        ChainWalk {
            prev: GENESIS.to_string(),
            seq: 0,
            links: 0,
        }
    }
}

impl ChainWalk {
    /// The last link accepted (0 before the first).
    pub fn seq(&self) -> i64 {
        self.seq
    }

    /// Links accepted so far.
    pub fn links(&self) -> i64 {
        self.links
    }

    /// Accepts the next stored link, or says what is wrong with it. `recompute` hashes the link's
    /// stored fields (called only when the link is in place).
    pub fn step(
        &mut self,
        seq: i64,
        prev_hash: &str,
        hash: &str,
        recompute: impl FnOnce() -> String,
    ) -> Result<(), LinkProblem> {
        if seq != self.seq + 1 {
            return Err(LinkProblem::Gap {
                after: self.seq,
                next: seq,
            });
        }
        if prev_hash != self.prev {
            return Err(LinkProblem::WrongPrevious { seq });
        }
        if recompute() != hash {
            return Err(LinkProblem::Altered { seq });
        }
        self.prev = hash.to_string();
        self.seq = seq;
        self.links += 1;
        Ok(())
    }

    /// After the last stored link: the chain must end where its head says.
    pub fn finish(&self, head_seq: i64, head_hash: &str) -> Result<(), LinkProblem> {
        if self.seq != head_seq || self.prev != head_hash {
            return Err(LinkProblem::ShortOfHead {
                last: self.seq,
                head: head_seq,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(seq: i64, prev: &str, text: &str) -> String {
        link_hash("test-v1", &[&seq.to_string(), text, prev])
    }

    #[test]
    fn length_prefixes_and_tags_keep_links_apart() {
        assert_ne!(link_hash("t", &["ab", "c"]), link_hash("t", &["a", "bc"]));
        assert_ne!(link_hash("a", &["x"]), link_hash("b", &["x"]));
        assert_ne!(optional(None), optional(Some("")));
        assert_eq!(link_hash("t", &["x"]).len(), 64);
    }

    #[test]
    fn a_walk_accepts_an_intact_chain_and_names_the_first_broken_link() {
        let one = link(1, GENESIS, "a");
        let two = link(2, &one, "b");
        let mut walk = ChainWalk::default();
        walk.step(1, GENESIS, &one, || link(1, GENESIS, "a"))
            .expect("first");
        walk.step(2, &one, &two, || link(2, &one, "b"))
            .expect("second");
        assert_eq!(walk.finish(2, &two), Ok(()));
        assert_eq!(
            walk.finish(3, "x"),
            Err(LinkProblem::ShortOfHead { last: 2, head: 3 })
        );

        let mut edited = ChainWalk::default();
        edited
            .step(1, GENESIS, &one, || link(1, GENESIS, "a"))
            .expect("first");
        assert_eq!(
            edited.step(2, &one, &two, || link(2, &one, "B")),
            Err(LinkProblem::Altered { seq: 2 })
        );
        let mut gap = ChainWalk::default();
        assert_eq!(
            gap.step(2, &one, &two, String::new),
            Err(LinkProblem::Gap { after: 0, next: 2 })
        );
        assert_eq!(
            ChainWalk::default().step(1, "x", &one, String::new),
            Err(LinkProblem::WrongPrevious { seq: 1 })
        );
    }
}
