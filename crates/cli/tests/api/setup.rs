use reqwest::StatusCode;

use crate::helpers::*;
use crate::on_both_backends;

async fn first_run_setup_happens_once(backend: Backend) {
    let app = spawn_empty(backend).await;
    let home = app.get("/").await;
    assert_eq!(home.status(), StatusCode::SEE_OTHER);
    let login = app.get(&location(&home)).await;
    assert_eq!(
        location(&login),
        "/setup",
        "an empty installation sends everyone to setup"
    );
    let page = app.get("/setup").await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.expect("body").contains("首次设置"));

    let mismatch = app
        .post_form(
            "/setup",
            &[
                ("org_name", "某某局党委"),
                ("admin_name", "周九"),
                ("phone", "13700000000"),
                ("password", "setup2026"),
                ("password_again", "setup2027"),
            ],
        )
        .await;
    assert_eq!(mismatch.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = mismatch.text().await.expect("body");
    assert!(
        html.contains("两次输入的密码不一致") && html.contains("某某局党委"),
        "input kept"
    );

    let done = app
        .post_form(
            "/setup",
            &[
                ("org_name", "某某局党委"),
                ("admin_name", "周九"),
                ("phone", "13700000000"),
                ("password", "setup2026"),
                ("password_again", "setup2026"),
            ],
        )
        .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&done), "/login");
    assert_eq!(
        app.get("/setup").await.status(),
        StatusCode::NOT_FOUND,
        "the setup page is gone for good"
    );
    let again = app
        .post_form(
            "/setup",
            &[
                ("org_name", "另一个党委"),
                ("admin_name", "吴十"),
                ("phone", "13700000001"),
                ("password", "setup2026"),
                ("password_again", "setup2026"),
            ],
        )
        .await;
    assert_eq!(again.status(), StatusCode::NOT_FOUND);

    app.login("13700000000", "setup2026").await;
    let (_, orgs) = app.get_json("/api/v1/orgs").await;
    assert_eq!(orgs.as_array().expect("orgs").len(), 1);
    assert_eq!(orgs[0]["name"], "某某局党委");
    assert_eq!(orgs[0]["kind"], "committee");
    let (_, audit) = app.get_json("/api/v1/audit?entity_type=installation").await;
    assert_eq!(audit["total"], 1);
}

on_both_backends!(first_run_setup_happens_once);
