//! API tokens: an administrator issues one for an account in scope (an integration, a mobile
//! app); it is shown once, stored only as a hash, and can be revoked.

use dangjian_domain::access::{Action, Scope};
use dangjian_domain::time::{display_minute, from_micros, to_micros};
use dangjian_domain::{AccountId, OrgPath, TokenId};
use dangjian_store::accounts;
use dangjian_store::tokens::{self, TokenRow};
use serde::Serialize;

use crate::audit::{self, AuditAction, AuditEntity, Entry, Who};
use crate::secrets::{random_token, token_hash};
use crate::{Actor, App, AppError, AppResult, RequestContext};

/// Prefix that makes a leaked token recognisable in logs and secret scanners.
pub const TOKEN_PREFIX: &str = "dj_";

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TokenView {
    #[schema(value_type = i64)]
    pub id: TokenId,
    pub name: String,
    #[schema(value_type = i64)]
    pub account_id: AccountId,
    pub account_name: String,
    pub created_by: String,
    #[schema(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}$")]
    pub created_at: String,
    #[schema(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}$")]
    pub last_used_at: Option<String>,
    pub revoked: bool,
}

impl TokenView {
    fn from_row(row: &TokenRow) -> TokenView {
        TokenView {
            id: TokenId(row.id),
            name: row.name.clone(),
            account_id: AccountId(row.account_id),
            account_name: row.account_name.clone(),
            created_by: row.created_by_name.clone(),
            created_at: display_minute(from_micros(row.created_at)),
            last_used_at: row.last_used_at.map(|t| display_minute(from_micros(t))),
            revoked: row.revoked_at.is_some(),
        }
    }
}

fn authorize_for(actor: &Actor, org_path: Option<&str>) -> AppResult<()> {
    match org_path.and_then(OrgPath::parse) {
        Some(path) => actor.authorize(Action::ManageApiTokens, Scope::Org(&path)),
        None => actor.authorize(Action::ManageApiTokens, Scope::Installation),
    }
}

/// Issues a token acting as `account_id`; the plaintext is returned once and never stored.
pub async fn issue_token(
    app: &App,
    actor: &Actor,
    account_id: AccountId,
    name: &str,
    ctx: &RequestContext,
) -> AppResult<(TokenView, String)> {
    let name = &AppError::check_name("name", "令牌用途", name, 50)?;
    let mut handle = app.store.acquire().await?;
    let account = accounts::account_by_id(handle.conn(), account_id.0)
        .await?
        .ok_or_else(|| AppError::invalid("account_id", "账号不存在"))?;
    drop(handle);
    authorize_for(actor, account.org_path.as_deref())?;
    let plaintext = random_token(TOKEN_PREFIX);
    let mut tx = app.begin().await?;
    let now = to_micros(app.now());
    let id = tokens::insert_token(
        tx.conn(),
        account.id,
        name,
        &token_hash(&plaintext),
        actor.account_id.0,
        now,
    )
    .await?;
    let entry = Entry::new(
        AuditAction::TokenIssued,
        AuditEntity::ApiToken,
        id,
        format!("为 {} 签发 API 令牌「{name}」", account.name),
    )
    .org(account.org_id.map(dangjian_domain::OrgId));
    audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    let row = tokens::token_by_id(tx.conn(), id)
        .await?
        .ok_or(AppError::NotFound("令牌"))?;
    tx.commit().await?;
    Ok((TokenView::from_row(&row), plaintext))
}

pub async fn revoke_token(
    app: &App,
    actor: &Actor,
    id: TokenId,
    ctx: &RequestContext,
) -> AppResult<()> {
    let mut handle = app.store.acquire().await?;
    let row = tokens::token_by_id(handle.conn(), id.0)
        .await?
        .ok_or(AppError::NotFound("令牌"))?;
    drop(handle);
    authorize_for(actor, row.account_org_path.as_deref())?;
    if row.revoked_at.is_some() {
        return Err(AppError::Conflict("该令牌已被吊销".into()));
    }
    let mut tx = app.begin().await?;
    tokens::revoke_token(tx.conn(), row.id, to_micros(app.now())).await?;
    let entry = Entry::new(
        AuditAction::TokenRevoked,
        AuditEntity::ApiToken,
        row.id,
        format!("吊销了 {} 的 API 令牌「{}」", row.account_name, row.name),
    );
    audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn list_tokens(app: &App, actor: &Actor) -> AppResult<Vec<TokenView>> {
    let reach = actor.reach(Action::ManageApiTokens)?;
    let mut handle = app.store.acquire().await?;
    let rows = tokens::tokens_in_scope(handle.conn(), reach.as_ref()).await?;
    Ok(rows.iter().map(TokenView::from_row).collect())
}
