//! Writing roster workbooks: the import template and exports, in one format (see
//! `import::format`). Every cell is text, so Excel neither turns an ID number into a number (and
//! drops its last digits) nor a date into a serial; the columns are formatted as text for the same
//! reason when people type into the template.

use std::io::Write;

use dangjian_domain::member::{MemberCategory, MemberStatus};
use dangjian_domain::person::Education;
use rust_xlsxwriter::{Color, DataValidation, Format, Note, Workbook, Worksheet, XlsxError};
use tokio::sync::mpsc;

use crate::members::import::format::{Column, GROUP_COLUMN, REQUIRED, SHEET_NAME};

/// One member as a row of text cells, in file order.
pub type RowCells = Vec<String>;

/// Rows a person fills in the template get the drop-down lists and text format.
const TEMPLATE_ROWS: u32 = 5000;

fn text_format() -> Format {
    Format::new().set_num_format("@")
}

/// Whether a spreadsheet would read `text` as a formula once someone edits the cell (`=`, `+`,
/// `-`, `@`, or a tab or carriage return before one): the start of CSV/formula injection, such as
/// `=HYPERLINK(…)` or `=cmd|' /C calc'!A0` typed into a work unit and opened by a secretary.
pub fn looks_like_formula(text: &str) -> bool {
    text.trim_start_matches(['\t', '\r'])
        .starts_with(['=', '+', '-', '@'])
}

/// The format for such text: shown and kept as typed, never evaluated. The cell stays a string
/// (the value round-trips through import unchanged) and carries Excel's quote prefix, the
/// spreadsheet's own "this is text" mark, rather than a `'` pasted into the value.
pub fn literal_text_format() -> Format {
    text_format().set_quote_prefix()
}

fn width_of(column: Column) -> f64 {
    match column.field() {
        "id_number" => 22.0,
        "work_unit" => 24.0,
        "phone" | "birth_date" | "joined_on" | "full_member_on" | "group" => 13.0,
        "name" | "job_title" | "category" | "education" => 11.0,
        _ => 9.0,
    }
}

/// The header row, column widths and formats that both the template and exports carry.
fn lay_out(sheet: &mut Worksheet) -> Result<(), XlsxError> {
    sheet.set_name(SHEET_NAME)?;
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xF4_E1_E1));
    let text = text_format();
    for (i, column) in Column::all().enumerate() {
        let col = i as u16;
        sheet.set_column_width(col, width_of(column))?;
        sheet.set_column_format(col, &text)?;
        sheet.write_string_with_format(0, col, column.label(), &header)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn hint(column: Column) -> Option<String> {
    let text = match column.field() {
        "name" => "必填".to_string(),
        "gender" => "男 / 女；可不填，按身份证号".to_string(),
        "ethnicity" => "如：汉族、回族、满族；不填为汉族".to_string(),
        "birth_date" => "2020-07-01 格式；可不填，按身份证号".to_string(),
        "id_number" => "必填，18 位；本列为文本格式，请勿改为数字".to_string(),
        "phone" => "11 位手机号，可不填".to_string(),
        "education" => Education::ALL
            .iter()
            .map(|e| e.label())
            .collect::<Vec<_>>()
            .join(" / "),
        "category" => "必填：正式党员 / 预备党员".to_string(),
        "joined_on" | "full_member_on" => "2020-07-01 格式".to_string(),
        "status" => format!(
            "{}；不填为正常",
            MemberStatus::ALL
                .iter()
                .map(|s| s.label())
                .collect::<Vec<_>>()
                .join(" / ")
        ),
        "group" => "导入到党支部时，填写本支部党小组的名称；可不填".to_string(),
        _ if column.is_flag() => "是 / 否；不填为否".to_string(),
        _ => return None,
    };
    Some(text)
}

fn choices(column: Column) -> Option<Vec<&'static str>> {
    match column.field() {
        "gender" => Some(vec!["男", "女"]),
        "education" => Some(Education::ALL.iter().map(|e| e.label()).collect()),
        "category" => Some(MemberCategory::ALL.iter().map(|c| c.label()).collect()),
        "status" => Some(MemberStatus::ALL.iter().map(|s| s.label()).collect()),
        _ if column.is_flag() => Some(vec!["是", "否"]),
        _ => None,
    }
}

/// The import template: the header with a note on each column, drop-down lists where the values
/// are fixed, and a second sheet explaining how to fill it in.
pub fn template() -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    lay_out(sheet)?;
    for (i, column) in Column::all().enumerate() {
        let col = i as u16;
        if let Some(text) = hint(column) {
            sheet.insert_note(0, col, &Note::new(text).set_author("dangjian"))?;
        }
        if let Some(list) = choices(column) {
            let validation = DataValidation::new()
                .allow_list_strings(&list)?
                .set_error_title("请从下拉列表中选择")?
                .set_error_message(format!("可填写：{}", list.join("、")))?;
            sheet.add_data_validation(1, col, TEMPLATE_ROWS, col, &validation)?;
        }
    }
    let guide = workbook.add_worksheet();
    guide.set_name("填写说明")?;
    guide.set_column_width(0, 14)?;
    guide.set_column_width(1, 70)?;
    let bold = Format::new().set_bold();
    guide.write_string_with_format(0, 0, "列名", &bold)?;
    guide.write_string_with_format(0, 1, "填写要求", &bold)?;
    for (i, column) in Column::all().enumerate() {
        let row = i as u32 + 1;
        guide.write_string(row, 0, column.label())?;
        let required = if REQUIRED.contains(&column.label()) {
            "（必填）"
        } else {
            ""
        };
        guide.write_string(
            row,
            1,
            format!("{required}{}", hint(column).unwrap_or_default()),
        )?;
    }
    let end = Column::all().count() as u32 + 2;
    for (offset, line) in [
        "每行一名党员，第一行为列名，请勿修改列名。日期写成 2020-07-01。",
        "导入前会检查每一行、每一格；只要有一处问题，就不导入任何数据，并列出全部问题（行、列、内容、原因）。",
        "身份证号与文件中其他行或花名册中已有党员重复的，视为问题。",
        &format!("“{GROUP_COLUMN}”：导入到党支部时填写本支部党小组的名称；导入到党小组时留空。"),
        "也可以导入逗号分隔的 .csv 文件（UTF-8 或 Excel 默认的 GBK 编码），列名相同。",
    ]
    .iter()
    .enumerate()
    {
        guide.write_string(end + offset as u32, 0, *line)?;
    }
    workbook.save_to_buffer()
}

/// Writes an export as batches of rows arrive, in constant-memory mode: each row goes to a
/// temporary file as it is written (strings inline, no shared-string table), so memory stays
/// flat however large the roster. Returns the sink with the finished workbook in it.
pub fn write_rows<W: Write + Send>(
    mut sink: W,
    mut batches: mpsc::Receiver<Vec<RowCells>>,
) -> Result<W, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    lay_out(sheet)?;
    let literal = literal_text_format();
    let mut row = 0u32;
    while let Some(batch) = batches.blocking_recv() {
        for cells in batch {
            row += 1;
            for (col, text) in cells.iter().enumerate() {
                if looks_like_formula(text) {
                    sheet.write_string_with_format(row, col as u16, text, &literal)?;
                } else if !text.is_empty() {
                    sheet.write_string(row, col as u16, text)?;
                }
            }
        }
    }
    workbook.save_to_writer(&mut sink)?;
    Ok(sink)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::members::import::format::headers;
    use crate::members::import::sheet::{RosterFile, SheetRow, read_rows};

    fn read_back(bytes: Vec<u8>) -> Vec<SheetRow> {
        let mut rows = Vec::new();
        read_rows(
            RosterFile::from_bytes("roster.xlsx", bytes),
            |_| {},
            |row| {
                rows.push(row);
                true
            },
        )
        .expect("readable");
        rows
    }

    fn texts(row: &SheetRow) -> Vec<String> {
        row.cells.iter().map(|c| c.text.clone()).collect()
    }

    #[test]
    fn the_template_is_the_header_alone() {
        let rows = read_back(template().expect("template"));
        assert_eq!(
            rows.len(),
            1,
            "no sample rows that could be imported by mistake"
        );
        assert_eq!(texts(&rows[0]), headers());
    }

    #[test]
    fn exported_rows_read_back_cell_for_cell() {
        let (sender, receiver) = mpsc::channel(2);
        let first: RowCells = Column::all().map(|c| format!("{}值", c.label())).collect();
        let mut second = vec![String::new(); first.len()];
        second[0] = "李四".into();
        second[4] = "61050219900307123X".into();
        sender
            .try_send(vec![first.clone(), second])
            .expect("room in the channel");
        drop(sender);
        let bytes = write_rows(Vec::new(), receiver).expect("written");
        let rows = read_back(bytes);
        assert_eq!(rows.len(), 3);
        assert_eq!(texts(&rows[1]), first);
        assert_eq!(rows[2].number, 3);
        assert_eq!(rows[2].cells[4].text, "61050219900307123X");
    }
}
