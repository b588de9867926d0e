//! The roster file the import is measured with: the product's own import columns, one synthetic
//! member a row, strings written inline (constant-memory mode), as the product's exports are.

use dangjian_app::bench::person;
use dangjian_app::members::record::COLUMNS;
use rust_xlsxwriter::Workbook;

/// An .xlsx of `rows` members, persons `from`, `from + 1`, … (distinct valid ID numbers).
pub fn roster(rows: u64, from: u64) -> Result<Vec<u8>, String> {
    let mut workbook = Workbook::new();
    let fail = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let sheet = workbook
        .add_worksheet_with_constant_memory()
        .map_err(fail)?;
    for (c, (_, label)) in COLUMNS.iter().enumerate() {
        sheet.write_string(0, c as u16, *label).map_err(fail)?;
    }
    for r in 0..rows {
        let (name, id_number, phone, _) = person(from + r);
        let cells = [
            (0, name.as_str()),
            (4, id_number.as_str()),
            (5, phone.as_str()),
            (6, "大学本科"),
            (7, "职员"),
            (8, "示范单位"),
            (9, "正式党员"),
            (10, "2015-07-01"),
            (11, "2016-07-01"),
            (12, "正常"),
            (13, "否"),
            (14, "否"),
            (15, "否"),
            (16, "否"),
        ];
        for (c, text) in cells {
            sheet.write_string(r as u32 + 1, c, text).map_err(fail)?;
        }
    }
    workbook.save_to_buffer().map_err(fail)
}
