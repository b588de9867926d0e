//! The authorization matrix (issue #15), generated from the route table: every route with a path
//! parameter, every method it declares, tried by the demo branch's secretary, group leader and
//! member against the objects of another branch (an API write carries a body the OpenAPI document
//! calls well-formed, so it reaches the use case). Each answer must refuse (403 or 404) and show
//! nothing of the other branch; afterwards nothing of the other branch has changed. A new route is
//! covered the day it enters the table: its parameter's object kind must be known here, or the
//! route listed among the exemptions with its reason.

mod foreign;
mod requests;

use std::collections::{BTreeMap, BTreeSet};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::activities::signed_in;
use crate::helpers::*;
use crate::on_both_backends;
use foreign::Foreign;
use requests::{plausible_bodies, queries, send};

/// Routes whose parameter names no object of an organization, with the reason.
const EXEMPT: &[(&str, &str)] = &[
    ("/static/{*path}", "bundled files, the same for everyone"),
    ("/api/docs/{*rest}", "the OpenAPI viewer's files"),
    (
        "/calendar/{token}",
        "a capability URL: the feed's secret token is its authorization, not a role's reach",
    ),
];

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
            if body.contains("字段缺失或类型不正确") && plausible != &json!({}) {
                problems.push(format!(
                    "{method} {pattern}: the OpenAPI document's body {plausible} is not what it takes: {body:.200}"
                ));
            }
            if !refused && !refused_for_shape(status, &body) {
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
