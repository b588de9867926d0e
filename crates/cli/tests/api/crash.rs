//! Kill -9 under load (issue #15): the real `dangjian` binary serves a demo database while a few
//! clients write through the JSON API (members registered and edited, points proposed and
//! approved, attendance corrected by hand, dues paid). The server is killed with SIGKILL in the
//! middle of it and started again on the same database. Then every write the server acknowledged
//! (2xx) is there exactly once (registrations, proposals and approvals with their one audit
//! entry); a write whose answer was lost to the kill is there at most once; both hash chains
//! verify; the maintained points totals, activity counters and dues totals equal a recount.
//!
//! Nothing here asserts a time: the load stops when enough writes were acknowledged (or after a
//! few seconds), and what is checked depends only on what the clients were told.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use dangjian_domain::IdNumber;
use dangjian_store::{Conn, Store};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_backends;

/// Acknowledged writes after which the server is killed, whichever comes first of this and
/// [`MAX_LOAD`]. Enough for every client to have written many times.
const KILL_AFTER_ACKS: usize = 1000;
const MAX_LOAD: Duration = Duration::from_secs(6);

/// The real binary serving `database_url` on a free loopback port.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(database_url: &str, demo: bool) -> Server {
        let mut args = vec![
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database",
            database_url,
        ];
        if demo {
            args.push("--demo");
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_dangjian"))
            .args(&args)
            .env_remove("DANGJIAN_CONFIG")
            .env_remove("DANGJIAN_DATABASE")
            .env_remove("DANGJIAN_LISTEN")
            .env("DANGJIAN_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start dangjian serve");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let first = lines
            .next()
            .expect("the server prints its address")
            .expect("utf-8");
        let base = first
            .split("running: ")
            .nth(1)
            .unwrap_or_else(|| panic!("no address in {first:?}"))
            .trim()
            .to_string();
        // Keep reading what it prints, so a full pipe never blocks it.
        std::thread::spawn(move || lines.map_while(Result::ok).for_each(drop));
        Server { child, base }
    }

    fn address(&self) -> SocketAddr {
        self.base
            .trim_start_matches("http://")
            .parse()
            .expect("socket address")
    }

    /// SIGKILL: no signal handler runs, no connection is closed, nothing is flushed.
    fn kill_9(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reaped");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What a client learned about one write.
enum Outcome {
    /// 2xx: the server said it is done.
    Acked(Value),
    /// An answer refusing it: nothing was written.
    Refused(StatusCode, Value),
    /// No answer (the server died): written or not, the client cannot tell.
    Unknown,
}

/// An API client with a bearer token (no CSRF, no cookies).
#[derive(Clone)]
struct Api {
    client: reqwest::Client,
    base: String,
    token: String,
}

impl Api {
    async fn call(&self, method: Method, path: &str, body: Option<&Value>) -> Outcome {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(body);
        }
        let Ok(response) = request.send().await else {
            return Outcome::Unknown;
        };
        let status = response.status();
        // The status line came and the body did not: the server died while answering, and the
        // client counts it as unanswered.
        let Ok(bytes) = response.bytes().await else {
            return Outcome::Unknown;
        };
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        if status.is_success() {
            Outcome::Acked(body)
        } else {
            Outcome::Refused(status, body)
        }
    }

    /// A setup step that must succeed.
    async fn must(&self, method: Method, path: &str, body: Option<&Value>) -> Value {
        match self.call(method.clone(), path, body).await {
            Outcome::Acked(value) => value,
            Outcome::Refused(status, value) => panic!("{method} {path}: {status} {value}"),
            Outcome::Unknown => panic!("{method} {path}: no answer"),
        }
    }
}

fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client")
}

/// Signs the demo system administrator in and issues API tokens for them, the branch secretary
/// and the group leader.
async fn tokens(base: &str) -> (Api, Api, Api) {
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let browser = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .build()
        .expect("client");
    browser
        .get(format!("{base}/login"))
        .send()
        .await
        .expect("login page");
    let url = base.parse().expect("url");
    let csrf = reqwest::cookie::CookieStore::cookies(jar.as_ref(), &url)
        .and_then(|h| h.to_str().ok().map(str::to_string))
        .and_then(|h| {
            h.split(';')
                .filter_map(|pair| pair.trim().split_once('='))
                .find(|(k, _)| *k == "dj_csrf")
                .map(|(_, v)| v.to_string())
        })
        .expect("csrf cookie");
    let post = |path: &str, body: Value| {
        browser
            .post(format!("{base}{path}"))
            .header("x-csrf-token", &csrf)
            .json(&body)
            .send()
    };
    let login = post(
        "/api/v1/auth/login",
        json!({"phone": ADMIN, "password": PASSWORD}),
    )
    .await
    .expect("login");
    assert_eq!(login.status(), StatusCode::OK);
    let mut apis = Vec::new();
    for name in ["系统管理员", "王建国", "李红梅"] {
        let list: Value = browser
            .get(format!("{base}/api/v1/accounts?q={name}"))
            .send()
            .await
            .expect("accounts")
            .json()
            .await
            .expect("json");
        let id = list["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|a| a["name"] == name)
            .and_then(|a| a["id"].as_i64())
            .unwrap_or_else(|| panic!("no account {name}: {list}"));
        let issued = post(
            "/api/v1/tokens",
            json!({"account_id": id, "name": "断电测试"}),
        )
        .await
        .expect("issue");
        assert_eq!(issued.status(), StatusCode::CREATED);
        let issued: Value = issued.json().await.expect("json");
        apis.push(Api {
            client: http_client(),
            base: base.to_string(),
            token: issued["secret"].as_str().expect("secret").to_string(),
        });
    }
    let leader = apis.pop().expect("leader");
    let secretary = apis.pop().expect("secretary");
    let admin = apis.pop().expect("admin");
    (admin, secretary, leader)
}

/// A valid, unique synthetic ID number for the n-th registered member of a series.
fn id_number(series: u32, n: u32) -> String {
    let born = jiff::civil::date(1990, 1, 1)
        .checked_add(jiff::Span::new().days(i64::from(n / 1000)))
        .expect("date");
    // Area 11010x: never the demo's 610502, so no number collides with a demo member.
    let body = format!("11010{series}{}{:03}", born.strftime("%Y%m%d"), n % 1000);
    IdNumber::from_body(&body)
        .expect("valid body")
        .as_str()
        .to_string()
}

fn member_body(group: i64, name: &str, id_number: &str, phone: &str) -> Value {
    json!({
        "org_id": group, "name": name, "id_number": id_number, "phone": phone,
        "category": "正式党员", "joined_on": "2015-07-01", "full_member_on": "2016-07-01",
        "education": "大学本科"
    })
}

/// What the clients were told, write by write.
#[derive(Default)]
struct Ledger {
    /// Registered members: (name, id) acknowledged, names whose answer was lost.
    members: Vec<(String, i64)>,
    members_unknown: Vec<String>,
    /// Per edited member: phones in the order sent, with whether each was acknowledged.
    edits: BTreeMap<i64, Vec<(String, bool)>>,
    /// Proposals: (reason, id) acknowledged, reasons whose answer was lost.
    proposals: Vec<(String, i64)>,
    proposals_unknown: Vec<String>,
    /// Approved proposals and the ledger entry each answer named; decisions lost to the kill.
    approvals: Vec<(i64, i64)>,
    approvals_unknown: Vec<i64>,
    /// Per (activity, member): statuses in the order sent, with whether each was acknowledged.
    marks: BTreeMap<(i64, i64), Vec<(String, bool)>>,
    /// Dues paid: (member, month) acknowledged, and the one whose answer was lost.
    dues: Vec<(i64, String)>,
    dues_unknown: Vec<(i64, String)>,
}

impl Ledger {
    fn acknowledged(&self) -> usize {
        self.members.len()
            + self.edits.values().flatten().filter(|(_, ok)| *ok).count()
            + self.proposals.len()
            + self.approvals.len()
            + self.marks.values().flatten().filter(|(_, ok)| *ok).count()
            + self.dues.len()
    }

    fn unknown(&self) -> usize {
        self.members_unknown.len()
            + self.edits.values().flatten().filter(|(_, ok)| !*ok).count()
            + self.proposals_unknown.len()
            + self.approvals_unknown.len()
            + self.marks.values().flatten().filter(|(_, ok)| !*ok).count()
            + self.dues_unknown.len()
    }
}

/// The load's shared state: what was told, how many acks so far, whether to stop.
#[derive(Clone, Default)]
struct Load {
    told: Arc<std::sync::Mutex<Ledger>>,
    acks: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl Load {
    fn record(&self, f: impl FnOnce(&mut Ledger)) {
        f(&mut self.told.lock().expect("ledger lock"));
    }

    fn ack(&self) {
        self.acks.fetch_add(1, Ordering::SeqCst);
    }

    fn running(&self) -> bool {
        !self.stop.load(Ordering::SeqCst)
    }
}

/// Registers members one after another until told to stop or the server is gone.
async fn registrar(api: Api, load: Load, group: i64) {
    for n in 0u32.. {
        if !load.running() {
            break;
        }
        let name = format!("压测党员{n}");
        let body = member_body(group, &name, &id_number(2, n), &format!("1360{:07}", n));
        match api.call(Method::POST, "/api/v1/members", Some(&body)).await {
            Outcome::Acked(view) => {
                let id = view["id"].as_i64().expect("member id");
                load.record(|l| l.members.push((name, id)));
                load.ack();
            }
            Outcome::Refused(status, body) => panic!("registering {name}: {status} {body}"),
            Outcome::Unknown => {
                load.record(|l| l.members_unknown.push(name));
                break;
            }
        }
    }
}

/// Registers the member an editor works on (before the load).
async fn editable_member(api: &Api, group: i64, series: u32) -> i64 {
    let created = api
        .must(
            Method::POST,
            "/api/v1/members",
            Some(&member_body(
                group,
                &format!("压测修改{series}"),
                &id_number(series, 0),
                &format!("137{series}0000000"),
            )),
        )
        .await;
    created["id"].as_i64().expect("member id")
}

/// Edits one member's phone again and again (the whole record is sent each time).
async fn editor(api: Api, load: Load, group: i64, series: u32, id: i64) {
    let name = format!("压测修改{series}");
    let id_number = id_number(series, 0);
    for n in 1u32.. {
        if !load.running() {
            break;
        }
        let phone = format!("137{series}{n:07}");
        let body = member_body(group, &name, &id_number, &phone);
        match api
            .call(Method::PUT, &format!("/api/v1/members/{id}"), Some(&body))
            .await
        {
            Outcome::Acked(_) => {
                load.record(|l| l.edits.entry(id).or_default().push((phone, true)));
                load.ack();
            }
            Outcome::Refused(status, body) => panic!("editing {name}: {status} {body}"),
            Outcome::Unknown => {
                load.record(|l| l.edits.entry(id).or_default().push((phone, false)));
                break;
            }
        }
    }
}

/// The group leader proposes 志愿服务 points; every acknowledged proposal goes to the approver.
async fn proposer(
    api: Api,
    load: Load,
    people: Vec<i64>,
    approve: tokio::sync::mpsc::UnboundedSender<i64>,
) {
    for n in 0usize.. {
        if !load.running() {
            break;
        }
        let reason = format!("压测申报{n}");
        let body = json!({"member_id": people[n % people.len()], "item_code": "A01",
                          "points": "3", "reason": reason});
        match api
            .call(Method::POST, "/api/v1/points/proposals", Some(&body))
            .await
        {
            Outcome::Acked(view) => {
                let id = view["id"].as_i64().expect("proposal id");
                load.record(|l| l.proposals.push((reason, id)));
                load.ack();
                let _ = approve.send(id);
            }
            Outcome::Refused(status, body) => panic!("proposing: {status} {body}"),
            Outcome::Unknown => {
                load.record(|l| l.proposals_unknown.push(reason));
                break;
            }
        }
    }
}

/// The branch secretary approves what the leader proposed, as it comes.
async fn approver(api: Api, load: Load, mut proposals: tokio::sync::mpsc::UnboundedReceiver<i64>) {
    while let Some(id) = proposals.recv().await {
        if !load.running() {
            break;
        }
        let body = json!({"approve": true, "note": "同意"});
        match api
            .call(
                Method::POST,
                &format!("/api/v1/points/proposals/{id}/decision"),
                Some(&body),
            )
            .await
        {
            Outcome::Acked(view) => {
                let entry = view["entry_id"].as_i64().expect("entry id");
                load.record(|l| l.approvals.push((id, entry)));
                load.ack();
            }
            // A member's 志愿服务 points are capped per month, quarter and year: past the cap
            // the approval is refused (and writes nothing); anything else is a failure.
            Outcome::Refused(status, body) => assert!(
                matches!(
                    status,
                    StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY
                ),
                "approving {id}: {status} {body}"
            ),
            Outcome::Unknown => {
                load.record(|l| l.approvals_unknown.push(id));
                break;
            }
        }
    }
}

/// The recorder corrects the attendance of held meetings, present and absent by turns.
async fn marker(api: Api, load: Load, meetings: Vec<i64>, people: Vec<i64>) {
    let pairs: Vec<(i64, i64)> = meetings
        .iter()
        .flat_map(|m| people.iter().map(move |p| (*m, *p)))
        .collect();
    for n in 0usize.. {
        if !load.running() {
            break;
        }
        let (meeting, member) = pairs[n % pairs.len()];
        let status = if (n / pairs.len()).is_multiple_of(2) {
            "present"
        } else {
            "absent"
        };
        let body = json!({"member_id": member, "status": status});
        let outcome = api
            .call(
                Method::POST,
                &format!("/api/v1/activities/{meeting}/attendance"),
                Some(&body),
            )
            .await;
        let sent = (status.to_string(), matches!(outcome, Outcome::Acked(_)));
        match outcome {
            Outcome::Acked(_) => {
                load.record(|l| l.marks.entry((meeting, member)).or_default().push(sent));
                load.ack();
            }
            Outcome::Refused(status, body) => panic!("marking: {status} {body}"),
            Outcome::Unknown => {
                load.record(|l| l.marks.entry((meeting, member)).or_default().push(sent));
                break;
            }
        }
    }
}

/// The demo's dues branch: every month of this year opened (the demo opened the current one),
/// and the (member, month) rows still to pay, month by month.
async fn dues_to_pay(admin: &Api, branch: i64) -> Vec<(i64, String)> {
    let today = dangjian_app::Clock::system().today();
    let mut unpaid = Vec::new();
    for number in 1..=today.month() {
        let month = format!("{:04}-{number:02}", today.year());
        let sheet = match admin
            .call(
                Method::POST,
                &format!("/api/v1/orgs/{branch}/dues/sheet/open"),
                Some(&json!({"month": month})),
            )
            .await
        {
            Outcome::Acked(sheet) => sheet,
            _ => {
                admin
                    .must(
                        Method::GET,
                        &format!("/api/v1/orgs/{branch}/dues/sheet?month={month}"),
                        None,
                    )
                    .await
            }
        };
        for row in sheet["rows"].as_array().expect("rows") {
            if row["status"] == "unpaid" {
                let member = row["member_id"].as_i64().expect("member id");
                unpaid.push((member, month.clone()));
            }
        }
    }
    unpaid
}

/// The administrator records dues payments, one member and month at a time.
async fn payer(api: Api, load: Load, unpaid: Vec<(i64, String)>) {
    for (member, month) in unpaid {
        if !load.running() {
            break;
        }
        let body =
            json!({"payments": [{"member_id": member, "months": [month], "channel": "现金"}]});
        match api
            .call(Method::POST, "/api/v1/dues/payments", Some(&body))
            .await
        {
            Outcome::Acked(_) => {
                load.record(|l| l.dues.push((member, month)));
                load.ack();
            }
            Outcome::Refused(status, body) => panic!("paying {member} {month}: {status} {body}"),
            Outcome::Unknown => {
                load.record(|l| l.dues_unknown.push((member, month)));
                break;
            }
        }
    }
}

/// A group meeting held yesterday: planned by the leader, approved by the secretary, published
/// and confirmed held (everyone absent). Marks after that are corrections: each one reverses the
/// member's points entry for the meeting and appends the new one.
async fn open_meeting(leader: &Api, secretary: &Api, group: i64, host: i64, topic: &str) -> i64 {
    let yesterday = dangjian_app::Clock::system()
        .today()
        .yesterday()
        .expect("a date after the epoch")
        .to_string();
    let plan = json!({"org_id": group, "kind": "group_meeting", "topic": topic, "date": yesterday,
                      "start": "09:00", "end": "10:00", "place": "二楼",
                      "host_member_id": host, "recorder_member_id": host});
    let created = leader
        .must(Method::POST, "/api/v1/activities", Some(&plan))
        .await;
    let id = created["activity"]["id"].as_i64().expect("activity id");
    for (api, action) in [
        (leader, "submit"),
        (secretary, "approve"),
        (leader, "publish"),
        (leader, "finish"),
    ] {
        api.must(
            Method::POST,
            &format!("/api/v1/activities/{id}/actions"),
            Some(&json!({"action": action, "note": ""})),
        )
        .await;
    }
    id
}

/// One integer the database answers; the SQL is the test's own text (no input in it).
async fn number(store: &Store, sql: String) -> i64 {
    let mut handle = store.acquire().await.expect("connection");
    let sql = sqlx::AssertSqlSafe(sql);
    match handle.conn() {
        Conn::Sqlite(c) => sqlx::query_scalar(sql).fetch_one(&mut *c).await,
        Conn::Postgres(c) => sqlx::query_scalar(sql).fetch_one(&mut *c).await,
    }
    .expect("query")
}

/// One text the database answers, if any row.
async fn text(store: &Store, sql: String) -> Option<String> {
    let mut handle = store.acquire().await.expect("connection");
    let sql = sqlx::AssertSqlSafe(sql);
    match handle.conn() {
        Conn::Sqlite(c) => sqlx::query_scalar(sql).fetch_optional(&mut *c).await,
        Conn::Postgres(c) => sqlx::query_scalar(sql).fetch_optional(&mut *c).await,
    }
    .expect("query")
}

/// How many audit entries of this action name this entity.
async fn audited(store: &Store, action: &str, entity: i64) -> i64 {
    number(
        store,
        format!(
            "SELECT count(*) FROM audit_log WHERE action = '{action}' AND entity_id = '{entity}'"
        ),
    )
    .await
}

/// A value kept after a sequence of writes to it: the last acknowledged one, or one sent after it
/// whose answer was lost (it may have committed just before the kill). Nothing older.
fn allowed_finals(sent: &[(String, bool)]) -> Vec<&str> {
    let last_ack = sent.iter().rposition(|(_, ok)| *ok);
    match last_ack {
        Some(i) => sent[i..].iter().map(|(v, _)| v.as_str()).collect(),
        None => sent.iter().map(|(v, _)| v.as_str()).collect(),
    }
}

async fn acknowledged_writes_survive_kill_9(backend: Backend) {
    let dir = tempfile::tempdir().expect("dir");
    let database_url = fresh_database(backend, &dir).await;
    let server = Server::start(&database_url, true);
    let (admin, secretary, leader) = tokens(&server.base).await;

    // Setup: the group, four of its members, two members to edit, two held meetings.
    let orgs = admin.must(Method::GET, "/api/v1/orgs", None).await;
    let group = orgs
        .as_array()
        .expect("orgs")
        .iter()
        .find(|o| o["name"] == "综合党小组")
        .and_then(|o| o["id"].as_i64())
        .expect("the demo's group");
    let list = leader
        .must(
            Method::GET,
            &format!("/api/v1/members?org_id={group}&per_page=50"),
            None,
        )
        .await;
    let members: Vec<&Value> = list["items"].as_array().expect("items").iter().collect();
    let host = members
        .iter()
        .find(|m| m["name"] == "李红梅")
        .and_then(|m| m["id"].as_i64())
        .expect("the leader's member record");
    // Neither the proposer nor the approver may be the one awarded.
    let people: Vec<i64> = members
        .iter()
        .filter(|m| m["name"] != "李红梅" && m["name"] != "王建国")
        .filter_map(|m| m["id"].as_i64())
        .take(4)
        .collect();
    assert_eq!(people.len(), 4, "{list}");
    let edited = [
        editable_member(&secretary, group, 3).await,
        editable_member(&secretary, group, 4).await,
    ];
    let dues_branch = orgs
        .as_array()
        .expect("orgs")
        .iter()
        .find(|o| o["name"] == "生产运营党支部")
        .and_then(|o| o["id"].as_i64())
        .expect("the demo's dues branch");
    let unpaid = dues_to_pay(&admin, dues_branch).await;
    assert!(!unpaid.is_empty(), "the demo has dues to pay");
    let meetings = vec![
        open_meeting(&leader, &secretary, group, host, "压测会议一").await,
        open_meeting(&leader, &secretary, group, host, "压测会议二").await,
    ];

    // The load, until enough is acknowledged; then SIGKILL while the clients keep sending.
    let load = Load::default();
    let (to_approver, approvals) = tokio::sync::mpsc::unbounded_channel();
    let clients = vec![
        tokio::spawn(registrar(secretary.clone(), load.clone(), group)),
        tokio::spawn(editor(secretary.clone(), load.clone(), group, 3, edited[0])),
        tokio::spawn(editor(secretary.clone(), load.clone(), group, 4, edited[1])),
        tokio::spawn(proposer(
            leader.clone(),
            load.clone(),
            people.clone(),
            to_approver,
        )),
        tokio::spawn(approver(secretary.clone(), load.clone(), approvals)),
        tokio::spawn(marker(
            leader.clone(),
            load.clone(),
            meetings.clone(),
            people.clone(),
        )),
        tokio::spawn(payer(admin.clone(), load.clone(), unpaid)),
    ];
    let started = Instant::now();
    while load.acks.load(Ordering::SeqCst) < KILL_AFTER_ACKS && started.elapsed() < MAX_LOAD {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill_9();
    load.stop.store(true, Ordering::SeqCst);
    for client in clients {
        client.await.expect("client task");
    }
    let told = std::mem::take(&mut *load.told.lock().expect("ledger lock"));
    let (acked, unknown) = (told.acknowledged(), told.unknown());
    println!(
        "crash test ({backend:?}): killed after {:.1} s of load; {acked} writes acknowledged \
         ({} members registered, {} edits, {} proposals, {} approvals, {} attendance corrections, \
         {} dues payments), {unknown} unanswered at the kill",
        started.elapsed().as_secs_f64(),
        told.members.len(),
        told.edits.values().flatten().filter(|(_, ok)| *ok).count(),
        told.proposals.len(),
        told.approvals.len(),
        told.marks.values().flatten().filter(|(_, ok)| *ok).count(),
        told.dues.len(),
    );
    assert!(
        !told.members.is_empty()
            && !told.edits.is_empty()
            && !told.proposals.is_empty()
            && !told.marks.is_empty()
            && !told.dues.is_empty(),
        "every kind of write was acknowledged at least once before the kill"
    );

    // Restart on the same database (no demo: it is all there).
    let server = Server::start(&database_url, false);
    let admin = Api {
        base: server.base.clone(),
        ..admin
    };
    let app = attach(server.address(), &database_url).await;
    let store = &app.store;

    let mut found = 0usize;
    // Registered members: each acknowledged one once, with its audit entry; a lost answer at most
    // once.
    for (name, id) in &told.members {
        let ids = number(
            store,
            format!("SELECT count(*) FROM members WHERE name = '{name}' AND id = {id}"),
        )
        .await;
        let named = number(
            store,
            format!("SELECT count(*) FROM members WHERE name = '{name}'"),
        )
        .await;
        assert_eq!((ids, named), (1, 1), "{name} (#{id}) is there exactly once");
        assert_eq!(audited(store, "member_created", *id).await, 1, "{name}");
        found += 1;
    }
    for name in &told.members_unknown {
        let named = number(
            store,
            format!("SELECT count(*) FROM members WHERE name = '{name}'"),
        )
        .await;
        assert!(named <= 1, "{name} unanswered, there {named} times");
    }
    let registered = number(
        store,
        "SELECT count(*) FROM members WHERE name LIKE '压测党员%'".into(),
    )
    .await;
    assert!(
        registered as usize >= told.members.len()
            && registered as usize <= told.members.len() + told.members_unknown.len(),
        "{registered} registered for {} acknowledged",
        told.members.len()
    );

    // Edits: the member holds the last acknowledged phone (or the one sent after it).
    for (id, sent) in &told.edits {
        let phone = text(store, format!("SELECT phone FROM members WHERE id = {id}"))
            .await
            .expect("edited member");
        let allowed = allowed_finals(sent);
        assert!(
            allowed.contains(&phone.as_str()),
            "member #{id}: {phone}, allowed {allowed:?}"
        );
        let acked = sent.iter().filter(|(_, ok)| *ok).count() as i64;
        let audits = audited(store, "member_updated", *id).await;
        assert!(
            audits >= acked && audits <= sent.len() as i64,
            "member #{id}: {audits} audit entries for {acked} acknowledged edits"
        );
        found += acked as usize;
    }

    // Proposals: each acknowledged one once, with its audit entry.
    for (reason, id) in &told.proposals {
        let count = number(
            store,
            format!(
                "SELECT count(*) FROM points_proposals WHERE reason = '{reason}' AND id = {id}"
            ),
        )
        .await;
        let named = number(
            store,
            format!("SELECT count(*) FROM points_proposals WHERE reason = '{reason}'"),
        )
        .await;
        assert_eq!((count, named), (1, 1), "proposal {reason} (#{id})");
        assert_eq!(audited(store, "points_proposed", *id).await, 1, "{reason}");
        found += 1;
    }
    for reason in &told.proposals_unknown {
        let named = number(
            store,
            format!("SELECT count(*) FROM points_proposals WHERE reason = '{reason}'"),
        )
        .await;
        assert!(named <= 1, "{reason} unanswered, there {named} times");
    }

    // Approvals: the proposal approved, its one ledger entry the one the answer named.
    for (id, entry) in &told.approvals {
        let status = text(
            store,
            format!("SELECT status FROM points_proposals WHERE id = {id}"),
        )
        .await;
        assert_eq!(status.as_deref(), Some("approved"), "proposal #{id}");
        let entries = number(
            store,
            format!(
                "SELECT count(*) FROM points_entries WHERE source_key = 'proposal:{id}' AND id = {entry}"
            ),
        )
        .await;
        let keyed = number(
            store,
            format!("SELECT count(*) FROM points_entries WHERE source_key = 'proposal:{id}'"),
        )
        .await;
        assert_eq!((entries, keyed), (1, 1), "proposal #{id}'s entry #{entry}");
        assert_eq!(
            audited(store, "points_proposal_decided", *id).await,
            1,
            "#{id}"
        );
        found += 1;
    }
    // Whatever was approved, answered or not, has exactly one entry.
    let unbalanced = number(
        store,
        "SELECT count(*) FROM points_proposals p WHERE p.status = 'approved'
           AND (SELECT count(*) FROM points_entries e
                 WHERE e.source_key = 'proposal:' || CAST(p.id AS TEXT)) <> 1"
            .into(),
    )
    .await;
    assert_eq!(
        unbalanced, 0,
        "approved proposals without exactly one entry"
    );

    // Attendance: the last acknowledged mark (or the one sent after it) stands.
    for ((meeting, member), sent) in &told.marks {
        let status = text(
            store,
            format!(
                "SELECT status FROM activity_attendees WHERE activity_id = {meeting} AND member_id = {member}"
            ),
        )
        .await
        .expect("an attendee row");
        let allowed = allowed_finals(sent);
        assert!(
            allowed.contains(&status.as_str()),
            "meeting #{meeting}, member #{member}: {status}, allowed {allowed:?}"
        );
        found += sent.iter().filter(|(_, ok)| *ok).count();
    }
    // Dues: each acknowledged payment recorded once; a lost one at most once (one row a month).
    for (member, month) in &told.dues {
        let paid = number(
            store,
            format!(
                "SELECT count(*) FROM dues_months WHERE member_id = {member} AND month = '{month}' AND paid_on IS NOT NULL"
            ),
        )
        .await;
        assert_eq!(paid, 1, "member #{member}'s dues for {month}");
        found += 1;
    }
    assert_eq!(found, acked, "every acknowledged write was checked");

    // Both hash chains verify, through the API and the command line.
    let ledger = admin.must(Method::GET, "/api/v1/points/verify", None).await;
    assert_eq!(ledger["ok"], true, "{ledger}");
    let audit = admin.must(Method::GET, "/api/v1/audit/verify", None).await;
    assert_eq!(audit["ok"], true, "{audit}");
    for command in ["ledger", "audit"] {
        let output = Command::new(env!("CARGO_BIN_EXE_dangjian"))
            .args([command, "verify", "--database", &database_url])
            .env_remove("DANGJIAN_CONFIG")
            .output()
            .expect("run verify");
        assert_eq!(
            output.status.code(),
            Some(0),
            "{command} verify: {}",
            String::from_utf8_lossy(&output.stdout)
        );
    }

    // The maintained totals equal a recount.
    assert_eq!(
        crate::points_totals::stored(&app).await,
        crate::points_totals::recount(&app).await
    );
    assert_eq!(
        crate::activity_counters::stored(&app).await,
        crate::activity_counters::recount(&app).await
    );
    assert!(crate::bench::assert_dues_totals_match(&app).await > 0);
    println!(
        "crash test ({backend:?}): {found} of {acked} acknowledged writes found after kill -9"
    );
    server.kill_9();
}

on_both_backends!(acknowledged_writes_survive_kill_9);
