//! Signing in and out, sessions, API tokens as credentials, and password changes.

use dangjian_domain::login::{self, IP_WINDOW, MAX_FAILURES_PER_IP};
use dangjian_domain::password::check_new_password;
use dangjian_domain::time::{from_micros, to_micros};
use dangjian_domain::{MemberStatus, OrgId, Phone, Role};
use dangjian_store::{accounts, sessions, throttle, tokens};
use jiff::SignedDuration;

use crate::audit::{self, AuditAction, AuditEntity, Entry, Who};
use crate::secrets::{
    hash_password, random_token, token_hash, verify_against_decoy, verify_password,
};
use crate::{Actor, App, AppError, AppResult, Credential, RequestContext};

/// How often a session's expiry and a token's last use are written back: at most once in this
/// interval, so that reading pages does not turn every request into a write.
const TOUCH_INTERVAL: SignedDuration = SignedDuration::from_mins(5);
/// The one answer to a failed sign-in, whether the number has no account, the password is wrong
/// or the account is locked: telling them apart would confirm to a stranger that a number has an
/// account (and, for a locked one, that the password tried was right). The details go to the
/// audit log.
const WRONG_CREDENTIALS: &str =
    "手机号或密码错误；连续输错 5 次账号将锁定 15 分钟，如已锁定请稍后再试或请管理员解锁";

/// A new session: the cookie value to hand to the browser and who it belongs to.
pub struct SignedIn {
    pub session_token: String,
    pub actor: Actor,
}

/// Checks a phone and password and opens a session. Every failure is audited and counted against
/// the account (5 in a row lock it for 15 minutes) and against the client address. An unknown
/// number, a wrong password and a locked account get the same answer ([`WRONG_CREDENTIALS`]).
pub async fn login(
    app: &App,
    phone_input: &str,
    password: &str,
    ctx: &RequestContext,
) -> AppResult<SignedIn> {
    let phone = Phone::parse(phone_input).map_err(|e| AppError::invalid("phone", e.to_string()))?;
    if password.is_empty() {
        return Err(AppError::invalid("password", "请输入密码"));
    }
    let now = app.now();
    let mut handle = app.store.acquire().await?;
    let window_start = to_micros(now.saturating_sub(IP_WINDOW).unwrap_or(now));
    let recent_failures =
        throttle::failures_since(handle.conn(), &ctx.client_ip, window_start).await?;
    if recent_failures >= MAX_FAILURES_PER_IP {
        return Err(AppError::Throttled {
            minutes: IP_WINDOW.as_mins(),
        });
    }
    let account = accounts::account_by_phone(handle.conn(), phone.as_str()).await?;
    drop(handle);

    let Some(account) = account else {
        verify_against_decoy(password.to_string()).await;
        record_failure(app, None, &phone, ctx, "登录失败：手机号未注册").await?;
        return Err(AppError::BadCredentials(WRONG_CREDENTIALS.into()));
    };
    let who = Some((account.id, account.name.as_str(), account.org_id));
    if let Some(until) = account
        .locked_until
        .map(from_micros)
        .filter(|until| login::is_locked(Some(*until), now))
    {
        // As long as a check of the password takes, so the time does not tell either.
        verify_against_decoy(password.to_string()).await;
        let summary = format!(
            "登录被拒绝：账号锁定中（还剩 {} 分钟）",
            login::minutes_left(until, now)
        );
        record_failure(app, who, &phone, ctx, &summary).await?;
        return Err(AppError::BadCredentials(WRONG_CREDENTIALS.into()));
    }
    if !verify_password(password.to_string(), account.password_hash.clone()).await {
        let mut tx = app.begin().await?;
        let count = accounts::increment_failed_attempts(tx.conn(), account.id).await?;
        let after = login::after_failure(count - 1, now);
        let summary = match after.locked_until {
            Some(until) => {
                accounts::record_failed_login(
                    tx.conn(),
                    account.id,
                    after.failed_attempts,
                    Some(to_micros(until)),
                )
                .await?;
                format!(
                    "登录失败：密码错误，连续 {} 次，账号锁定 15 分钟",
                    login::MAX_FAILED_ATTEMPTS
                )
            }
            None => format!("登录失败：密码错误（连续第 {count} 次）"),
        };
        throttle::record_failure(tx.conn(), &ctx.client_ip, phone.as_str(), to_micros(now)).await?;
        let entry = Entry::new(
            AuditAction::LoginFailed,
            AuditEntity::Account,
            account.id,
            summary,
        )
        .org(account.org_id.map(OrgId));
        audit::record(
            &mut tx,
            Who {
                account_id: Some(account.id),
                name: &account.name,
            },
            ctx,
            entry,
        )
        .await?;
        tx.commit().await?;
        return Err(AppError::BadCredentials(WRONG_CREDENTIALS.into()));
    }
    // Only someone who knows the password learns that the account is disabled.
    if account.disabled {
        record_failure(app, who, &phone, ctx, "登录被拒绝：账号已停用").await?;
        return Err(AppError::Forbidden("账号已停用，请联系管理员".into()));
    }

    let session_token = random_token("");
    let hash = token_hash(&session_token);
    let actor = match Actor::of_account(
        app,
        &account,
        Credential::Session {
            token_hash: hash.clone(),
        },
    )
    .await
    {
        Ok(actor) => actor,
        Err(AppError::Forbidden(reason)) => {
            record_failure(app, who, &phone, ctx, "登录被拒绝：党员已不在组织中").await?;
            return Err(AppError::Forbidden(reason));
        }
        Err(other) => return Err(other),
    };
    let mut tx = app.begin().await?;
    accounts::clear_failures(tx.conn(), account.id, to_micros(now)).await?;
    open_session(app, &mut tx, &hash, &account, ctx, "登录成功").await?;
    tx.commit().await?;
    Ok(SignedIn {
        session_token,
        actor,
    })
}

/// Stores a new session for the account and audits how it was opened.
async fn open_session(
    app: &App,
    tx: &mut dangjian_store::Tx,
    token_hash: &str,
    account: &accounts::AccountRow,
    ctx: &RequestContext,
    summary: &str,
) -> AppResult<()> {
    let now = from_micros(tx.now_micros());
    let expires = now.saturating_add(app.settings.session_idle).unwrap_or(now);
    sessions::insert_session(
        tx.conn(),
        token_hash,
        account.id,
        to_micros(now),
        to_micros(expires),
        &ctx.client_ip,
    )
    .await?;
    let entry = Entry::new(
        AuditAction::Login,
        AuditEntity::Account,
        account.id,
        summary,
    )
    .org(account.org_id.map(OrgId));
    audit::record(
        tx,
        Who {
            account_id: Some(account.id),
            name: &account.name,
        },
        ctx,
        entry,
    )
    .await?;
    Ok(())
}

/// Self-activation (issue #14): a member on the roster proves who they are with the roster's
/// phone number and the last six characters of their ID number, once, and sets a password; the
/// account is theirs, linked to their record, and they are signed in. Failures are throttled and
/// audited like failed logins, and say nothing about which part was wrong.
pub async fn activate(
    app: &App,
    phone_input: &str,
    id_number_tail: &str,
    password: &str,
    ctx: &RequestContext,
) -> AppResult<SignedIn> {
    let phone = Phone::parse(phone_input).map_err(|e| AppError::invalid("phone", e.to_string()))?;
    let tail = id_number_tail.trim().to_ascii_uppercase();
    if tail.chars().count() != 6 || !tail.chars().all(|c| c.is_ascii_digit() || c == 'X') {
        return Err(AppError::invalid(
            "id_number_tail",
            "请输入身份证号的后六位（数字，末位可能是 X）",
        ));
    }
    check_new_password(password).map_err(|e| AppError::invalid("password", e.to_string()))?;
    let now = app.now();
    let mut handle = app.store.acquire().await?;
    let window_start = to_micros(now.saturating_sub(IP_WINDOW).unwrap_or(now));
    if throttle::failures_since(handle.conn(), &ctx.client_ip, window_start).await?
        >= MAX_FAILURES_PER_IP
    {
        return Err(AppError::Throttled {
            minutes: IP_WINDOW.as_mins(),
        });
    }
    let candidates =
        dangjian_store::members::members_by_phone(handle.conn(), phone.as_str()).await?;
    let member = candidates.into_iter().find(|m| {
        m.id_number.to_ascii_uppercase().ends_with(&tail)
            && MemberStatus::from_code(&m.status).is_some_and(|s| s.is_active())
    });
    let Some(member) = member else {
        drop(handle);
        record_failure(
            app,
            None,
            &phone,
            ctx,
            "激活失败：手机号与身份证号后六位不符",
        )
        .await?;
        return Err(AppError::BadCredentials(
            "手机号或身份证号后六位与花名册不符；如手机号已更换，请联系党支部更正档案".into(),
        ));
    };
    if accounts::account_of_member(handle.conn(), member.id)
        .await?
        .is_some()
    {
        return Err(AppError::Conflict(
            "您的账号已开通，请直接登录；忘记密码请联系党支部重置".into(),
        ));
    }
    if accounts::account_by_phone(handle.conn(), phone.as_str())
        .await?
        .is_some()
    {
        return Err(AppError::Conflict(
            "这个手机号已有账号，请联系党支部把它关联到您的档案".into(),
        ));
    }
    drop(handle);
    let hash = hash_password(password.to_string()).await?;
    let placement = member.group_id.unwrap_or(member.branch_id);
    let mut tx = app.begin().await?;
    let new = accounts::NewAccount {
        phone: phone.as_str(),
        name: &member.name,
        password_hash: &hash,
        role: Role::Member.code(),
        org_id: Some(placement),
        must_change_password: false,
        member_id: Some(member.id),
        now: tx.now_micros(),
    };
    let id = accounts::insert_account(tx.conn(), &new)
        .await
        .map_err(|error| match error {
            dangjian_store::StoreError::Duplicate(_) => {
                AppError::Conflict("您的账号刚刚已开通，请直接登录".into())
            }
            other => other.into(),
        })?;
    let account = accounts::account_by_id(tx.conn(), id)
        .await?
        .ok_or(AppError::NotFound("账号"))?;
    let entry = Entry::new(
        AuditAction::AccountActivated,
        AuditEntity::Account,
        id,
        format!("党员 {} 自助激活账号（{}）", member.name, phone.masked()),
    )
    .org(Some(OrgId(placement)));
    audit::record(
        &mut tx,
        Who {
            account_id: Some(id),
            name: &member.name,
        },
        ctx,
        entry,
    )
    .await?;
    let session_token = random_token("");
    let session_hash = token_hash(&session_token);
    open_session(app, &mut tx, &session_hash, &account, ctx, "激活后登录").await?;
    tx.commit().await?;
    let actor = Actor::of_account(
        app,
        &account,
        Credential::Session {
            token_hash: session_hash,
        },
    )
    .await?;
    Ok(SignedIn {
        session_token,
        actor,
    })
}

async fn record_failure(
    app: &App,
    who: Option<(i64, &str, Option<i64>)>,
    phone: &Phone,
    ctx: &RequestContext,
    summary: &str,
) -> AppResult<()> {
    let now = to_micros(app.now());
    let mut tx = app.begin().await?;
    throttle::record_failure(tx.conn(), &ctx.client_ip, phone.as_str(), now).await?;
    // Keep the throttle table small: failures older than the window no longer count.
    throttle::prune(tx.conn(), now - IP_WINDOW.as_micros() as i64).await?;
    let masked = phone.masked();
    let (account_id, name, org_id) = who.unwrap_or((0, masked.as_str(), None));
    let entry = Entry {
        action: AuditAction::LoginFailed,
        entity_type: AuditEntity::Account,
        entity_id: who.map(|_| account_id.to_string()),
        org_id: org_id.map(OrgId),
        summary: format!("{summary}（{masked}）"),
        before: None,
        after: None,
    };
    audit::record(
        &mut tx,
        Who {
            account_id: who.map(|_| account_id),
            name,
        },
        ctx,
        entry,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The actor behind a session cookie; slides the session's expiry forward on use.
pub async fn authenticate_session(app: &App, session_token: &str) -> AppResult<Actor> {
    let hash = token_hash(session_token);
    let now = app.now();
    let mut handle = app.store.acquire().await?;
    let found = sessions::session_account(handle.conn(), &hash, to_micros(now)).await?;
    drop(handle);
    let Some(found) = found else {
        return Err(AppError::Unauthenticated);
    };
    if found.account.disabled {
        return Err(AppError::Unauthenticated);
    }
    if to_micros(now) - found.last_seen_at > TOUCH_INTERVAL.as_micros() as i64 {
        let expires = now.saturating_add(app.settings.session_idle).unwrap_or(now);
        let mut tx = app.begin().await?;
        sessions::touch_session(tx.conn(), &hash, to_micros(now), to_micros(expires)).await?;
        tx.commit().await?;
    }
    // A member who has left keeps no session: the login page then says why.
    Actor::of_account(
        app,
        &found.account,
        Credential::Session { token_hash: hash },
    )
    .await
    .map_err(|error| match error {
        AppError::Forbidden(_) => AppError::Unauthenticated,
        other => other,
    })
}

/// The actor an API token acts as.
pub async fn authenticate_token(app: &App, bearer: &str) -> AppResult<Actor> {
    let hash = token_hash(bearer);
    let mut handle = app.store.acquire().await?;
    let found = tokens::token_account(handle.conn(), &hash).await?;
    drop(handle);
    let Some(found) = found else {
        return Err(AppError::Unauthenticated);
    };
    if found.account.disabled {
        return Err(AppError::Unauthenticated);
    }
    let now = to_micros(app.now());
    if found
        .token_last_used_at
        .is_none_or(|last| now - last > TOUCH_INTERVAL.as_micros() as i64)
    {
        let mut tx = app.begin().await?;
        tokens::touch_token(tx.conn(), found.token_id, now).await?;
        tx.commit().await?;
    }
    Actor::of_account(
        app,
        &found.account,
        Credential::ApiToken {
            token_id: found.token_id,
        },
    )
    .await
}

/// Ends the actor's session (a token-authenticated caller has none to end).
pub async fn logout(app: &App, actor: &Actor, ctx: &RequestContext) -> AppResult<()> {
    let Credential::Session { token_hash } = &actor.credential else {
        return Ok(());
    };
    let mut tx = app.begin().await?;
    sessions::delete_session(tx.conn(), token_hash).await?;
    let entry = Entry::new(
        AuditAction::Logout,
        AuditEntity::Account,
        actor.account_id,
        "退出登录",
    )
    .org(actor.org_id);
    audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Changes the actor's own password after checking the current one; other sessions are ended.
pub async fn change_password(
    app: &App,
    actor: &Actor,
    current: &str,
    new: &str,
    ctx: &RequestContext,
) -> AppResult<()> {
    check_new_password(new).map_err(|e| AppError::invalid("new_password", e.to_string()))?;
    if current == new {
        return Err(AppError::invalid(
            "new_password",
            "新密码不能与当前密码相同",
        ));
    }
    let mut handle = app.store.acquire().await?;
    let account = accounts::account_by_id(handle.conn(), actor.account_id.0)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    drop(handle);
    if !verify_password(current.to_string(), account.password_hash).await {
        return Err(AppError::invalid("current_password", "当前密码不正确"));
    }
    let hash = hash_password(new.to_string()).await?;
    let keep = match &actor.credential {
        Credential::Session { token_hash } => Some(token_hash.as_str()),
        Credential::ApiToken { .. } => None,
    };
    let mut tx = app.begin().await?;
    accounts::set_password(
        tx.conn(),
        actor.account_id.0,
        &hash,
        false,
        to_micros(app.now()),
    )
    .await?;
    sessions::delete_sessions_of_account(tx.conn(), actor.account_id.0, keep).await?;
    let entry = Entry::new(
        AuditAction::PasswordChanged,
        AuditEntity::Account,
        actor.account_id,
        "修改了自己的密码",
    )
    .org(actor.org_id);
    audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes sessions past their expiry (run periodically by the server).
pub async fn purge_expired_sessions(app: &App) -> AppResult<u64> {
    let mut tx = app.begin().await?;
    let purged = sessions::delete_expired(tx.conn(), to_micros(app.now())).await?;
    tx.commit().await?;
    Ok(purged)
}
