//! The in-process load client: N tasks each sending one request after another (a closed loop) for
//! a fixed time, or one task repeating a request; latencies are kept whole and sorted once.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;

/// What one request came to.
pub enum Outcome {
    Ok,
    Failed(String),
    /// The task has nothing left to send (e.g. it checked in to every open activity).
    Exhausted,
}

/// Throughput and latency of one figure.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub requests: u64,
    pub errors: u64,
    pub seconds: f64,
    pub per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// The first failure's explanation, for the operator.
    pub first_error: Option<String>,
}

fn summarize(
    mut micros: Vec<u32>,
    errors: u64,
    seconds: f64,
    first_error: Option<String>,
) -> Stats {
    micros.sort_unstable();
    let at = |q: usize| {
        micros
            .get((micros.len() * q / 100).min(micros.len().saturating_sub(1)))
            .map_or(0.0, |m| f64::from(*m) / 1000.0)
    };
    Stats {
        requests: micros.len() as u64,
        errors,
        seconds,
        per_second: micros.len() as f64 / seconds.max(1e-9),
        p50_ms: at(50),
        p99_ms: at(99),
        first_error,
    }
}

/// Runs `tasks` concurrent loops for `duration`; `send(task, n)` makes the task's n-th request.
pub async fn closed_loop<F, Fut>(tasks: usize, duration: Duration, send: F) -> Stats
where
    F: Fn(usize, u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Outcome> + Send,
{
    let send = Arc::new(send);
    let started = Instant::now();
    let deadline = started + duration;
    let mut handles = Vec::new();
    for task in 0..tasks {
        let send = send.clone();
        handles.push(tokio::spawn(async move {
            let mut micros = Vec::new();
            let (mut errors, mut first_error) = (0u64, None);
            let mut n = 0;
            while Instant::now() < deadline {
                let at = Instant::now();
                match send(task, n).await {
                    Outcome::Ok => {
                        micros.push(at.elapsed().as_micros().min(u32::MAX as u128) as u32)
                    }
                    Outcome::Failed(why) => {
                        errors += 1;
                        first_error.get_or_insert(why);
                    }
                    Outcome::Exhausted => break,
                }
                n += 1;
            }
            (micros, errors, first_error)
        }));
    }
    let (mut micros, mut errors, mut first_error) = (Vec::new(), 0, None);
    for handle in handles {
        if let Ok((m, e, f)) = handle.await {
            micros.extend(m);
            errors += e;
            first_error = first_error.or(f);
        }
    }
    summarize(micros, errors, started.elapsed().as_secs_f64(), first_error)
}

/// Sends `count` requests one after another.
pub async fn repeated<F, Fut>(count: u64, send: F) -> Stats
where
    F: Fn(u64) -> Fut,
    Fut: Future<Output = Outcome>,
{
    let started = Instant::now();
    let (mut micros, mut errors, mut first_error) = (Vec::new(), 0, None);
    for n in 0..count {
        let at = Instant::now();
        match send(n).await {
            Outcome::Ok => micros.push(at.elapsed().as_micros().min(u32::MAX as u128) as u32),
            Outcome::Failed(why) => {
                errors += 1;
                first_error.get_or_insert(why);
            }
            Outcome::Exhausted => break,
        }
    }
    summarize(micros, errors, started.elapsed().as_secs_f64(), first_error)
}

/// A GET that must answer 200, with the bearer token (none when empty).
pub async fn get_ok(client: &reqwest::Client, url: &str, token: &str) -> Outcome {
    let request = client.get(url);
    let request = if token.is_empty() {
        request
    } else {
        request.bearer_auth(token)
    };
    match request.send().await {
        Ok(response) if response.status().is_success() => match response.bytes().await {
            Ok(_) => Outcome::Ok,
            Err(e) => Outcome::Failed(e.to_string()),
        },
        Ok(response) => {
            let status = response.status();
            let body = response.text().await.unwrap_or_default();
            Outcome::Failed(format!(
                "{url}: {status} {}",
                body.chars().take(200).collect::<String>()
            ))
        }
        Err(e) => Outcome::Failed(format!("{url}: {e}")),
    }
}

/// The process's resident memory now and at its peak (VmRSS, VmHWM), in MiB.
pub fn memory_mib() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}
