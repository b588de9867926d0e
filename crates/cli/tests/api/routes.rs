use dangjian_web::{Access, RouteSpec};
use reqwest::{Method, StatusCode};

use crate::helpers::*;
use crate::on_both_backends;

fn concrete(spec: &RouteSpec) -> String {
    spec.path
        .replace("{id}", "1")
        .replace("{*path}", "app.css")
        .replace("{*rest}", "index.html")
}

/// Walks every route the application declares, as a stranger, and checks the answer matches
/// the declaration: guarded routes send to login (pages) or answer 401 (API); public ones do not.
async fn every_route_is_public_or_guarded(backend: Backend) {
    let app = spawn_demo(backend).await;
    let csrf = app.csrf().await;
    let table = dangjian_web::routes::table();
    assert!(
        table.len() >= 20,
        "the table lists the application's routes"
    );
    for spec in &table {
        for method in spec.methods {
            let method: Method = method.parse().expect("method");
            let path = concrete(spec);
            let mut request = app
                .client
                .request(method.clone(), app.url(&path))
                .header("x-csrf-token", &csrf);
            if path.starts_with("/api/") && (method == Method::POST || method == Method::PUT) {
                request = request.json(&serde_json::json!({}));
            } else if method == Method::POST {
                request = request.form(&[("csrf_token", csrf.as_str())]);
            }
            let response = request.send().await.expect("request");
            let status = response.status();
            assert!(!status.is_server_error(), "{method} {path}: {status}");
            assert_ne!(
                status,
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path} is declared but not routed"
            );
            let to_login =
                status == StatusCode::SEE_OTHER && location(&response).starts_with("/login");
            match spec.access {
                Access::Public => {
                    assert!(
                        status != StatusCode::UNAUTHORIZED && !to_login,
                        "{method} {path} is public but refused a stranger: {status}"
                    );
                }
                Access::SignedIn | Access::SignedInInitialPassword if path.starts_with("/api/") => {
                    assert_eq!(
                        status,
                        StatusCode::UNAUTHORIZED,
                        "{method} {path} must refuse a stranger"
                    );
                }
                Access::SignedIn | Access::SignedInInitialPassword => {
                    assert!(
                        to_login,
                        "{method} {path} must send a stranger to login, got {status}"
                    );
                }
            }
        }
    }
}

on_both_backends!(every_route_is_public_or_guarded);
