use dangjian_store::StoreError;
use thiserror::Error;

/// What a use case can answer besides success. Every message is the Chinese text a user sees;
/// internal causes are logged by the web layer and never shown.
#[derive(Debug, Error)]
pub enum AppError {
    #[error("请先登录")]
    Unauthenticated,
    #[error("{0}")]
    BadCredentials(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}不存在")]
    NotFound(&'static str),
    /// Input that breaks a rule; `field` names the form field it belongs to.
    #[error("{message}")]
    Invalid {
        field: Option<&'static str>,
        message: String,
    },
    /// Several fields are wrong at once (a roster record); each says which and why.
    #[error("{}", .0.iter().map(|e| format!("{}：{}", e.label, e.message)).collect::<Vec<_>>().join("；"))]
    InvalidFields(Vec<FieldError>),
    #[error("{0}")]
    Conflict(String),
    #[error("尝试次数过多，请 {minutes} 分钟后再试")]
    Throttled { minutes: i64 },
    /// Too much of one kind of work at once (spreadsheet imports); come back after a while.
    #[error("{message}")]
    Busy {
        message: String,
        retry_after_seconds: u32,
    },
    #[error("请先修改初始密码")]
    PasswordChangeRequired,
    #[error("服务器内部错误")]
    Internal(#[from] StoreError),
    /// A failure outside the database (writing a workbook, a worker thread that died); the cause
    /// is for the log only.
    #[error("服务器内部错误")]
    Unexpected(String),
}

pub type AppResult<T> = Result<T, AppError>;

/// One wrong field: its form name, its Chinese column label, what was given, and why it is wrong.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: &'static str,
    pub label: &'static str,
    pub value: String,
    pub message: String,
}

impl AppError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> AppError {
        AppError::Invalid {
            field: Some(field),
            message: message.into(),
        }
    }

    /// A typed text field checked by the one text rule (`domain::text`), refused in the words of
    /// its `label` ("组织名称"): 请填写组织名称, 组织名称最多 100 个字, 组织名称含有不可见的控制字符….
    pub fn check_text(
        field: &'static str,
        label: &str,
        raw: &str,
        shape: dangjian_domain::text::Shape,
        max: usize,
        required: bool,
    ) -> Result<String, AppError> {
        dangjian_domain::text::check(raw, shape, max, required)
            .map_err(|error| AppError::invalid(field, text_message(label, &error)))
    }

    /// A required one-line name or title (see [`AppError::check_text`]).
    pub fn check_name(
        field: &'static str,
        label: &str,
        raw: &str,
        max: usize,
    ) -> Result<String, AppError> {
        AppError::check_text(
            field,
            label,
            raw,
            dangjian_domain::text::Shape::SingleLine,
            max,
            true,
        )
    }

    pub fn forbidden() -> AppError {
        AppError::Forbidden("没有权限执行此操作".into())
    }

    /// How many seconds a refused caller should wait before trying again (a 429's `Retry-After`).
    pub fn retry_after_seconds(&self) -> Option<i64> {
        match self {
            AppError::Throttled { minutes } => Some(minutes.saturating_mul(60).max(1)),
            AppError::Busy {
                retry_after_seconds,
                ..
            } => Some(i64::from(*retry_after_seconds)),
            _ => None,
        }
    }

    /// A stable machine-readable code for the JSON API.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated => "unauthenticated",
            AppError::BadCredentials(_) => "bad_credentials",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound(_) => "not_found",
            AppError::Invalid { .. } | AppError::InvalidFields(_) => "invalid",
            AppError::Conflict(_) => "conflict",
            AppError::Throttled { .. } => "too_many_attempts",
            AppError::Busy { .. } => "busy",
            AppError::PasswordChangeRequired => "password_change_required",
            AppError::Internal(_) | AppError::Unexpected(_) => "internal",
        }
    }
}

/// "请填写姓名", "姓名最多 50 个字", "姓名含有不可见的控制字符…": a text rule's refusal in a field's words.
pub(crate) fn text_message(label: &str, error: &dangjian_domain::text::TextError) -> String {
    match error {
        dangjian_domain::text::TextError::Empty => format!("请填写{label}"),
        other => format!("{label}{other}"),
    }
}
