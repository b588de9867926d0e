//! The roster page's import and export: the template download, the upload (an htmx request whose
//! answer replaces the result box under the form) and the export download. The upload reading and
//! the download response are shared with the JSON API.
//!
//! CSRF for the upload: the middleware checks the double-submit token in the `X-CSRF-Token` header
//! or an urlencoded form field, and does not read multipart bodies (they may be 50 MiB). The page
//! therefore uploads with htmx (`hx-encoding="multipart/form-data"`), which sends the header from
//! `<body hx-headers>`, so the middleware's check applies unchanged. Without JavaScript the form
//! does not submit at all, rather than submitting without a token.

use askama::Template;
use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use dangjian_app::AppError;
use dangjian_app::members::export::{self, Caller, ExportRequest, XLSX_MEDIA_TYPE};
use dangjian_app::members::import::{self, ImportOutcome, RosterFile, RowError};
use dangjian_domain::OrgId;
use serde::Deserialize;
use tokio::io::AsyncWriteExt;

use crate::AppState;
use crate::error::{HttpError, status_of};
use crate::extract::PageForm;
use crate::pages::render;
use crate::session::{Ctx, CurrentActor};

/// Largest upload the import routes accept (the rest of the site keeps `BODY_LIMIT`). A roster of
/// 100,000 members is about 10 MB as .xlsx.
pub const IMPORT_BODY_LIMIT: usize = 50 * 1024 * 1024;

pub const TEMPLATE_FILE_NAME: &str = "党员花名册导入模板.xlsx";

/// An import upload: the target node as typed, and the file spooled to an anonymous temporary
/// file (deleted when closed), so the body is never held in memory.
pub struct Upload {
    org_id: String,
    file: Option<RosterFile>,
}

impl Upload {
    pub fn into_parts(self) -> Result<(OrgId, RosterFile), AppError> {
        let org = self
            .org_id
            .trim()
            .parse()
            .map(OrgId)
            .map_err(|_| AppError::invalid("org_id", "请选择导入到哪个党支部或党小组"))?;
        let file = self
            .file
            .ok_or_else(|| AppError::invalid("file", "请选择要导入的 .xlsx 或 .csv 文件"))?;
        Ok((org, file))
    }
}

fn too_large() -> HttpError {
    HttpError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        format!(
            "文件过大：上限为 {} MB，请分成几个文件导入",
            IMPORT_BODY_LIMIT / 1024 / 1024
        ),
    )
}

fn upload_error(error: axum::extract::multipart::MultipartError) -> HttpError {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return too_large();
    }
    HttpError::new(
        StatusCode::BAD_REQUEST,
        "bad_upload",
        "上传的内容不完整，请重新上传",
    )
}

fn spool_error(error: std::io::Error) -> HttpError {
    tracing::error!(%error, "cannot spool an upload to a temporary file");
    HttpError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "服务器内部错误",
    )
}

/// Reads a multipart upload with the fields `org_id` and `file`; other fields are ignored.
pub async fn read_upload(
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Upload, HttpError> {
    let mut multipart = multipart.map_err(|_| {
        HttpError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "请以 multipart/form-data 上传文件（字段 org_id 和 file）",
        )
    })?;
    let mut upload = Upload {
        org_id: String::new(),
        file: None,
    };
    while let Some(mut field) = multipart.next_field().await.map_err(upload_error)? {
        match field.name() {
            Some("org_id") => upload.org_id = field.text().await.map_err(upload_error)?,
            Some("file") => {
                let name = field.file_name().unwrap_or_default().to_string();
                let spooled = tempfile::tempfile().map_err(spool_error)?;
                let mut spool = tokio::fs::File::from_std(spooled);
                let mut size = 0usize;
                while let Some(chunk) = field.chunk().await.map_err(upload_error)? {
                    size += chunk.len();
                    spool.write_all(&chunk).await.map_err(spool_error)?;
                }
                spool.flush().await.map_err(spool_error)?;
                if size > 0 {
                    let file = spool.into_std().await;
                    upload.file = Some(RosterFile::from_file(name, file));
                }
            }
            _ => {}
        }
    }
    Ok(upload)
}

/// An .xlsx download. Rosters hold personal data: no cache may keep a copy.
pub fn xlsx_response(bytes: Vec<u8>, file_name: &str) -> Response {
    download(bytes, file_name, "roster.xlsx")
}

/// A workbook download named in Chinese, with an ASCII name for old clients; never cached.
pub fn download(bytes: Vec<u8>, file_name: &str, ascii_name: &str) -> Response {
    let disposition = format!(
        "attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{}",
        percent_encode(file_name)
    );
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(XLSX_MEDIA_TYPE),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// RFC 5987 encoding of a file name for `filename*`.
fn percent_encode(name: &str) -> String {
    name.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

pub async fn template(CurrentActor(actor): CurrentActor) -> Result<Response, HttpError> {
    let bytes = export::import_template(Caller::Actor(&actor))?;
    Ok(xlsx_response(bytes, TEMPLATE_FILE_NAME))
}

#[derive(Template)]
#[template(path = "members/member_import_partial.html")]
struct ImportResult {
    imported: Option<u64>,
    target_name: String,
    org_id: String,
    message: String,
    errors: Vec<RowError>,
}

/// The result box: a count on success, otherwise the message and the table of problems. Marked
/// with `X-Fragment` so the page's htmx swaps it in whatever the status.
fn fragment(status: StatusCode, result: ImportResult) -> Response {
    let mut response = render(status, &result);
    response
        .headers_mut()
        .insert("x-fragment", HeaderValue::from_static("import-result"));
    response
}

pub async fn import(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let mut result = ImportResult {
        imported: None,
        target_name: String::new(),
        org_id: String::new(),
        message: String::new(),
        errors: Vec::new(),
    };
    let upload = match read_upload(multipart).await {
        Ok(upload) => upload,
        Err(error) => {
            result.message = error.info.message;
            return fragment(error.status, result);
        }
    };
    result.org_id = upload.org_id.trim().to_string();
    let outcome = match upload.into_parts() {
        Ok((org, file)) => {
            import::import_members(&state.app, Caller::Actor(&actor), org, file, &ctx, &()).await
        }
        Err(error) => Err(error),
    };
    match outcome {
        Ok(ImportOutcome::Imported(done)) => {
            result.imported = Some(done.count);
            result.target_name = done.target_name;
            fragment(StatusCode::OK, result)
        }
        Ok(ImportOutcome::Rejected(rejected)) => {
            result.message = rejected.message();
            result.errors = rejected.errors;
            fragment(StatusCode::UNPROCESSABLE_ENTITY, result)
        }
        Err(error) => {
            let status = status_of(&error);
            result.message = HttpError::from(error).info.message;
            fragment(status, result)
        }
    }
}

#[derive(Deserialize)]
pub struct ExportForm {
    #[serde(default)]
    org_id: String,
    unmasked: Option<String>,
}

pub async fn export(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Ctx(ctx): Ctx,
    PageForm(form): PageForm<ExportForm>,
) -> Result<Response, HttpError> {
    let request = ExportRequest {
        org_id: form.org_id.trim().parse().ok().map(OrgId),
        unmasked: form
            .unmasked
            .as_deref()
            .is_some_and(|v| matches!(v, "true" | "on" | "1")),
    };
    let exported =
        export::export_members(&state.app, Caller::Actor(&actor), request, &ctx, Vec::new())
            .await?;
    Ok(xlsx_response(exported.sink, &exported.file_name))
}

#[cfg(test)]
mod tests {
    #[test]
    fn file_names_are_encoded_for_content_disposition() {
        assert_eq!(super::percent_encode("a b.xlsx"), "a%20b.xlsx");
        assert_eq!(super::percent_encode("花"), "%E8%8A%B1");
    }
}
