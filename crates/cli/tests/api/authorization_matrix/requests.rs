//! The requests the matrix sends, built from the OpenAPI document so that they pass the extractors
//! and reach the use case, where the authorization is.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::foreign::Foreign;
use crate::helpers::*;

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
pub fn queries(doc: &Value, method: &str, pattern: &str) -> Vec<String> {
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
pub fn plausible_bodies(doc: &Value, method: &str, pattern: &str, foreign: &Foreign) -> Vec<Value> {
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

/// A request body the API's own OpenAPI document calls well-formed: every required property with a
/// plausible value, so that the request passes the extractors and reaches the use case, where the
/// authorization is.
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

pub async fn send(
    browser: &TestApp,
    method: &str,
    path: &str,
    body: &Value,
) -> (StatusCode, String) {
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
