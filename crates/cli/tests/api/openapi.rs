use reqwest::StatusCode;

use crate::helpers::*;
use crate::on_both_backends;

async fn openapi_document_lists_every_api_route(backend: Backend) {
    let app = spawn_demo(backend).await;
    let (status, doc) = app.get_json("/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        doc["openapi"]
            .as_str()
            .expect("openapi version")
            .starts_with("3.")
    );
    assert!(doc["info"]["title"].is_string());
    // It parses back into utoipa's own model of OpenAPI 3, so its structure is valid.
    let parsed: Result<utoipa::openapi::OpenApi, _> = serde_json::from_value(doc.clone());
    assert!(parsed.is_ok(), "{:?}", parsed.err());
    let paths = doc["paths"].as_object().expect("paths");
    let table = dangjian_web::routes::table();
    let api_routes: Vec<_> = table
        .iter()
        .filter(|r| r.path.starts_with("/api/v1/"))
        .collect();
    for route in &api_routes {
        let documented = paths
            .get(route.path)
            .unwrap_or_else(|| panic!("{} is not in the OpenAPI document", route.path));
        for method in route.methods {
            let operation = &documented[method.to_lowercase()];
            assert!(
                operation.is_object(),
                "{method} {} is not documented",
                route.path
            );
            assert!(
                operation["responses"]
                    .as_object()
                    .is_some_and(|r| !r.is_empty()),
                "{method} {} has no responses",
                route.path
            );
            // A query struct without `#[into_params(parameter_in = Query)]` is documented as
            // required path parameters the path does not have.
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                let name = parameter["name"].as_str().unwrap_or_default();
                if parameter["in"] == "path" {
                    assert!(
                        route.path.contains(&format!("{{{name}}}")),
                        "{method} {} documents {name} as a path parameter",
                        route.path
                    );
                }
            }
        }
    }
    for documented in paths.keys() {
        assert!(
            api_routes.iter().any(|r| r.path == documented),
            "{documented} is documented but not routed"
        );
    }
    let refs = doc.to_string();
    for reference in refs.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = reference.split('"').next().expect("name");
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "schema {name} is referenced but missing"
        );
    }
    let docs_page = app.get("/api/docs/").await;
    assert_eq!(docs_page.status(), StatusCode::OK);
    assert!(
        docs_page
            .text()
            .await
            .expect("body")
            .to_lowercase()
            .contains("swagger")
    );
}

on_both_backends!(openapi_document_lists_every_api_route);
