use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

use dangjian_app::{App, AppSettings, Clock, demo};
use dangjian_store::{ConnectOptions, Store};
use dangjian_web::{AppState, WebConfig};
use reqwest::cookie::{CookieStore, Jar};
use reqwest::redirect::Policy;
use reqwest::{Response, StatusCode};
use serde_json::Value;
use sqlx::Connection;

pub const PASSWORD: &str = demo::DEMO_PASSWORD;
pub const ADMIN: &str = "13800000000";
pub const SECRETARY: &str = "13800000001";
pub const GROUP_LEADER: &str = "13800000002";
pub const MEMBER: &str = "13800000003";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Generates one test per backend for each named test function: `name::sqlite` and
/// `name::postgres`, each calling `async fn name(backend: Backend)` of the invoking module.
/// The functions are ordinary items (so rustfmt formats them); the macro only lists their names:
///
/// ```ignore
/// async fn some_test(backend: Backend) {
///     let app = spawn_demo(backend).await;
///     // ...
/// }
///
/// on_both_backends!(some_test, another_test);
/// ```
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::helpers::Backend::Sqlite).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[cfg_attr(
                not(postgres_tests),
                ignore = "set DANGJIAN_TEST_POSTGRES_URL to run on PostgreSQL"
            )]
            async fn postgres() {
                super::$name($crate::helpers::Backend::Postgres).await;
            }
        }
    )*};
}

/// The PostgreSQL server to test against. Without one the PostgreSQL variants are built as ignored
/// (crates/cli/build.rs); one that runs anyway, as every one does in CI, fails without a server.
pub fn postgres_admin_url() -> String {
    match std::env::var("DANGJIAN_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => {
            panic!("DANGJIAN_TEST_POSTGRES_URL is not set: the PostgreSQL tests must run (CI=true)")
        }
    }
}

/// The clock every test app and every test runs on: the system clock, or one started at the
/// moment in `DANGJIAN_TEST_CLOCK` (`2027-01-01T00:30:00Z`). `.ci/run` sets it to the awkward
/// dates (a year's last evening and first morning, 29 February) to prove no test depends on the
/// calendar. One clock for the whole process, so the tests' own dates agree with the server's.
pub fn clock() -> Clock {
    static CLOCK: OnceLock<Clock> = OnceLock::new();
    *CLOCK.get_or_init(|| match std::env::var("DANGJIAN_TEST_CLOCK") {
        Ok(start) if !start.is_empty() => {
            let start: jiff::Timestamp = start
                .parse()
                .expect("DANGJIAN_TEST_CLOCK is an RFC 3339 instant, e.g. 2027-01-01T00:30:00Z");
            Clock::starting_at(start)
        }
        _ => Clock::system(),
    })
}

/// Today in China on the tests' clock.
pub fn today() -> jiff::civil::Date {
    clock().today()
}

/// Now on the tests' clock.
pub fn now() -> jiff::Timestamp {
    clock().now()
}

/// A fresh, empty database URL for one test.
pub async fn fresh_database(backend: Backend, dir: &tempfile::TempDir) -> String {
    match backend {
        Backend::Sqlite => format!("sqlite://{}", dir.path().join("test.db").display()),
        Backend::Postgres => {
            let admin = postgres_admin_url();
            let name = format!("dj_test_{}", uuid::Uuid::new_v4().simple());
            let mut conn = sqlx::PgConnection::connect(&admin)
                .await
                .expect("connect to test PostgreSQL");
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&mut conn)
                .await
                .expect("create test database");
            let (base, _) = admin.rsplit_once('/').expect("postgres url has a database");
            format!("{base}/{name}")
        }
    }
}

pub struct TestApp {
    pub address: SocketAddr,
    pub client: reqwest::Client,
    pub jar: Arc<Jar>,
    pub app: App,
    /// The test's own handle on the server's database, for checks below the use cases (the
    /// ledger's triggers, maintained totals); the same pool the server uses.
    pub store: Store,
    pub database_url: String,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

/// Starts the server over an empty database (no setup done).
pub async fn spawn_empty(backend: Backend) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let database_url = fresh_database(backend, &dir).await;
    let store = Store::connect(&database_url, &ConnectOptions::default())
        .await
        .expect("connect");
    store.migrate().await.expect("migrate");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let test_app = test_app(address, store, database_url, Some(tx), dir);
    let state = AppState {
        app: test_app.app.clone(),
        config: WebConfig {
            secure_cookies: false,
            trust_forwarded_for: false,
        },
    };
    tokio::spawn(async move {
        let _ = dangjian_web::serve(listener, state, async {
            let _ = rx.await;
        })
        .await;
    });
    test_app
}

/// Starts the server over a database holding the demo organization and its four accounts.
pub async fn spawn_demo(backend: Backend) -> TestApp {
    let app = spawn_empty(backend).await;
    demo::load_demo(&app.app).await.expect("load demo");
    app
}

/// A handle on a server this process did not start (the real binary, run by a test): its
/// address, and a store and app of the test's own over the same database, for checks below the
/// API. Dropping it stops nothing.
pub async fn attach(address: SocketAddr, database_url: &str) -> TestApp {
    let store = Store::connect(
        database_url,
        &ConnectOptions {
            create_if_missing: false,
            ..ConnectOptions::default()
        },
    )
    .await
    .expect("connect");
    let dir = tempfile::tempdir().expect("temp dir");
    test_app(address, store, database_url.to_string(), None, dir)
}

/// The test's handle on a server at `address`: an app of its own over the server's store (on
/// the tests' clock) and a client that keeps cookies and does not follow redirects.
fn test_app(
    address: SocketAddr,
    store: Store,
    database_url: String,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    dir: tempfile::TempDir,
) -> TestApp {
    let app = App::new(
        store.clone(),
        AppSettings {
            clock: clock(),
            ..AppSettings::default()
        },
    );
    let jar = Arc::new(Jar::default());
    let client = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .redirect(Policy::none())
        .build()
        .expect("client");
    TestApp {
        address,
        client,
        jar,
        app,
        store,
        database_url,
        shutdown,
        _dir: dir,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// A second browser against the same server: its own cookies.
    pub fn new_browser(&self) -> TestApp {
        let jar = Arc::new(Jar::default());
        let client = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(Policy::none())
            .build()
            .expect("client");
        TestApp {
            address: self.address,
            client,
            jar,
            app: self.app.clone(),
            store: self.store.clone(),
            database_url: self.database_url.clone(),
            shutdown: None,
            _dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        let url = self.url("/").parse().expect("url");
        let header = self.jar.cookies(&url)?;
        header
            .to_str()
            .ok()?
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    }

    /// The CSRF token of this browser, fetching a page first if it has none yet.
    pub async fn csrf(&self) -> String {
        if let Some(token) = self.cookie("dj_csrf") {
            return token;
        }
        self.get("/login").await;
        self.cookie("dj_csrf")
            .expect("the server sets a CSRF cookie")
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    /// Submits a form the way the page does, with the CSRF field.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let csrf = self.csrf().await;
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf_token", &csrf));
        self.client
            .post(self.url(path))
            .form(&all)
            .send()
            .await
            .expect("request")
    }

    /// Calls the JSON API with the session cookie and the CSRF header, as a web client would.
    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        let csrf = self.csrf().await;
        self.client
            .post(self.url(path))
            .header("x-csrf-token", csrf)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn put_json(&self, path: &str, body: &Value) -> Response {
        let csrf = self.csrf().await;
        self.client
            .put(self.url(path))
            .header("x-csrf-token", csrf)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn delete(&self, path: &str) -> Response {
        let csrf = self.csrf().await;
        self.client
            .delete(self.url(path))
            .header("x-csrf-token", csrf)
            .send()
            .await
            .expect("request")
    }

    pub async fn get_json(&self, path: &str) -> (StatusCode, Value) {
        let response = self.get(path).await;
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// Signs in through the login form; panics unless it succeeds.
    pub async fn login(&self, phone: &str, password: &str) {
        let response = self
            .post_form(
                "/login",
                &[("phone", phone), ("password", password), ("next", "/")],
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "login of {phone} should redirect"
        );
        assert!(
            self.cookie("dj_session").is_some(),
            "login of {phone} should set the session cookie"
        );
    }

    pub async fn login_api(&self, phone: &str, password: &str) -> Response {
        self.post_json(
            "/api/v1/auth/login",
            &serde_json::json!({ "phone": phone, "password": password }),
        )
        .await
    }

    /// The audit entries with this action, read through the API as the demo system administrator.
    pub async fn audit_actions(&self, action: &str) -> Vec<Value> {
        let admin = self.new_browser();
        admin.login(ADMIN, PASSWORD).await;
        let (status, body) = admin.get_json("/api/v1/audit?per_page=200").await;
        assert_eq!(status, StatusCode::OK);
        body["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter(|entry| entry["action"] == action)
            .cloned()
            .collect()
    }
}

pub fn location(response: &Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}
