//! `dangjian ledger verify [--node N]`: recomputes the points ledger's hash chains and prints the
//! first broken link (exit 1) or that all chains are intact (exit 0). `dangjian ledger process`
//! books domain events recorded since the last run (what the server does after each write).
//! `dangjian audit verify` does for the audit log's chain what `ledger verify` does for the ledger.

use dangjian_app::{App, AppSettings};
use dangjian_domain::OrgPath;
use dangjian_store::SubtreeRange;

use crate::Failure;
use crate::operate::{Options, app_error, open};

pub async fn verify(options: &Options, node: Option<i64>) -> Result<(), Failure> {
    let store = open(options, false).await?;
    let range = match node {
        Some(id) => {
            let mut handle = store
                .acquire()
                .await
                .map_err(|e| Failure::environment(e.to_string()))?;
            let row = dangjian_store::orgs::org_by_id(handle.conn(), id)
                .await
                .map_err(|e| Failure::environment(e.to_string()))?
                .and_then(|r| OrgPath::parse(&r.path))
                .ok_or_else(|| Failure::input(format!("组织 {id} 不存在 / no such node")))?;
            Some(SubtreeRange::of(&row))
        }
        None => None,
    };
    let app = App::new(store, AppSettings::default());
    let report = dangjian_app::points::verify::verify_range(&app, range.as_ref())
        .await
        .map_err(app_error)?;
    match report.first_broken {
        None => {
            println!(
                "积分台账完整：{} 个党支部，{} 条记录 / ledger intact",
                report.branches, report.entries
            );
            Ok(())
        }
        Some(b) => Err(Failure::environment(format!(
            "积分台账断链 / broken link: branch {} seq {} entry {}: {}",
            b.branch_id,
            b.seq,
            b.entry_id
                .map(|i| i.to_string())
                .unwrap_or_else(|| "-".into()),
            b.problem
        ))),
    }
}

pub async fn process(options: &Options) -> Result<(), Failure> {
    let store = open(options, false).await?;
    let app = App::new(store, AppSettings::default());
    let n = dangjian_app::points::consume::process_events(&app)
        .await
        .map_err(app_error)?;
    println!("已处理 {n} 条事件 / processed {n} events");
    Ok(())
}

pub async fn verify_audit(options: &Options) -> Result<(), Failure> {
    let store = open(options, false).await?;
    let app = App::new(store, AppSettings::default());
    let report = dangjian_app::audit::verify_chain(&app)
        .await
        .map_err(app_error)?;
    match report.first_broken {
        None => {
            println!("审计日志完整：{} 条记录 / audit log intact", report.entries);
            Ok(())
        }
        Some(b) => Err(Failure::environment(format!(
            "审计日志断链：第一处在审计记录 {}（链上第 {} 条）：{} / broken at audit entry {}",
            b.audit_id
                .map(|i| format!("#{i}"))
                .unwrap_or_else(|| "-".into()),
            b.seq,
            b.problem,
            b.audit_id
                .map(|i| i.to_string())
                .unwrap_or_else(|| "-".into()),
        ))),
    }
}
