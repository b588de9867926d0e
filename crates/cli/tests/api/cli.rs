//! The operator's commands, run as the real binary.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use dangjian_app::{App, AppSettings, RequestContext, auth};
use dangjian_store::{ConnectOptions, Store};

use crate::helpers::*;

fn dangjian(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dangjian"))
        .args(args)
        .env_remove("DANGJIAN_DATABASE")
        .env_remove("DANGJIAN_CONFIG")
        .stdin(Stdio::null())
        .output()
        .expect("run dangjian")
}

fn dangjian_with_stdin(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dangjian"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run dangjian");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

async fn can_log_in(url: &str, phone: &str, password: &str) -> bool {
    let store = Store::connect(
        url,
        &ConnectOptions {
            create_if_missing: false,
            ..Default::default()
        },
    )
    .await
    .expect("connect");
    let app = App::new(store.clone(), AppSettings::default());
    let ok = auth::login(&app, phone, password, &RequestContext::command_line())
        .await
        .is_ok();
    store.close().await;
    ok
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_in_both_languages() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("notes.db");
    std::fs::write(
        &file,
        "这是一份普通的文本文件，不是数据库。This is plain text, not a database.",
    )
    .expect("write");
    let output = dangjian(&["migrate", "--database", &sqlite_url(&file)]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("不是 SQLite 数据库") && stderr.contains("not an SQLite database"),
        "{stderr}"
    );
    assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
}

#[test]
fn an_unreachable_postgres_or_unknown_url_is_refused() {
    let output = dangjian(&[
        "migrate",
        "--database",
        "postgres://dj:secret@127.0.0.1:1/dj",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("无法连接 PostgreSQL") && stderr.contains("cannot connect to PostgreSQL"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("secret"),
        "the password never reaches the output"
    );
    let output = dangjian(&["migrate", "--database", "mysql://localhost/dj"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("sqlite:// 或 postgres://"));
}

#[test]
fn help_is_bilingual() {
    let output = dangjian(&["--help"]);
    assert!(output.status.success());
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains("启动服务器") && stdout.contains("start the server"),
        "{stdout}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_create_reads_the_password_from_stdin() {
    let dir = tempfile::tempdir().expect("dir");
    let url = sqlite_url(&dir.path().join("dj.db"));
    let output = dangjian_with_stdin(
        &[
            "admin",
            "create",
            "--phone",
            "13600000000",
            "--name",
            "郑管理",
            "--database",
            &url,
        ],
        "admin2026\n",
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("郑管理"));
    assert!(can_log_in(&url, "13600000000", "admin2026").await);
    let weak = dangjian_with_stdin(
        &[
            "admin",
            "create",
            "--phone",
            "13600000001",
            "--name",
            "弱密码",
            "--database",
            &url,
        ],
        "123\n",
    );
    assert_eq!(weak.status.code(), Some(2));
    assert!(text(&weak.stderr).contains("密码至少 8 位"));
    let duplicate = dangjian_with_stdin(
        &[
            "admin",
            "create",
            "--phone",
            "13600000000",
            "--name",
            "重复",
            "--database",
            &url,
        ],
        "admin2026\n",
    );
    assert_eq!(duplicate.status.code(), Some(2));
    assert!(text(&duplicate.stderr).contains("该手机号已有账号"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn config_file_and_environment_are_read() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("from-file.db");
    let config = dir.path().join("dangjian.toml");
    std::fs::write(&config, format!("database = \"{}\"\n", sqlite_url(&db))).expect("write config");
    let output = dangjian(&["demo", "--config", config.to_str().expect("path")]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(db.exists(), "the database named in the file was used");
    let env_db = dir.path().join("from-env.db");
    let output = Command::new(env!("CARGO_BIN_EXE_dangjian"))
        .args(["migrate"])
        .env("DANGJIAN_DATABASE", sqlite_url(&env_db))
        .output()
        .expect("run");
    assert!(output.status.success());
    assert!(
        env_db.exists(),
        "the database named in the environment was used"
    );
    std::fs::write(&config, "databse = \"sqlite://typo.db\"\n").expect("write config");
    let output = dangjian(&["migrate", "--config", config.to_str().expect("path")]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("配置文件"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_loads_once_and_never_into_real_data() {
    let dir = tempfile::tempdir().expect("dir");
    let url = sqlite_url(&dir.path().join("dj.db"));
    let first = dangjian(&["demo", "--database", &url]);
    assert!(first.status.success());
    assert!(text(&first.stdout).contains("13800000001"));
    let second = dangjian(&["demo", "--database", &url]);
    assert!(second.status.success());
    assert!(text(&second.stdout).contains("演示数据已存在"));
    let real = sqlite_url(&dir.path().join("real.db"));
    let created = dangjian_with_stdin(
        &[
            "admin",
            "create",
            "--phone",
            "13600000000",
            "--name",
            "管理员",
            "--database",
            &real,
        ],
        "admin2026\n",
    );
    assert!(created.status.success());
    let refused = dangjian(&["demo", "--database", &real]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused.stderr).contains("演示数据只能载入空数据库"));
    let pg = dangjian(&[
        "backup",
        "--to",
        "x.dump",
        "--database",
        "postgres://localhost/dj",
    ]);
    assert_eq!(pg.status.code(), Some(2));
    assert!(text(&pg.stderr).contains("pg_dump"));
}

/// Backs up while the server runs and takes writes, restores into a new file, refuses to
/// overwrite a non-empty database without --force, and stops the server with SIGTERM.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_while_serving_restore_and_graceful_stop() {
    let dir = tempfile::tempdir().expect("dir");
    let live = dir.path().join("live.db");
    let live_url = sqlite_url(&live);
    let mut server = Command::new(env!("CARGO_BIN_EXE_dangjian"))
        .args([
            "serve",
            "--demo",
            "--listen",
            "127.0.0.1:0",
            "--database",
            &live_url,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start server");
    let mut lines = BufReader::new(server.stdout.take().expect("stdout")).lines();
    let first = lines.next().expect("a line").expect("utf-8");
    let base = first
        .split("running: ")
        .nth(1)
        .expect("the URL is printed")
        .trim()
        .to_string();
    let client = reqwest::Client::new();
    assert_eq!(
        client
            .get(format!("{base}/readyz"))
            .send()
            .await
            .expect("readyz")
            .status(),
        200
    );

    // Writes (audited logins) keep landing while the backup runs.
    let writer = {
        let (client, base) = (client.clone(), base.clone());
        tokio::spawn(async move {
            for _ in 0..10 {
                let _ = client
                    .post(format!("{base}/api/v1/auth/login"))
                    .json(&serde_json::json!({"phone": MEMBER, "password": PASSWORD}))
                    .send()
                    .await;
            }
        })
    };
    let backup = dir.path().join("backup.db");
    let output = dangjian(&[
        "backup",
        "--to",
        backup.to_str().expect("path"),
        "--database",
        &live_url,
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    writer.await.expect("writer");
    let again = dangjian(&[
        "backup",
        "--to",
        backup.to_str().expect("path"),
        "--database",
        &live_url,
    ]);
    assert_eq!(
        again.status.code(),
        Some(2),
        "an existing backup file is never overwritten"
    );

    let restored = dir.path().join("restored.db");
    let output = dangjian(&[
        "restore",
        "--from",
        backup.to_str().expect("path"),
        "--database",
        &sqlite_url(&restored),
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        can_log_in(&sqlite_url(&restored), ADMIN, PASSWORD).await,
        "the restored database has the demo accounts"
    );

    let occupied = dir.path().join("occupied.db");
    let created = dangjian_with_stdin(
        &[
            "admin",
            "create",
            "--phone",
            "13600000000",
            "--name",
            "占用",
            "--database",
            &sqlite_url(&occupied),
        ],
        "admin2026\n",
    );
    assert!(created.status.success());
    let refused = dangjian(&[
        "restore",
        "--from",
        backup.to_str().expect("path"),
        "--database",
        &sqlite_url(&occupied),
    ]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused.stderr).contains("--force"));
    assert!(
        can_log_in(&sqlite_url(&occupied), "13600000000", "admin2026").await,
        "nothing was changed"
    );
    let forced = dangjian(&[
        "restore",
        "--from",
        backup.to_str().expect("path"),
        "--force",
        "--database",
        &sqlite_url(&occupied),
    ]);
    assert!(forced.status.success(), "{}", text(&forced.stderr));
    assert!(can_log_in(&sqlite_url(&occupied), ADMIN, PASSWORD).await);
    let not_a_backup = dir.path().join("empty.db");
    std::fs::write(&not_a_backup, "").expect("write");
    let refused = dangjian(&[
        "restore",
        "--from",
        not_a_backup.to_str().expect("path"),
        "--database",
        &sqlite_url(&dir.path().join("x.db")),
    ]);
    assert_eq!(refused.status.code(), Some(2));

    let stopped = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .expect("kill");
    assert!(stopped.success());
    let status = server.wait().expect("server exits");
    assert!(status.success(), "SIGTERM is a graceful stop: {status:?}");
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(rest.iter().any(|l| l.contains("已停止")), "{rest:?}");
}
