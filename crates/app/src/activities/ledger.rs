//! The 三会一课台账 as an .xlsx workbook, generated from the records: one sheet per activity
//! kind, one row per activity with its attendance, and a link back to the activity's page.

use dangjian_domain::OrgId;
use dangjian_domain::access::{Action, Scope};
use dangjian_domain::activity::{ActivityKind, ActivityStatus, Period};
use dangjian_domain::time::{china, from_micros};
use dangjian_store::SubtreeRange;
use dangjian_store::activities::{self, LedgerRow};
use rust_xlsxwriter::{Color, Format, Workbook, XlsxError};

use crate::{Actor, App, AppError, AppResult};

/// Column headers of every sheet, in order.
pub const HEADERS: [&str; 14] = [
    "日期",
    "时间",
    "组织",
    "主题",
    "地点",
    "主持人",
    "记录人",
    "状态",
    "应到",
    "出席",
    "请假",
    "缺席",
    "出席率",
    "链接",
];

/// The workbook and a file name for it.
pub struct Ledger {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// `base_url` (e.g. `https://dj.example.org`) makes the links absolute.
pub async fn ledger_xlsx(
    app: &App,
    actor: &Actor,
    ctx: &crate::RequestContext,
    org_id: OrgId,
    period: &str,
    base_url: &str,
) -> AppResult<Ledger> {
    let (org, path) = crate::orgs::load(app, org_id).await?;
    actor.authorize(Action::ViewOrg, Scope::Org(&path))?;
    let period = super::period_or(period, Period::Year(app.today().year()))?;
    let mut handle = app.store.acquire().await?;
    let rows = activities::ledger_rows(
        handle.conn(),
        &SubtreeRange::of(&path),
        &period.first_day().to_string(),
        &period.last_day().to_string(),
    )
    .await?;
    drop(handle);
    let bytes = write(&rows, base_url)
        .map_err(|e| AppError::Unexpected(format!("ledger workbook: {e}")))?;
    let file_name = format!("{}三会一课台账（{}）.xlsx", org.name, period.label());
    crate::audit::exported(app, actor, ctx, org_id, &file_name).await?;
    Ok(Ledger { file_name, bytes })
}

fn write(rows: &[LedgerRow], base_url: &str) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xF4_E1_E1));
    let percent = Format::new().set_num_format("0%");
    for kind in ActivityKind::ALL {
        let sheet = workbook.add_worksheet();
        sheet.set_name(kind.label())?;
        for (col, title) in HEADERS.iter().enumerate() {
            sheet.write_string_with_format(0, col as u16, *title, &header)?;
        }
        for (col, width) in [
            (0u16, 11.0),
            (1, 12.0),
            (2, 18.0),
            (3, 30.0),
            (4, 14.0),
            (13, 40.0),
        ] {
            sheet.set_column_width(col, width)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        for (line, row) in (1u32..).zip(rows.iter().filter(|r| r.kind == kind.code())) {
            let time = |micros| {
                from_micros(micros)
                    .to_zoned(china())
                    .strftime("%H:%M")
                    .to_string()
            };
            let status = ActivityStatus::from_code(&row.status)
                .map(|s| s.label())
                .unwrap_or("");
            sheet.write_string(line, 0, &row.held_on)?;
            sheet.write_string(
                line,
                1,
                format!("{}–{}", time(row.starts_at), time(row.ends_at)),
            )?;
            sheet.write_string(line, 2, &row.org_name)?;
            sheet.write_string(line, 3, &row.topic)?;
            sheet.write_string(line, 4, &row.place)?;
            sheet.write_string(line, 5, row.host_name.as_deref().unwrap_or(""))?;
            sheet.write_string(line, 6, row.recorder_name.as_deref().unwrap_or(""))?;
            sheet.write_string(line, 7, status)?;
            for (col, value) in [
                (8u16, row.expected),
                (9, row.present),
                (10, row.on_leave),
                (11, row.absent),
            ] {
                sheet.write_number(line, col, value as f64)?;
            }
            if row.expected > 0 {
                sheet.write_number_with_format(
                    line,
                    12,
                    row.present as f64 / row.expected as f64,
                    &percent,
                )?;
            }
            let url = format!("{base_url}/activities/{}", row.id);
            sheet.write_url(line, 13, url.as_str())?;
        }
    }
    workbook.save_to_buffer()
}
