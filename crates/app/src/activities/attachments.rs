//! Photos and documents attached to an activity's record.

use dangjian_domain::ActivityId;
use dangjian_domain::AttachmentId;
use dangjian_domain::activity::ActivityStatus;
use dangjian_store::activities::{self, NewAttachment};
use serde::Serialize;

use super::{commit, load_in};
use crate::audit::AuditAction;
use crate::{Actor, App, AppError, AppResult, RequestContext};

/// Largest file accepted: a phone photo, or a scanned page.
pub const MAX_ATTACHMENT_BYTES: usize = 5 * 1024 * 1024;
/// Enough for a meeting's photos and sign-in sheet; more is a sign of a mistake.
const MAX_PER_ACTIVITY: usize = 20;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AttachmentView {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_kb: i64,
    pub is_image: bool,
}

impl AttachmentView {
    pub(crate) fn from_row(row: &activities::AttachmentRow) -> AttachmentView {
        AttachmentView {
            id: row.id,
            file_name: row.file_name.clone(),
            content_type: row.content_type.clone(),
            size_kb: (row.size_bytes + 1023) / 1024,
            is_image: row.content_type.starts_with("image/"),
        }
    }
}

/// The type a file really is, by its first bytes; the name and the browser's claim are not trusted.
fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else {
        None
    }
}

pub async fn attach(
    app: &App,
    actor: &Actor,
    ctx: &RequestContext,
    id: ActivityId,
    file_name: &str,
    bytes: &[u8],
) -> AppResult<i64> {
    if bytes.is_empty() {
        return Err(AppError::invalid("file", "请选择要上传的照片或文件"));
    }
    if bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(AppError::invalid("file", "文件过大：每个附件不超过 5 MB"));
    }
    let content_type = sniff(bytes)
        .ok_or_else(|| AppError::invalid("file", "只能上传 JPEG、PNG 照片或 PDF 文件"))?;
    let name: String = file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .take(120)
        .collect();
    let name = if name.trim().is_empty() {
        "附件".to_string()
    } else {
        name
    };
    let mut tx = app.begin().await?;
    let loaded = load_in(&mut tx, id.0).await?;
    loaded.authorize_manage(actor)?;
    if !matches!(
        loaded.status,
        ActivityStatus::Held | ActivityStatus::Minuted
    ) {
        return Err(AppError::Conflict(
            if loaded.status == ActivityStatus::Archived {
                "记录已归档锁定，不能再添加附件".into()
            } else {
                "活动召开后才能上传会议照片和附件".into()
            },
        ));
    }
    if activities::attachments(tx.conn(), id.0).await?.len() >= MAX_PER_ACTIVITY {
        return Err(AppError::Conflict(format!(
            "每次活动最多 {MAX_PER_ACTIVITY} 个附件"
        )));
    }
    let attachment = activities::insert_attachment(
        tx.conn(),
        &NewAttachment {
            activity_id: id.0,
            file_name: &name,
            content_type,
            content: bytes,
            uploaded_by: actor.account_id.0,
            now: app.now_micros(),
        },
    )
    .await?;
    commit(
        tx,
        actor,
        ctx,
        &loaded,
        AuditAction::ActivityAttachmentAdded,
        format!("上传附件「{name}」"),
    )
    .await?;
    Ok(attachment)
}

/// An attachment's file, for whoever may see the activity.
pub async fn attachment(
    app: &App,
    actor: &Actor,
    id: ActivityId,
    attachment_id: AttachmentId,
) -> AppResult<(AttachmentView, Vec<u8>)> {
    super::get(app, actor, id).await?;
    let mut handle = app.store.acquire().await?;
    let (row, bytes) = activities::attachment_content(handle.conn(), id.0, attachment_id.0)
        .await?
        .ok_or(AppError::NotFound("附件"))?;
    Ok((AttachmentView::from_row(&row), bytes))
}

#[cfg(test)]
mod tests {
    #[test]
    fn files_are_known_by_their_first_bytes() {
        assert_eq!(super::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(super::sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(super::sniff(b"%PDF-1.7"), Some("application/pdf"));
        assert_eq!(super::sniff(b"<html>"), None);
        assert_eq!(super::sniff(b""), None);
    }
}
