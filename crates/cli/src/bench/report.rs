//! The run's figures: a table for the operator and JSON for the record (docs/performance.md).

use serde_json::{Value, json};

use super::load::Stats;

#[derive(Debug, Clone)]
pub struct Import {
    pub rows: u64,
    pub imported: u64,
    pub seconds: f64,
    pub file_mib: f64,
    pub rss_before_mib: f64,
    pub rss_peak_mib: f64,
    pub error: Option<String>,
}

impl Import {
    fn per_second(&self) -> f64 {
        self.imported as f64 / self.seconds.max(1e-9)
    }
}

pub struct Figures {
    pub backend: String,
    pub quick: bool,
    pub members: i64,
    pub nodes: i64,
    pub trivial: Stats,
    pub raw_commit: Stats,
    pub check_in: Stats,
    pub check_ins_recorded: i64,
    pub check_in_verified: bool,
    pub check_in_planned_seconds: f64,
    pub reads: Vec<(&'static str, Stats)>,
    pub points_entries: i64,
    pub chain_verified: bool,
    pub import: Import,
    pub peak_rss_mib: f64,
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { 0.0 }
}

impl Figures {
    /// The checks every run must pass; the smoke test asserts them (never a time).
    pub fn verifications(&self) -> Vec<(&'static str, bool)> {
        let reads_ok = self
            .reads
            .iter()
            .all(|(_, s)| s.errors == 0 && s.requests > 0);
        vec![
            (
                "trivial handler answered",
                self.trivial.requests > 0 && self.trivial.errors == 0,
            ),
            (
                "raw commits succeeded",
                self.raw_commit.requests > 0 && self.raw_commit.errors == 0,
            ),
            (
                "every check-in acknowledged",
                self.check_in.requests > 0 && self.check_in.errors == 0,
            ),
            (
                "acknowledged check-ins = recorded check-ins",
                self.check_in_verified,
            ),
            (
                "check-in load lasted its whole period (no client ran out of activities)",
                self.check_in.seconds >= self.check_in_planned_seconds,
            ),
            ("every read answered 200", reads_ok),
            (
                "the measured branch's points chain verifies",
                self.chain_verified,
            ),
            (
                "every roster row imported",
                self.import.error.is_none() && self.import.imported == self.import.rows,
            ),
        ]
    }

    pub fn all_verified(&self) -> bool {
        self.verifications().iter().all(|(_, ok)| *ok)
    }

    pub fn to_json(&self) -> Value {
        let stats = |s: &Stats| serde_json::to_value(s).unwrap_or(Value::Null);
        let reads: serde_json::Map<String, Value> = self
            .reads
            .iter()
            .map(|(name, s)| (name.to_string(), stats(s)))
            .collect();
        json!({
            "backend": self.backend,
            "quick": self.quick,
            "machine": machine(),
            "database": { "members": self.members, "org_nodes": self.nodes },
            "ceilings": { "trivial_http": stats(&self.trivial), "raw_insert_commit": stats(&self.raw_commit) },
            "check_in": {
                "stats": stats(&self.check_in),
                "recorded": self.check_ins_recorded,
                "ratio_to_trivial_http": ratio(self.check_in.per_second, self.trivial.per_second),
                "ratio_to_raw_commit": ratio(self.check_in.per_second, self.raw_commit.per_second),
            },
            "reads": reads,
            "roster_import": {
                "rows": self.import.rows,
                "imported": self.import.imported,
                "seconds": self.import.seconds,
                "rows_per_second": self.import.per_second(),
                "file_mib": self.import.file_mib,
                "process_rss_before_mib": self.import.rss_before_mib,
                "process_rss_peak_during_mib": self.import.rss_peak_mib,
                "error": self.import.error,
            },
            "server_peak_rss_mib": self.peak_rss_mib,
            "server_peak_rss_note": "VmHWM of the process; the server runs in-process with the load client",
            "points_entries": self.points_entries,
            "verifications": self.verifications().iter().map(|(n, ok)| json!({"name": n, "passed": ok})).collect::<Vec<_>>(),
        })
    }
}

/// Cores and memory of the machine the figures come from.
pub fn machine() -> Value {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let total_mib = meminfo
        .lines()
        .find(|l| l.starts_with("MemTotal:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024);
    json!({ "cores": cores, "memory_mib": total_mib })
}

pub fn print_table(f: &Figures) {
    let m = machine();
    println!(
        "\n基准结果 / bench results — {} ({} members, {} nodes){}; {} cores, {} MiB",
        f.backend,
        f.members,
        f.nodes,
        if f.quick { ", --quick" } else { "" },
        m["cores"],
        m["memory_mib"]
    );
    println!(
        "{:<44} {:>12} {:>9} {:>9}  ratio",
        "figure", "per second", "p50 ms", "p99 ms"
    );
    let line = |name: &str, s: &Stats, extra: String| {
        println!(
            "{name:<44} {:>12.0} {:>9.2} {:>9.2}  {extra}",
            s.per_second, s.p50_ms, s.p99_ms
        );
    };
    line(
        "ceiling: trivial HTTP handler (64 clients)",
        &f.trivial,
        String::new(),
    );
    line(
        "ceiling: raw insert+commit (64 writers)",
        &f.raw_commit,
        String::new(),
    );
    line(
        "check-in (64 members)",
        &f.check_in,
        format!(
            "{:.2} of HTTP, {:.2} of commit",
            ratio(f.check_in.per_second, f.trivial.per_second),
            ratio(f.check_in.per_second, f.raw_commit.per_second)
        ),
    );
    for (name, stats) in &f.reads {
        line(name, stats, String::new());
    }
    println!(
        "{:<44} {:>12.0} rows/s; {} of {} rows in {:.1} s; process RSS {:.0} → {:.0} MiB peak",
        "roster import (.xlsx)",
        f.import.per_second(),
        f.import.imported,
        f.import.rows,
        f.import.seconds,
        f.import.rss_before_mib,
        f.import.rss_peak_mib
    );
    println!(
        "{:<44} {:.0} MiB (VmHWM, server and client in one process)",
        "server peak RSS", f.peak_rss_mib
    );
    println!("{:<44} {}", "points entries", f.points_entries);
    for (name, ok) in f.verifications() {
        println!(
            "verification: {name}: {}",
            if ok { "passed" } else { "FAILED" }
        );
    }
    for (name, s) in [
        ("trivial", &f.trivial),
        ("raw commit", &f.raw_commit),
        ("check-in", &f.check_in),
    ] {
        if let Some(e) = &s.first_error {
            println!(
                "first {name} error: {}",
                e.chars().take(300).collect::<String>()
            );
        }
    }
    for (name, s) in &f.reads {
        if let Some(e) = &s.first_error {
            println!(
                "first error of {name}: {}",
                e.chars().take(300).collect::<String>()
            );
        }
    }
    if let Some(e) = &f.import.error {
        println!("import error: {e}");
    }
}
