//! Extractors whose rejections speak Chinese and go through the common error rendering, so a
//! malformed form, JSON body, query or path gives a clear 4xx and never a bare framework message.

use axum::extract::rejection::{FormRejection, JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::HttpError;

/// A JSON request body.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = HttpError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let mut value = match axum::Json::<serde_json::Value>::from_request(request, state).await {
            Ok(axum::Json(value)) => value,
            Err(rejection) => return Err(json_error(&rejection)),
        };
        integral_numbers(&mut value);
        let bytes = serde_json::to_vec(&value)
            .map_err(|_| HttpError::new(StatusCode::BAD_REQUEST, "bad_json", "JSON 格式不正确"))?;
        match axum::Json::<T>::from_bytes(&bytes) {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(json_error(&rejection)),
        }
    }
}

/// JSON has one kind of number: `3.0` is the integer 3 to JSON Schema (and to the OpenAPI
/// document's `integer` fields), so it is read as one; a fraction stays a fraction and is
/// refused where an integer is wanted.
fn integral_numbers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(number) => {
            if let Some(float) = number.as_f64().filter(|_| number.is_f64())
                && float.fract() == 0.0
                && (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&float)
            {
                // In range and whole: the conversion is exact.
                *value = Value::from(float as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_numbers),
        Value::Object(fields) => fields.values_mut().for_each(integral_numbers),
        _ => {}
    }
}

fn json_error(rejection: &JsonRejection) -> HttpError {
    let status = rejection.status();
    let (code, message) = match rejection {
        JsonRejection::MissingJsonContentType(_) => (
            "unsupported_media_type",
            "请以 application/json 格式提交".to_string(),
        ),
        JsonRejection::JsonSyntaxError(_) => ("bad_json", "JSON 格式不正确".to_string()),
        JsonRejection::JsonDataError(e) => (
            "invalid",
            format!("字段缺失或类型不正确：{}", e.body_text()),
        ),
        _ if status == StatusCode::PAYLOAD_TOO_LARGE => {
            ("payload_too_large", "提交的内容过大".to_string())
        }
        _ => ("bad_request", "请求内容无法读取".to_string()),
    };
    HttpError::new(status, code, message)
}

/// A submitted HTML form.
pub struct PageForm<T>(pub T);

/// A form read as its fields in order, for forms that repeat a name once per row (the ticked
/// members of a batch, the rows of a grid), which a struct cannot hold.
#[derive(serde::Deserialize, Default)]
#[serde(transparent)]
pub struct FormFields(pub Vec<(String, String)>);

impl FormFields {
    /// The first value of `name`, or empty.
    pub fn first(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// Every value of `name`, in order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for PageForm<T> {
    type Rejection = HttpError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Form::<T>::from_request(request, state).await {
            Ok(axum::Form(value)) => Ok(PageForm(value)),
            Err(rejection) => Err(form_error(&rejection)),
        }
    }
}

fn form_error(rejection: &FormRejection) -> HttpError {
    let status = rejection.status();
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        return HttpError::new(status, "payload_too_large", "提交的内容过大");
    }
    if status == StatusCode::UNSUPPORTED_MEDIA_TYPE {
        return HttpError::new(status, "unsupported_media_type", "请通过页面上的表单提交");
    }
    HttpError::new(
        StatusCode::BAD_REQUEST,
        "bad_form",
        "表单内容不完整或格式不正确，请返回检查后重新提交",
    )
}

/// Query-string parameters.
pub struct QueryParams<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for QueryParams<T> {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| QueryParams(q.0))
            .map_err(|_: QueryRejection| {
                HttpError::new(StatusCode::BAD_REQUEST, "bad_query", "查询参数格式不正确")
            })
    }
}

/// A numeric id in the path; anything else is a page that does not exist.
pub struct IdPath(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for IdPath {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<i64>::from_request_parts(parts, state)
            .await
            .map(|p| IdPath(p.0))
            .map_err(|_: PathRejection| HttpError::not_found())
    }
}
