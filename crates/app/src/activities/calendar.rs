//! The month calendar of a node's activities, and each member's private iCalendar feed: a secret
//! URL (stored hashed, revocable) a phone's calendar subscribes to.

use dangjian_domain::Month;
use dangjian_domain::OrgId;
use dangjian_domain::access::{Action, Scope};
use dangjian_domain::activity::kind::activity_title;
use dangjian_domain::activity::{ActivityKind, ActivityStatus};
use dangjian_domain::time::{china, from_micros};
use dangjian_store::activities::{self, ActivityFilter};
use dangjian_store::{PageRequest, SubtreeRange, life_counters};
use jiff::civil::Date;
use serde::Serialize;

use crate::audit::{self, AuditAction, AuditEntity, Entry, Who};
use crate::secrets::{random_token, token_hash};
use crate::{Actor, App, AppError, AppResult, RequestContext};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CalendarItem {
    pub id: i64,
    pub time: String,
    pub kind_label: &'static str,
    pub topic: String,
    /// The kind and topic as the calendar names the activity, the kind said once.
    pub title: String,
    pub status_label: &'static str,
    pub org_name: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CalendarDay {
    #[schema(format = Date)]
    pub date: String,
    pub day: i8,
    pub in_month: bool,
    pub is_today: bool,
    pub items: Vec<CalendarItem>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CalendarMonth {
    pub org_id: i64,
    pub org_name: String,
    pub month: String,
    pub month_label: String,
    pub previous: String,
    pub next: String,
    /// Weeks from Monday to Sunday.
    pub weeks: Vec<Vec<CalendarDay>>,
}

/// A node's (and its subtree's) activities in a month, laid out by week.
pub async fn month_view(
    app: &App,
    actor: &Actor,
    org_id: OrgId,
    month: &str,
) -> AppResult<CalendarMonth> {
    let (org, path) = crate::orgs::load(app, org_id).await?;
    actor.authorize(Action::ViewOrg, Scope::Org(&path))?;
    let month = if month.trim().is_empty() {
        Month::of(app.today())
    } else {
        Month::parse(month).map_err(|m| AppError::invalid("month", m))?
    };
    let filter = ActivityFilter {
        scope: Some(SubtreeRange::of(&path)),
        from: Some(month.first_day().to_string()),
        to: Some(month.last_day().to_string()),
        ..ActivityFilter::default()
    };
    let mut handle = app.store.acquire().await?;
    let (rows, _) = activities::activities(
        handle.conn(),
        &filter,
        PageRequest {
            offset: 0,
            limit: 1000,
        },
    )
    .await?;
    let items: Vec<(String, CalendarItem)> = rows
        .into_iter()
        .filter(|r| r.status != ActivityStatus::Cancelled.code())
        .map(|r| {
            let item = CalendarItem {
                id: r.id,
                time: from_micros(r.starts_at)
                    .to_zoned(china())
                    .strftime("%H:%M")
                    .to_string(),
                kind_label: ActivityKind::from_code(&r.kind)
                    .map(|k| k.label())
                    .unwrap_or(""),
                title: activity_title(&r.kind, &r.topic),
                topic: r.topic,
                status_label: ActivityStatus::from_code(&r.status)
                    .map(|s| s.label())
                    .unwrap_or(""),
                org_name: r.org_name,
            };
            (r.held_on, item)
        })
        .collect();
    let first = month.first_day();
    let offset = i64::from(first.weekday().to_monday_zero_offset());
    let start = first
        .checked_sub(jiff::Span::new().days(offset))
        .unwrap_or(first);
    let today = app.today();
    let mut weeks = Vec::new();
    let mut day = start;
    while day <= month.last_day() {
        let mut week = Vec::with_capacity(7);
        for _ in 0..7 {
            let key = day.to_string();
            let mut on_day: Vec<CalendarItem> = items
                .iter()
                .filter(|(d, _)| *d == key)
                .map(|(_, i)| i.clone())
                .collect();
            on_day.sort_by(|a, b| a.time.cmp(&b.time));
            week.push(CalendarDay {
                day: day.day(),
                in_month: Month::of(day) == month,
                is_today: day == today,
                items: on_day,
                date: key,
            });
            day = day.tomorrow().unwrap_or(Date::MAX);
        }
        weeks.push(week);
    }
    Ok(CalendarMonth {
        org_id: org_id.0,
        org_name: org.name,
        month: month.to_string(),
        month_label: month.label(),
        previous: month.previous().to_string(),
        next: month.next().to_string(),
        weeks,
    })
}

/// Whether the signed-in member has a feed (the URL itself is shown only when created).
pub async fn has_feed(app: &App, actor: &Actor) -> AppResult<bool> {
    let member_id = super::own_member(actor)?;
    let mut handle = app.store.acquire().await?;
    Ok(life_counters::has_calendar_feed(handle.conn(), member_id).await?)
}

/// Creates (or replaces, which revokes the old URL) the member's feed; returns the secret token.
pub async fn create_feed(app: &App, actor: &Actor, ctx: &RequestContext) -> AppResult<String> {
    let member_id = super::own_member(actor)?;
    let token = random_token("");
    let mut tx = app.begin().await?;
    life_counters::set_calendar_feed(
        tx.conn(),
        member_id,
        Some(&token_hash(&token)),
        app.now_micros(),
    )
    .await?;
    let entry = Entry::new(
        AuditAction::CalendarFeedCreated,
        AuditEntity::Member,
        member_id,
        "生成组织生活日历订阅地址（旧地址失效）",
    );
    audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    tx.commit().await?;
    Ok(token)
}

pub async fn revoke_feed(app: &App, actor: &Actor, ctx: &RequestContext) -> AppResult<()> {
    let member_id = super::own_member(actor)?;
    let mut tx = app.begin().await?;
    life_counters::set_calendar_feed(tx.conn(), member_id, None, app.now_micros()).await?;
    let entry = Entry::new(
        AuditAction::CalendarFeedRevoked,
        AuditEntity::Member,
        member_id,
        "停用组织生活日历订阅地址",
    );
    audit::record(&mut tx, Who::from(actor), ctx, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// The feed behind a secret token, as iCalendar text; an unknown or revoked token is not found.
pub async fn feed(app: &App, token: &str) -> AppResult<String> {
    let mut handle = app.store.acquire().await?;
    let member_id = life_counters::calendar_feed_member(handle.conn(), &token_hash(token))
        .await?
        .ok_or(AppError::NotFound("日历"))?;
    let (rows, _) = activities::activities_of_member(
        handle.conn(),
        member_id,
        PageRequest {
            offset: 0,
            limit: 500,
        },
    )
    .await?;
    let events: Vec<FeedEvent> = rows
        .into_iter()
        .map(|r| FeedEvent {
            uid: format!("activity-{}@dangjian", r.activity_id),
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            summary: activity_title(&r.kind, &r.topic),
            location: r.place,
            description: r.org_name,
            cancelled: r.activity_status == ActivityStatus::Cancelled.code(),
        })
        .collect();
    Ok(ics(&events, app.now_micros()))
}

pub(crate) struct FeedEvent {
    pub uid: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub summary: String,
    pub location: String,
    pub description: String,
    pub cancelled: bool,
}

fn utc(micros: i64) -> String {
    from_micros(micros).strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// RFC 5545 §3.3.11: backslash, semicolon and comma escaped, newlines as `\n`.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// RFC 5545 §3.1: lines longer than 75 octets are folded, never inside a UTF-8 character.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

pub(crate) fn ics(events: &[FeedEvent], now: i64) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//dangjian//organizational life//ZH",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:组织生活",
        "X-WR-TIMEZONE:Asia/Shanghai",
    ] {
        out.push_str(&fold(line));
    }
    for e in events {
        out.push_str(&fold("BEGIN:VEVENT"));
        out.push_str(&fold(&format!("UID:{}", e.uid)));
        out.push_str(&fold(&format!("DTSTAMP:{}", utc(now))));
        out.push_str(&fold(&format!("DTSTART:{}", utc(e.starts_at))));
        out.push_str(&fold(&format!("DTEND:{}", utc(e.ends_at))));
        out.push_str(&fold(&format!("SUMMARY:{}", escape(&e.summary))));
        if !e.location.is_empty() {
            out.push_str(&fold(&format!("LOCATION:{}", escape(&e.location))));
        }
        out.push_str(&fold(&format!("DESCRIPTION:{}", escape(&e.description))));
        out.push_str(&fold(if e.cancelled {
            "STATUS:CANCELLED"
        } else {
            "STATUS:CONFIRMED"
        }));
        out.push_str(&fold("END:VEVENT"));
    }
    out.push_str(&fold("END:VCALENDAR"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }

    #[test]
    fn long_chinese_lines_fold_between_characters() {
        let line = format!("SUMMARY:{}", "组织生活".repeat(20));
        let folded = fold(&line);
        for physical in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(physical.len() <= 75, "{} octets", physical.len());
        }
        let unfolded = folded.replace("\r\n ", "");
        assert_eq!(unfolded.trim_end(), line);
    }

    #[test]
    fn one_event_in_utc() {
        let start = dangjian_domain::time::to_micros("2026-11-23T06:30:00Z".parse().expect("ts"));
        let text = ics(
            &[FeedEvent {
                uid: "activity-1@dangjian".into(),
                starts_at: start,
                ends_at: start + 3_600_000_000,
                summary: "党小组会：学习".into(),
                location: "二楼".into(),
                description: "综合党小组".into(),
                cancelled: false,
            }],
            start,
        );
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(text.contains("DTSTART:20261123T063000Z\r\n"));
        assert!(text.contains("DTEND:20261123T073000Z\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
    }
}
