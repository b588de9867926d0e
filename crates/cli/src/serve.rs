//! `dangjian serve`: open and migrate the database, optionally load the demo, and serve HTTP
//! until SIGTERM or Ctrl-C, finishing in-flight requests before exiting.

use std::time::Duration;

use clap::Args;
use dangjian_app::{App, AppSettings, auth, demo, setup};
use dangjian_web::{AppState, WebConfig};
use jiff::SignedDuration;

use crate::Failure;
use crate::config::{self, FileConfig};
use crate::operate::{self, Options, app_error};

#[derive(Args)]
pub struct ServeArgs {
    /// 监听地址 / address to listen on [default: 127.0.0.1:8080]
    #[arg(long, env = "DANGJIAN_LISTEN")]
    listen: Option<String>,
    /// 载入演示组织（默认数据库改为 dangjian-demo.db）/ load the demo organization
    #[arg(long, env = "DANGJIAN_DEMO")]
    pub demo: bool,
    /// Cookie 加 Secure 标记（经 HTTPS 访问时开启）/ mark cookies Secure (when served over HTTPS)
    #[arg(long, env = "DANGJIAN_SECURE_COOKIES")]
    secure_cookies: Option<bool>,
    /// 信任反向代理的 X-Forwarded-For / trust X-Forwarded-For from a reverse proxy
    #[arg(long, env = "DANGJIAN_TRUST_FORWARDED_FOR")]
    trust_forwarded_for: Option<bool>,
    /// 会话闲置多少小时后失效 / hours of inactivity before a session expires [default: 168]
    #[arg(long, env = "DANGJIAN_SESSION_HOURS")]
    session_hours: Option<u32>,
}

pub async fn run(args: ServeArgs, file: &FileConfig, options: &Options) -> Result<(), Failure> {
    let store = operate::open(options, true).await?;
    let session_hours = config::pick(
        args.session_hours,
        file.session_hours,
        config::DEFAULT_SESSION_HOURS,
    )
    .max(1);
    let app = App::new(
        store.clone(),
        AppSettings {
            session_idle: SignedDuration::from_hours(i64::from(session_hours)),
            ..AppSettings::default()
        },
    );
    if args.demo {
        demo::load_demo(&app).await.map_err(app_error)?;
    }
    let listen = config::pick(
        args.listen,
        file.listen.clone(),
        config::DEFAULT_LISTEN.into(),
    );
    let listener = tokio::net::TcpListener::bind(&listen).await.map_err(|e| {
        Failure::environment(format!(
            "无法监听 {listen} / cannot listen on {listen}: {e}"
        ))
    })?;
    let address = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or(listen);
    let state = AppState {
        app: app.clone(),
        config: WebConfig {
            secure_cookies: config::pick(args.secure_cookies, file.secure_cookies, false),
            trust_forwarded_for: config::pick(
                args.trust_forwarded_for,
                file.trust_forwarded_for,
                false,
            ),
        },
    };

    println!("党建工作平台已启动 / dangjian is running: http://{address}");
    println!("数据库 / database: {}", store.redacted_url());
    if args.demo {
        operate::print_demo_accounts();
    } else if setup::needs_setup(&app).await.map_err(app_error)? {
        println!(
            "首次使用：请打开 http://{address}/setup 完成初始化 / first run: open http://{address}/setup"
        );
    }

    let janitor = tokio::spawn(purge_sessions_hourly(app));
    let result = dangjian_web::serve(listener, state, shutdown_signal()).await;
    janitor.abort();
    store.close().await;
    result.map_err(|e| Failure::environment(format!("服务器异常退出 / server failed: {e}")))?;
    println!("已停止 / stopped");
    Ok(())
}

async fn purge_sessions_hourly(app: App) {
    let mut interval = tokio::time::interval(Duration::from_secs(3600));
    loop {
        interval.tick().await;
        if let Err(error) = auth::purge_expired_sessions(&app).await {
            tracing::warn!(%error, "purging expired sessions failed");
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM (what `systemctl stop` and container runtimes send).
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown requested; finishing in-flight requests");
}
