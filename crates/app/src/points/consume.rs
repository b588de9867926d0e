//! The ledger's consumer of domain events.
//!
//! Decision (issue #5): events are consumed by a "process events" call, not inside the producing
//! transaction, so organizational life and dues stay unaware of points. The web server runs it
//! after every successful write request (a middleware), `dangjian ledger process` runs it by hand,
//! and tests call [`process_events`] directly. It reads `domain_events` after a stored cursor in
//! batches, each batch in one transaction that locks the cursor row (one consumer at a time, even
//! with several servers on PostgreSQL). Replay is harmless: every automatic entry carries its
//! event's source key, which is UNIQUE in the ledger, and an event already booked is skipped.

use dangjian_domain::activity::Period;
use dangjian_domain::events::EventKind;
use dangjian_domain::points::{Points, Trigger, capped_award};
use dangjian_store::Tx;
use dangjian_store::events::{self, EventRow};
use dangjian_store::points::ledger;
use jiff::civil::Date;

use super::{NewEntry, append, placement, rulebook};
use crate::{App, AppError, AppResult};

const BATCH: i64 = 500;

/// `POST /points/process`: an auditor asks for the events to be booked now. The call is recorded
/// in the audit log with how many events it read (issue #15).
pub async fn process_on_request(
    app: &App,
    actor: &crate::Actor,
    ctx: &crate::RequestContext,
) -> AppResult<usize> {
    actor.reach(dangjian_domain::access::Action::ViewAudit)?;
    let events = process_events(app).await?;
    let entry = crate::audit::Entry::new(
        crate::audit::AuditAction::PointsEventsProcessed,
        crate::audit::AuditEntity::Installation,
        "points",
        format!("手动处理积分事件，读取 {events} 条"),
    );
    crate::audit::record_alone(app, crate::audit::Who::from(actor), ctx, entry).await?;
    Ok(events)
}

/// Books every event recorded since the last call; returns how many events it read.
pub async fn process_events(app: &App) -> AppResult<usize> {
    // Most writes (a check-in, an edit) record no event: they need not even ask the database.
    if !app.store.take_events_recorded() {
        return Ok(0);
    }
    {
        let mut handle = app.store.acquire().await?;
        if !ledger::events_pending(handle.conn()).await? {
            return Ok(0);
        }
    }
    let mut read = 0;
    loop {
        let mut tx = app.begin().await?;
        let cursor = ledger::lock_cursor(tx.conn()).await?;
        let batch = events::events_after(tx.conn(), cursor, BATCH).await?;
        let Some(last) = batch.last().map(|e| e.id) else {
            return Ok(read);
        };
        for event in &batch {
            apply(&mut tx, event).await?;
        }
        ledger::set_cursor(tx.conn(), last).await?;
        tx.commit().await?;
        read += batch.len();
    }
}

/// Runs every event ever recorded through the consumer again, ignoring the cursor: what an
/// operator does after restoring a backup, and what the replay test proves changes nothing.
pub async fn replay_all(app: &App) -> AppResult<usize> {
    let mut after = 0;
    let mut read = 0;
    loop {
        let mut tx = app.begin().await?;
        ledger::lock_cursor(tx.conn()).await?;
        let batch = events::events_after(tx.conn(), after, BATCH).await?;
        let Some(last) = batch.last().map(|e| e.id) else {
            return Ok(read);
        };
        for event in &batch {
            apply(&mut tx, event).await?;
        }
        tx.commit().await?;
        after = last;
        read += batch.len();
    }
}

async fn apply(tx: &mut Tx, event: &EventRow) -> AppResult<()> {
    let (Some(kind), Some(member_id)) = (EventKind::from_code(&event.kind), event.member_id) else {
        return Ok(());
    };
    if ledger::entry_by_source(tx.conn(), &event.source_key)
        .await?
        .is_some()
    {
        return Ok(());
    }
    let on: Date = event
        .occurred_on
        .parse()
        .map_err(|_| AppError::Unexpected(format!("event {} has a bad date", event.id)))?;
    let placement = placement(tx.conn(), member_id).await?;
    if kind == EventKind::AttendanceRetracted {
        return reverse_retracted(tx, event, &placement, on).await;
    }
    let rules = rulebook::in_force(tx.conn(), &placement.node_path, on).await?;
    let Some((item, version)) = rules
        .items
        .iter()
        .find(|(i, _)| i.enabled && i.trigger == Trigger::Event(kind))
    else {
        return Ok(());
    };
    if item.points == Points::ZERO {
        return Ok(());
    }
    let period = Period::containing(on, item.cap_period);
    let used = ledger::item_used(
        tx.conn(),
        member_id,
        &item.code,
        &period.first_day().to_string(),
        &period.last_day().to_string(),
    )
    .await?;
    let awarded = capped_award(item.points, Points(used), item.cap);
    // A capped event is still booked (with 0), so a later reversal cannot let a replay award it.
    let reason = if awarded == item.points {
        format!("{}（{}）", item.name, kind.label())
    } else {
        format!("{}（已达{}上限）", item.name, period.label())
    };
    append(
        tx,
        &NewEntry {
            placement: &placement,
            item_code: &item.code,
            item_name: &item.name,
            rule_version_id: *version,
            points: awarded.0,
            reason: &reason,
            source_key: &event.source_key,
            reverses_entry_id: None,
            proposed_by: "",
            approved_by: "系统",
            occurred_on: on,
        },
    )
    .await?;
    Ok(())
}

/// A retracted attendance fact: its entry, if any and not yet reversed, gets a reversing entry.
async fn reverse_retracted(
    tx: &mut Tx,
    event: &EventRow,
    placement: &super::Placement,
    on: Date,
) -> AppResult<()> {
    let retracted = serde_json::from_str::<serde_json::Value>(&event.payload)
        .ok()
        .and_then(|v| {
            v.get("retracts")
                .and_then(|r| r.as_str())
                .map(str::to_string)
        });
    let Some(key) = retracted else { return Ok(()) };
    let Some(original) = ledger::entry_by_source(tx.conn(), &key).await? else {
        return Ok(());
    };
    if ledger::is_reversed(tx.conn(), original.id).await? {
        return Ok(());
    }
    let reason = format!("冲正：出勤记录更正（原记录 #{}）", original.id);
    let on = original.occurred_on.parse().unwrap_or(on);
    append(
        tx,
        &NewEntry {
            placement,
            item_code: &original.item_code,
            item_name: &original.item_name,
            rule_version_id: original.rule_version_id,
            points: -original.points,
            reason: &reason,
            source_key: &event.source_key,
            reverses_entry_id: Some(original.id),
            proposed_by: "",
            approved_by: "系统",
            occurred_on: on,
        },
    )
    .await?;
    Ok(())
}
