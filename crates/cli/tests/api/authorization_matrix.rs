//! The authorization matrix (issue #15), generated from the route table: every route with a path
//! parameter, every method it declares, tried by the demo branch's secretary, group leader and
//! member against the objects of another branch (an API write carries a body the OpenAPI document
//! calls well-formed, so it reaches the use case). Each answer must refuse (403 or 404) and show
//! nothing of the other branch; afterwards nothing of the other branch has changed. A new route is
//! covered the day it enters the table: its parameter's object kind must be known here, or the
//! route listed among the exemptions with its reason.

use std::collections::{BTreeMap, BTreeSet};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::activities::{act, signed_in, yesterday};
use crate::development::id_number;
use crate::helpers::*;
use crate::on_both_backends;
use crate::orgs::org_id;

/// Routes whose parameter names no object of an organization, with the reason.
const EXEMPT: &[(&str, &str)] = &[
    ("/static/{*path}", "bundled files, the same for everyone"),
    ("/api/docs/{*rest}", "the OpenAPI viewer's files"),
    (
        "/calendar/{token}",
        "a capability URL: the feed's secret token is its authorization, not a role's reach",
    ),
];

/// Known defects being fixed in the security branch (helper-h1): the status may still reveal the
/// object's state here, so only the absence of its data is checked. Fixed in the security branch.
const EXPECTED_ELSEWHERE: &[(&str, &str)] = &[
    // A foreign activity's check-in answered 409 (not open) before asking whose it is.
    ("POST", "/api/v1/activities/{id}/check-in"),
    ("POST", "/checkin/{id}"),
    // Cancelling a foreign transfer answered 409 (not pending) before asking whose it is.
    ("POST", "/api/v1/transfers/{id}/cancel"),
    ("POST", "/transfers/{id}/cancel"),
];

/// The other branch: what was created in it, by object kind (the path segment before `{id}`),
/// and the words that would show its data if an answer leaked any.
struct Foreign {
    ids: BTreeMap<&'static str, Vec<i64>>,
    secrets: Vec<&'static str>,
    branch: i64,
    activity: i64,
    held: i64,

    applicant: i64,
}

const BRANCH_NAME: &str = "城东派出所党支部";
const GROUP_NAME: &str = "城东巡逻党小组";
const OTHER_BRANCH_NAME: &str = "城北派出所党支部";
const MEMBER_NAME: &str = "欧阳振华";
const MOVER_NAME: &str = "司马晓琳";
const MEMBER_PHONE: &str = "13977770001";
const MOVER_PHONE: &str = "13977770002";
const STAYER_NAME: &str = "上官慧敏";
const TOPIC: &str = "城东专题党课";
const HELD_TOPIC: &str = "城东巡逻小组会";
const APPLICANT_NAME: &str = "诸葛青云";
const ACCOUNT_NAME: &str = "城东书记";
const ACCOUNT_PHONE: &str = "13977770009";
const AWARD_TITLE: &str = "城东年度评选";
const PROPOSAL_REASON: &str = "城东志愿服务";

async fn created_id(response: reqwest::Response, pointer: &str, what: &str) -> i64 {
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{what}: {status} {body}");
    body.pointer(pointer)
        .and_then(Value::as_i64)
        .unwrap_or_else(|| panic!("{what}: no {pointer} in {body}"))
}

async fn ok(response: reqwest::Response, what: &str) {
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    assert!(status.is_success(), "{what}: {status} {body}");
}

impl Foreign {
    /// Builds the other branch beside the demo's, under the same committee, as the system
    /// administrator: the demo branch's roles reach only their own subtree, so none of this.
    async fn create(admin: &TestApp) -> Foreign {
        let committee = org_id(admin, "临渭公安分局党委").await;
        let org = |parent: i64, kind: &str, name: &str| json!({"parent_id": parent, "kind": kind, "name": name});
        let branch = created_id(
            admin
                .post_json("/api/v1/orgs", &org(committee, "branch", BRANCH_NAME))
                .await,
            "/id",
            "branch",
        )
        .await;
        let group = created_id(
            admin
                .post_json("/api/v1/orgs", &org(branch, "group", GROUP_NAME))
                .await,
            "/id",
            "group",
        )
        .await;
        let other_branch = created_id(
            admin
                .post_json("/api/v1/orgs", &org(committee, "branch", OTHER_BRANCH_NAME))
                .await,
            "/id",
            "other branch",
        )
        .await;
        let member = |name: &str, seq: u32, phone: &str| {
            json!({"org_id": group, "name": name, "id_number": id_number(seq), "phone": phone,
                   "category": "正式党员", "joined_on": "2020-07-01", "full_member_on": "2021-07-01"})
        };
        let host = created_id(
            admin
                .post_json("/api/v1/members", &member(MEMBER_NAME, 901, MEMBER_PHONE))
                .await,
            "/id",
            "member",
        )
        .await;
        let mover = created_id(
            admin
                .post_json("/api/v1/members", &member(MOVER_NAME, 902, MOVER_PHONE))
                .await,
            "/id",
            "second member",
        )
        .await;
        let stayer = created_id(
            admin
                .post_json("/api/v1/members", &member(STAYER_NAME, 904, "13977770003"))
                .await,
            "/id",
            "third member",
        )
        .await;
        let account = created_id(
            admin
                .post_json(
                    "/api/v1/accounts",
                    &json!({"phone": ACCOUNT_PHONE, "name": ACCOUNT_NAME, "role": "org_admin",
                            "org_id": branch, "password": "chengdong2026"}),
                )
                .await,
            "/account/id",
            "account",
        )
        .await;
        // The other branch's own secretary approves what the administrator plans there.
        let chief = admin.new_browser();
        ok(
            chief.login_api(ACCOUNT_PHONE, "chengdong2026").await,
            "sign in",
        )
        .await;
        ok(
            chief
                .post_json(
                    "/api/v1/me/password",
                    &json!({"current_password": "chengdong2026", "new_password": "chengdong2027"}),
                )
                .await,
            "password",
        )
        .await;
        let token = created_id(
            admin
                .post_json(
                    "/api/v1/tokens",
                    &json!({"account_id": account, "name": "城东对接"}),
                )
                .await,
            "/token/id",
            "token",
        )
        .await;

        // A group meeting planned, approved and published, and one held yesterday with a photo.
        let meeting = |topic: &str, date: &str| {
            json!({"org_id": group, "kind": "group_meeting", "topic": topic, "date": date,
                   "start": "09:00", "end": "10:00", "place": "城东所二楼",
                   "host_member_id": host, "recorder_member_id": host})
        };
        let mut activities = Vec::new();
        let next_week = today()
            .checked_add(jiff::ToSpan::days(7))
            .expect("date")
            .to_string();
        for (topic, date) in [(TOPIC, next_week), (HELD_TOPIC, yesterday())] {
            let id = created_id(
                admin
                    .post_json("/api/v1/activities", &meeting(topic, &date))
                    .await,
                "/activity/id",
                "activity",
            )
            .await;
            ok(act(admin, id, "submit", "").await, "submit").await;
            ok(act(&chief, id, "approve", "同意").await, "approve").await;
            ok(act(admin, id, "publish", "").await, "publish").await;
            activities.push(id);
        }
        let held = activities[1];
        ok(
            admin
                .post_json(
                    &format!("/api/v1/activities/{held}/attendance"),
                    &json!({"member_id": host, "status": "present"}),
                )
                .await,
            "attendance",
        )
        .await;
        ok(act(admin, held, "finish", "").await, "finish").await;
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        let photo = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(png).file_name("城东现场.png"),
        );
        let attachment = created_id(
            admin
                .client
                .post(admin.url(&format!("/api/v1/activities/{held}/attachments")))
                .header("X-CSRF-Token", admin.csrf().await)
                .multipart(photo)
                .send()
                .await
                .expect("request"),
            "/id",
            "attachment",
        )
        .await;

        ok(
            admin
                .post_json(
                    &format!("/api/v1/orgs/{branch}/dues/sheet/open"),
                    &json!({"month": today().strftime("%Y-%m").to_string()}),
                )
                .await,
            "dues sheet",
        )
        .await;
        let proposal = created_id(
            admin
                .post_json(
                    "/api/v1/points/proposals",
                    &json!({"member_id": host, "item_code": "A01", "points": "3", "reason": PROPOSAL_REASON}),
                )
                .await,
            "/id",
            "proposal",
        )
        .await;
        let mut handle = admin.store.acquire().await.expect("connection");
        let entries: Vec<i64> = dangjian_store::points::ledger::all_entries(handle.conn())
            .await
            .expect("entries")
            .into_iter()
            .filter(|e| e.member_id == host)
            .map(|e| e.id)
            .collect();
        drop(handle);
        assert!(!entries.is_empty(), "the held meeting awarded points");
        let applicant = created_id(
            admin
                .post_json(
                    "/api/v1/development/applicants",
                    &json!({"org_id": branch, "name": APPLICANT_NAME, "id_number": id_number(903),
                            "received_on": yesterday()}),
                )
                .await,
            "/applicant/id",
            "applicant",
        )
        .await;
        let transfer = created_id(
            admin
                .post_json(
                    "/api/v1/transfers",
                    &json!({"member_id": mover, "to_org_id": other_branch, "reason": "工作调动"}),
                )
                .await,
            "/id",
            "transfer",
        )
        .await;
        // A settled transfer too: its state is no one else's business either.
        let settled = created_id(
            admin
                .post_json(
                    "/api/v1/transfers",
                    &json!({"member_id": stayer, "to_org_id": other_branch, "reason": "工作调动"}),
                )
                .await,
            "/id",
            "second transfer",
        )
        .await;
        ok(
            admin
                .post_json(&format!("/api/v1/transfers/{settled}/cancel"), &json!({}))
                .await,
            "cancel",
        )
        .await;
        let award = created_id(
            admin
                .post_json(
                    &format!("/api/v1/orgs/{branch}/awards"),
                    &json!({"title": AWARD_TITLE}),
                )
                .await,
            "/id",
            "award",
        )
        .await;
        let evaluation = created_id(
            admin
                .post_json(
                    &format!("/api/v1/orgs/{branch}/evaluations"),
                    &json!({"year": today().year()}),
                )
                .await,
            "/id",
            "evaluation",
        )
        .await;
        let ids = BTreeMap::from([
            ("orgs", vec![branch, group]),
            ("members", vec![host, mover, stayer]),
            ("activities", activities.clone()),
            ("checkin", activities.clone()),
            ("attachments", vec![attachment]),
            ("accounts", vec![account]),
            ("tokens", vec![token]),
            ("awards", vec![award]),
            ("evaluations", vec![evaluation]),
            ("applicants", vec![applicant]),
            ("entries", entries),
            ("proposals", vec![proposal]),
            ("transfers", vec![transfer, settled]),
        ]);
        Foreign {
            ids,
            secrets: vec![
                BRANCH_NAME,
                GROUP_NAME,
                MEMBER_NAME,
                MOVER_NAME,
                MEMBER_PHONE,
                MOVER_PHONE,
                STAYER_NAME,
                TOPIC,
                HELD_TOPIC,
                APPLICANT_NAME,
                ACCOUNT_NAME,
                ACCOUNT_PHONE,
                AWARD_TITLE,
                PROPOSAL_REASON,
            ],
            branch,
            activity: activities[0],
            held,

            applicant,
        }
    }

    /// The concrete paths of a route, one per combination of the foreign objects its parameters
    /// name; an error when a parameter names a kind this test cannot supply.
    fn paths(&self, pattern: &str) -> Result<Vec<String>, String> {
        let mut paths = vec![String::new()];
        let mut previous = "";
        for segment in pattern.trim_start_matches('/').split('/') {
            let choices: Vec<String> = if segment.starts_with('{') {
                let kind = if segment == "{id}" {
                    previous
                } else {
                    segment.trim_matches(['{', '}']).trim_end_matches("_id")
                };
                let kind = if kind == "attachment" {
                    "attachments"
                } else {
                    kind
                };
                let ids = self
                    .ids
                    .get(kind)
                    .ok_or_else(|| format!("no foreign object of kind `{kind}` for {pattern}"))?;
                ids.iter().map(i64::to_string).collect()
            } else {
                vec![segment.to_string()]
            };
            previous = segment;
            paths = paths
                .iter()
                .flat_map(|p| choices.iter().map(move |c| format!("{p}/{c}")))
                .collect();
        }
        Ok(paths)
    }

    /// A value for a body's integer field: the other branch's object when the name says which
    /// kind (`member_id`, `to_org_id`), else 1.
    fn id_named(&self, field: &str) -> i64 {
        let kind = match field.trim_end_matches("_id") {
            "member" | "host_member" | "recorder_member" => "members",
            "org" | "to_org" | "group" | "parent" | "branch" => "orgs",
            "account" => "accounts",
            "activity" => "activities",
            "nomination" => "awards",
            _ => return 1,
        };
        self.ids[kind][0]
    }

    /// What an administrator sees of the other branch: equal before and after the matrix when
    /// nothing was changed there.
    async fn snapshot(&self, admin: &TestApp) -> Vec<(String, Value)> {
        let month = today().strftime("%Y-%m").to_string();
        let mut seen = Vec::new();
        let mut paths = vec![
            format!("/api/v1/orgs/{}", self.branch),
            format!("/api/v1/activities/{}", self.activity),
            format!("/api/v1/activities/{}", self.held),
            format!("/api/v1/development/applicants/{}", self.applicant),
            format!("/api/v1/orgs/{}/dues/sheet?month={month}", self.branch),
            format!("/api/v1/orgs/{}/positions", self.branch),
            format!("/api/v1/orgs/{}/member-accounts?per_page=200", self.branch),
            "/api/v1/orgs".to_string(),
            "/api/v1/transfers".to_string(),
            "/api/v1/accounts?per_page=200".to_string(),
        ];
        for kind in ["members", "awards", "evaluations", "tokens"] {
            for id in &self.ids[kind] {
                if kind != "tokens" {
                    paths.push(format!("/api/v1/{kind}/{id}"));
                }
            }
        }
        for path in paths {
            let (status, body) = admin.get_json(&path).await;
            seen.push((format!("{path} {status}"), body));
        }
        seen
    }
}

/// A request body the API's own OpenAPI document calls well-formed: every required property with a
/// plausible value, so that the request passes the extractors and reaches the use case, where the
/// authorization is.
/// Values for string fields the API documents as free text but reads as codes: each choice is
/// sent, so that every use case behind one route (`actions`: submit, approve, …) is tried.
const FIELD_CHOICES: &[(&str, &[&str])] = &[
    (
        "action",
        &[
            "submit",
            "approve",
            "return",
            "publish",
            "cancel",
            "open_check_in",
            "close_check_in",
            "finish",
            "archive",
        ],
    ),
    ("status", &["present", "leave", "absent"]),
    ("purpose", &["resolution"]),
];

/// Query parameters that choose what a read answers: each choice is asked for, so that every
/// use case behind one route (`dues/export`: the sheet, the summary, the year) is tried.
const QUERY_CHOICES: &[(&str, &[&str])] = &[("report", &["sheet", "summary", "year"])];

/// The queries to append to a route's path: one per choice of a documented choosing parameter.
fn queries(doc: &Value, method: &str, pattern: &str) -> Vec<String> {
    let documented: Vec<&str> = doc["paths"][pattern][method.to_lowercase()]["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["in"] == "query")
        .filter_map(|p| p["name"].as_str())
        .collect();
    let mut found = vec![String::new()];
    for (name, choices) in QUERY_CHOICES {
        if documented.contains(name) {
            found = choices.iter().map(|c| format!("?{name}={c}")).collect();
        }
    }
    found
}

/// The bodies to send: the plausible one, once per choice of a coded field it holds.
fn plausible_bodies(doc: &Value, method: &str, pattern: &str, foreign: &Foreign) -> Vec<Value> {
    let body = plausible_body(doc, method, pattern, foreign);
    let mut bodies = vec![body.clone()];
    for (field, choices) in FIELD_CHOICES {
        if body.get(*field).is_some() {
            bodies = bodies
                .iter()
                .flat_map(|b| {
                    choices.iter().map(move |choice| {
                        let mut b = b.clone();
                        b[*field] = json!(choice);
                        if *field == "action" {
                            b["note"] = json!("请按意见修改");
                        }
                        b
                    })
                })
                .collect();
        }
    }
    bodies
}

/// A body marked so is sent as an upload: a small PNG in the field `file`.
const MULTIPART: &str = "multipart/form-data";

fn plausible_body(doc: &Value, method: &str, pattern: &str, foreign: &Foreign) -> Value {
    // A page that writes takes what its API twin takes, under the same names where they agree.
    let twin = if pattern.starts_with("/api/") {
        pattern.to_string()
    } else {
        format!("/api/v1{pattern}")
    };
    let content = &doc["paths"][twin.as_str()][method.to_lowercase()]["requestBody"]["content"];
    if content.get(MULTIPART).is_some() {
        return json!({ MULTIPART: "photo.png" });
    }
    let schema = &content["application/json"]["schema"];
    if schema.is_null() {
        return json!({});
    }
    plausible(doc, schema, "", foreign, 0)
}

fn plausible(doc: &Value, schema: &Value, name: &str, ids: &Foreign, depth: usize) -> Value {
    if depth > 6 {
        return Value::Null;
    }
    if let Some(reference) = schema["$ref"].as_str() {
        let name_of = reference.rsplit('/').next().unwrap_or_default();
        return plausible(
            doc,
            &doc["components"]["schemas"][name_of],
            name,
            ids,
            depth + 1,
        );
    }
    for combined in ["allOf", "oneOf", "anyOf"] {
        if let Some(first) = schema[combined]
            .as_array()
            .and_then(|all| all.iter().find(|s| s["type"] != "null"))
        {
            if combined == "allOf" {
                let mut merged = serde_json::Map::new();
                for part in schema[combined].as_array().into_iter().flatten() {
                    if let Value::Object(fields) = plausible(doc, part, name, ids, depth + 1) {
                        merged.extend(fields);
                    }
                }
                return Value::Object(merged);
            }
            return plausible(doc, first, name, ids, depth + 1);
        }
    }
    if let Some(choices) = schema["enum"].as_array() {
        return choices.first().cloned().unwrap_or(Value::Null);
    }
    let kind = match &schema["type"] {
        Value::Array(kinds) => kinds
            .iter()
            .find(|k| *k != "null")
            .and_then(Value::as_str)
            .unwrap_or("object"),
        other => other.as_str().unwrap_or("object"),
    };
    match kind {
        "object" => {
            let mut fields = serde_json::Map::new();
            let required: Vec<&str> = schema["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            for (field, property) in schema["properties"].as_object().into_iter().flatten() {
                if required.contains(&field.as_str()) {
                    fields.insert(
                        field.clone(),
                        plausible(doc, property, field, ids, depth + 1),
                    );
                }
            }
            Value::Object(fields)
        }
        "array" => json!([plausible(doc, &schema["items"], name, ids, depth + 1)]),
        // A vote that could have happened: one voter, in favour.
        "integer" if name == "against" || name == "abstaining" => json!(0),
        "integer" => json!(ids.id_named(name)),
        "number" => json!(1),
        "boolean" => json!(true),
        _ => {
            let today = today();
            if name == "month" || name.ends_with("_month") {
                json!(today.strftime("%Y-%m").to_string())
            } else if name.ends_with("_on")
                || name.ends_with("date")
                || name.ends_with("_from")
                || name.ends_with("_to")
                || schema["format"] == "date"
            {
                json!(today.to_string())
            } else {
                json!("1")
            }
        }
    }
}

async fn last_audit_id(admin: &TestApp) -> i64 {
    let (_, audit) = admin.get_json("/api/v1/audit?per_page=1").await;
    audit["items"][0]["id"].as_i64().unwrap_or(0)
}

/// Whether a refusal came from the body's shape, before the handler could look anything up: the
/// empty body the matrix sends is no valid request for most writes.
fn refused_for_shape(status: StatusCode, body: &str) -> bool {
    // Requests whose own parameters name nothing that exists: a missing upload, report or import
    // kind. They are refused alike for every object, so they tell nothing.
    const BAD_REQUEST_ITSELF: &[&str] = &["导入类型应为 payments（交纳记录）或 bases（党费基数）"];
    if status == StatusCode::UNPROCESSABLE_ENTITY
        && BAD_REQUEST_ITSELF.iter().any(|m| body.contains(m))
    {
        return true;
    }
    let json: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let code = json["code"].as_str().unwrap_or_default();
    let message = json["message"].as_str().unwrap_or_default();
    match status {
        StatusCode::UNSUPPORTED_MEDIA_TYPE => true,
        StatusCode::BAD_REQUEST => {
            matches!(code, "bad_json" | "bad_form" | "bad_request")
                || body.contains("表单内容不完整")
        }
        StatusCode::UNPROCESSABLE_ENTITY => {
            code == "invalid" && message.starts_with("字段缺失或类型不正确")
        }
        _ => false,
    }
}

async fn send(browser: &TestApp, method: &str, path: &str, body: &Value) -> (StatusCode, String) {
    let method = Method::from_bytes(method.as_bytes()).expect("method");
    let mut request = browser.client.request(method.clone(), browser.url(path));
    if method != Method::GET {
        let csrf = browser.csrf().await;
        if path.starts_with("/api/") {
            request = request.header("x-csrf-token", csrf);
            if body.get(MULTIPART).is_some() {
                let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
                request = request.multipart(reqwest::multipart::Form::new().part(
                    "file",
                    reqwest::multipart::Part::bytes(png).file_name("photo.png"),
                ));
            } else if method != Method::DELETE {
                request = request.json(body);
            }
        } else {
            // A page's form has the fields of its API twin, flattened to text.
            let mut fields: Vec<(String, String)> = body
                .as_object()
                .into_iter()
                .flatten()
                .filter_map(|(name, value)| match value {
                    Value::String(text) => Some((name.clone(), text.clone())),
                    Value::Number(_) | Value::Bool(_) => Some((name.clone(), value.to_string())),
                    _ => None,
                })
                .collect();
            fields.push(("csrf_token".into(), csrf));
            request = request.form(&fields);
        }
    }
    let response = request.send().await.expect("request");
    let status = response.status();
    (status, response.text().await.unwrap_or_default())
}

on_both_backends!(no_role_reaches_another_branch);

/// As the demo branch's secretary, group leader and member, every declared method of every route
/// with a path parameter, aimed at the other branch's objects, is refused and shows nothing.
async fn no_role_reaches_another_branch(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(ADMIN, PASSWORD).await;
    let foreign = Foreign::create(&app).await;
    let before = foreign.snapshot(&app).await;
    let audit_before = last_audit_id(&app).await;

    let table = dangjian_web::routes::table();
    let (_, doc) = app.get_json("/api/openapi.json").await;
    let exempt: BTreeSet<&str> = EXEMPT.iter().map(|(path, _)| *path).collect();
    let elsewhere: BTreeSet<(&str, &str)> = EXPECTED_ELSEWHERE.iter().copied().collect();
    let mut problems = Vec::new();
    let mut requests: Vec<(&str, String, &str, Value)> = Vec::new();
    let mut routes = 0;
    for spec in table.iter().filter(|spec| spec.path.contains('{')) {
        if exempt.contains(spec.path) {
            continue;
        }
        routes += 1;
        match foreign.paths(spec.path) {
            Ok(paths) => {
                for method in spec.methods {
                    for path in &paths {
                        for query in queries(&doc, method, spec.path) {
                            for body in plausible_bodies(&doc, method, spec.path, &foreign) {
                                requests.push((method, format!("{path}{query}"), spec.path, body));
                            }
                        }
                    }
                }
            }
            Err(problem) => problems.push(format!("{problem}: add its kind or an exemption")),
        }
    }
    for path in &exempt {
        if !table.iter().any(|spec| spec.path == *path) {
            problems.push(format!("exemption {path} names no route"));
        }
    }
    let mut answers: BTreeMap<u16, usize> = BTreeMap::new();
    for phone in [SECRETARY, GROUP_LEADER, MEMBER] {
        let browser = signed_in(&app, phone).await;
        for (method, path, pattern, plausible) in &requests {
            let (status, body) = send(&browser, method, path, plausible).await;
            *answers.entry(status.as_u16()).or_default() += 1;
            let refused = status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND;
            if !refused && elsewhere.contains(&(*method, *pattern)) {
                eprintln!("expected elsewhere: {phone} {method} {path}: {status}");
            }
            if body.contains("字段缺失或类型不正确") && plausible != &json!({}) {
                problems.push(format!(
                    "{method} {pattern}: the OpenAPI document's body {plausible} is not what it takes: {body:.200}"
                ));
            }
            if !refused
                && !refused_for_shape(status, &body)
                && !elsewhere.contains(&(*method, *pattern))
            {
                problems.push(format!(
                    "{phone} {method} {path} {plausible}: {status} {body:.200}"
                ));
            }
            for secret in &foreign.secrets {
                if body.contains(secret) {
                    problems.push(format!(
                        "{phone} {method} {path}: {status} shows 「{secret}」"
                    ));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );

    assert_eq!(
        foreign.snapshot(&app).await,
        before,
        "nothing of the other branch changed"
    );
    // Signing in is audited; nothing else the three roles did may be.
    let (_, audit) = app.get_json("/api/v1/audit?per_page=200").await;
    let written: Vec<&Value> = audit["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|entry| entry["id"].as_i64() > Some(audit_before))
        .filter(|entry| {
            !entry["action"]
                .as_str()
                .unwrap_or_default()
                .contains("login")
        })
        .collect();
    assert!(written.is_empty(), "no use case wrote: {written:#?}");
    eprintln!(
        "authorization matrix: {routes} routes, {} requests per role, 3 roles; answers {answers:?}",
        requests.len()
    );
}
