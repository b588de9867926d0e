//! Reading a roster file one row at a time, whatever its format: an .xlsx workbook (streamed cell
//! by cell with calamine's cells reader, never loaded as a whole grid) or a .csv file (UTF-8, with
//! or without BOM, or GB18030 as Excel saves it on Chinese Windows). This runs on a blocking
//! thread; each row is handed to a callback and dropped before the next is read.

use std::fs::File;
use std::io::{BufReader, Cursor, Read, Seek, SeekFrom};
use std::path::Path;

use calamine::{DataRef, Reader, Xlsx};

use super::format::SHEET_NAME;

/// The widest row kept: cells further right are ignored (a roster has 18 columns; this only guards
/// against a stray cell in column XFD making every row 16,384 cells wide).
const MAX_COLUMNS: usize = 64;

/// An uploaded or local roster file, with the name it was given (which tells .csv from .xlsx).
pub struct RosterFile {
    name: String,
    source: Source,
}

enum Source {
    File(File),
    Bytes(Vec<u8>),
}

impl RosterFile {
    pub fn open(path: &Path) -> std::io::Result<RosterFile> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok(RosterFile::from_file(name, File::open(path)?))
    }

    /// A file already open (an upload spooled to a temporary file), read from its start.
    pub fn from_file(name: impl Into<String>, file: File) -> RosterFile {
        RosterFile {
            name: name.into(),
            source: Source::File(file),
        }
    }

    pub fn from_bytes(name: impl Into<String>, bytes: Vec<u8>) -> RosterFile {
        RosterFile {
            name: name.into(),
            source: Source::Bytes(bytes),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

/// What kind of value a cell held, where it matters for the message (an ID number Excel stored as
/// a number has already lost its last digits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    Text,
    Number,
    Date,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub kind: CellKind,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            kind: CellKind::Text,
        }
    }

    fn empty() -> Cell {
        Cell::text("")
    }
}

/// One row of the sheet: its number as the spreadsheet shows it (1-based) and its cells from
/// column A on.
#[derive(Debug, Clone)]
pub struct SheetRow {
    pub number: u32,
    pub cells: Vec<Cell>,
}

impl SheetRow {
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.text.trim().is_empty())
    }
}

/// Why the file as a whole cannot be read; the message is for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable(pub String);

enum Format {
    Xlsx,
    Csv,
}

fn format_of(name: &str, head: &[u8]) -> Result<Format, Unreadable> {
    let lower = name.to_lowercase();
    if head.starts_with(b"PK\x03\x04") {
        return Ok(Format::Xlsx);
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(Unreadable(
            "这是旧版 .xls 文件或加了密码的工作簿，请在 Excel 中“另存为” .xlsx（不设密码）后再导入"
                .into(),
        ));
    }
    if lower.ends_with(".xlsx") {
        return Err(Unreadable("文件不是有效的 .xlsx 工作簿".into()));
    }
    if lower.ends_with(".csv") || lower.ends_with(".txt") {
        return Ok(Format::Csv);
    }
    Err(Unreadable("只能导入 .xlsx 或 .csv 文件".into()))
}

/// Reads every row in order. `on_rows_hint` gets the number of rows the sheet says it has (an
/// .xlsx declares it; a .csv does not), then `on_row` each row; it returns `false` to stop early.
pub fn read_rows(
    file: RosterFile,
    on_rows_hint: impl FnOnce(Option<u64>),
    on_row: impl FnMut(SheetRow) -> bool,
) -> Result<(), Unreadable> {
    match file.source {
        Source::File(mut f) => {
            // A spooled upload is positioned at its end.
            f.seek(SeekFrom::Start(0))
                .map_err(|_| Unreadable("文件无法读取".into()))?;
            let mut head = [0u8; 8];
            let n = read_head(&mut f, &mut head)?;
            f.seek(SeekFrom::Start(0))
                .map_err(|_| Unreadable("文件无法读取".into()))?;
            match format_of(&file.name, &head[..n])? {
                Format::Xlsx => read_xlsx(BufReader::new(f), on_rows_hint, on_row),
                Format::Csv => {
                    read_csv(BufReader::with_capacity(64 * 1024, f), on_rows_hint, on_row)
                }
            }
        }
        Source::Bytes(bytes) => match format_of(&file.name, &bytes[..bytes.len().min(8)])? {
            Format::Xlsx => read_xlsx(Cursor::new(bytes), on_rows_hint, on_row),
            Format::Csv => read_csv(Cursor::new(bytes), on_rows_hint, on_row),
        },
    }
}

fn read_head(f: &mut File, head: &mut [u8]) -> Result<usize, Unreadable> {
    let mut filled = 0;
    while filled < head.len() {
        match f.read(&mut head[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(_) => return Err(Unreadable("文件无法读取".into())),
        }
    }
    Ok(filled)
}

fn read_xlsx<R: Read + Seek>(
    mut reader: R,
    on_rows_hint: impl FnOnce(Option<u64>),
    mut on_row: impl FnMut(SheetRow) -> bool,
) -> Result<(), Unreadable> {
    let broken = |e: calamine::XlsxError| {
        tracing::info!(error = %e, "unreadable xlsx");
        Unreadable("文件不是有效的 .xlsx 工作簿，或已损坏".into())
    };
    // Every .xlsx read anywhere comes through here, so the gate stands before calamine once.
    super::zip_guard::check_archive(&mut reader)?;
    reader
        .seek(SeekFrom::Start(0))
        .map_err(|_| Unreadable("文件无法读取".into()))?;
    let mut workbook: Xlsx<R> = Xlsx::new(reader).map_err(broken)?;
    let names = workbook.sheet_names();
    let sheet = names
        .iter()
        .find(|n| n.trim() == SHEET_NAME)
        .or_else(|| names.first())
        .cloned()
        .ok_or_else(|| Unreadable("工作簿中没有工作表".into()))?;
    let mut cells = workbook.worksheet_cells_reader(&sheet).map_err(broken)?;
    let dims = cells.dimensions();
    on_rows_hint((dims.end.0 > dims.start.0).then(|| u64::from(dims.end.0 - dims.start.0) + 1));
    let mut current: Option<SheetRow> = None;
    while let Some(cell) = cells.next_cell().map_err(broken)? {
        let (row, col) = cell.get_position();
        let col = col as usize;
        if current.as_ref().is_some_and(|r| r.number != row + 1)
            && let Some(done) = current.take()
            && !on_row(done)
        {
            return Ok(());
        }
        let value = cell_of(cell.get_value());
        if col >= MAX_COLUMNS || (value.text.is_empty() && current.is_none()) {
            continue;
        }
        let entry = current.get_or_insert_with(|| SheetRow {
            number: row + 1,
            cells: Vec::with_capacity(20),
        });
        if entry.cells.len() <= col {
            entry.cells.resize(col + 1, Cell::empty());
        }
        entry.cells[col] = value;
    }
    if let Some(done) = current {
        on_row(done);
    }
    Ok(())
}

fn cell_of(value: &DataRef<'_>) -> Cell {
    let (text, kind) = match value {
        DataRef::Empty => (String::new(), CellKind::Text),
        DataRef::String(s) => (s.clone(), CellKind::Text),
        DataRef::SharedString(s) => ((*s).to_string(), CellKind::Text),
        DataRef::Int(i) => (i.to_string(), CellKind::Number),
        DataRef::Float(f) => (number_text(*f), CellKind::Number),
        DataRef::Bool(b) => (super::format::flag_text(*b).to_string(), CellKind::Other),
        DataRef::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            (format!("{y:04}-{m:02}-{d:02}"), CellKind::Date)
        }
        DataRef::DateTime(dt) => (number_text(dt.as_f64()), CellKind::Other),
        DataRef::DateTimeIso(s) => (s.chars().take(10).collect(), CellKind::Date),
        DataRef::DurationIso(s) => (s.clone(), CellKind::Other),
        DataRef::Error(e) => (format!("{e}"), CellKind::Other),
    };
    Cell { text, kind }
}

/// A number as people read it: whole numbers without `.0` (a phone typed as a number).
fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

enum Encoding {
    Utf8,
    Gb18030,
}

/// UTF-8 unless the start of the file is not valid UTF-8, which means a Chinese-locale Excel
/// saved it as GB18030 (GBK).
fn sniff_encoding(head: &[u8]) -> Encoding {
    match std::str::from_utf8(head) {
        Ok(_) => Encoding::Utf8,
        // Cut in the middle of a character at the end of the sample: still UTF-8.
        Err(e) if e.error_len().is_none() => Encoding::Utf8,
        Err(_) => Encoding::Gb18030,
    }
}

fn read_csv<R: Read + Seek>(
    mut reader: R,
    on_rows_hint: impl FnOnce(Option<u64>),
    mut on_row: impl FnMut(SheetRow) -> bool,
) -> Result<(), Unreadable> {
    let unreadable = || Unreadable("CSV 文件无法读取".to_string());
    let mut head = vec![0u8; 64 * 1024];
    let mut filled = 0;
    while filled < head.len() {
        match reader.read(&mut head[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(_) => return Err(unreadable()),
        }
    }
    head.truncate(filled);
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Err(Unreadable(
            "这是 UTF-16（“Unicode 文本”）文件，请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后再导入"
                .into(),
        ));
    }
    let skip = if head.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let encoding = sniff_encoding(&head[skip..]);
    drop(head);
    reader
        .seek(SeekFrom::Start(skip as u64))
        .map_err(|_| unreadable())?;
    on_rows_hint(None);
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(reader);
    let mut record = csv::ByteRecord::new();
    let mut number = 0u32;
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(e) => {
                return Err(Unreadable(format!(
                    "CSV 文件第 {} 行格式有误（引号不成对等）",
                    e.position()
                        .map(|p| p.record() + 1)
                        .unwrap_or(u64::from(number) + 1)
                )));
            }
        }
        number += 1;
        let cells = record
            .iter()
            .take(MAX_COLUMNS)
            .map(|field| Cell::text(decode(field, &encoding)))
            .collect();
        if !on_row(SheetRow { number, cells }) {
            return Ok(());
        }
    }
}

fn decode(field: &[u8], encoding: &Encoding) -> String {
    match encoding {
        Encoding::Utf8 => String::from_utf8_lossy(field).into_owned(),
        Encoding::Gb18030 => encoding_rs::GB18030
            .decode_without_bom_handling(field)
            .0
            .into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows_of(file: RosterFile) -> Result<Vec<SheetRow>, Unreadable> {
        let mut rows = Vec::new();
        read_rows(
            file,
            |_| {},
            |row| {
                rows.push(row);
                true
            },
        )?;
        Ok(rows)
    }

    fn texts(row: &SheetRow) -> Vec<&str> {
        row.cells.iter().map(|c| c.text.as_str()).collect()
    }

    #[test]
    fn csv_in_utf8_with_bom_and_quotes() {
        let file = RosterFile::from_bytes(
            "名单.csv",
            "\u{feff}姓名,工作单位\n张三,\"渭南市,临渭区\"\n\n李四\n"
                .as_bytes()
                .to_vec(),
        );
        let rows = rows_of(file).expect("rows");
        assert_eq!(texts(&rows[0]), ["姓名", "工作单位"]);
        assert_eq!(texts(&rows[1]), ["张三", "渭南市,临渭区"]);
        assert_eq!(rows.last().map(|r| r.number), Some(3));
        assert_eq!(texts(&rows[2]), ["李四"]);
    }

    #[test]
    fn csv_saved_by_chinese_excel_is_gb18030() {
        let (bytes, _, _) = encoding_rs::GB18030.encode("姓名,民族\n王五,回族\n");
        let rows = rows_of(RosterFile::from_bytes("a.CSV", bytes.into_owned())).expect("rows");
        assert_eq!(texts(&rows[1]), ["王五", "回族"]);
    }

    #[test]
    fn unknown_and_legacy_formats_are_refused() {
        let xls = RosterFile::from_bytes("old.xls", vec![0xD0, 0xCF, 0x11, 0xE0, 0, 0]);
        assert!(rows_of(xls).expect_err("xls").0.contains(".xls"));
        let fake = RosterFile::from_bytes("fake.xlsx", b"name,id".to_vec());
        assert!(rows_of(fake).is_err());
        let pdf = RosterFile::from_bytes("roster.pdf", b"%PDF-1.7".to_vec());
        assert!(rows_of(pdf).is_err());
    }

    #[test]
    fn numbers_read_as_people_typed_them() {
        assert_eq!(number_text(13800000000.0), "13800000000");
        assert_eq!(number_text(1.5), "1.5");
    }
}

#[cfg(test)]
mod xlsx_tests {
    use super::*;
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

    #[test]
    fn real_excel_dates_and_numbers_become_text() {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        let date = Format::new().set_num_format("yyyy/m/d");
        sheet.write_string(0, 0, "出生日期").expect("write");
        sheet.write_string(0, 2, "手机号").expect("write");
        let born = ExcelDateTime::from_ymd(1990, 3, 7).expect("date");
        sheet
            .write_datetime_with_format(1, 0, &born, &date)
            .expect("write");
        sheet.write_number(1, 2, 13912345678.0).expect("write");
        sheet.write_string(3, 1, "后面的行").expect("write");
        let bytes = workbook.save_to_buffer().expect("saved");
        let mut rows = Vec::new();
        read_rows(
            RosterFile::from_bytes("x.xlsx", bytes),
            |_| {},
            |row| {
                rows.push(row);
                true
            },
        )
        .expect("readable");
        assert_eq!(rows[1].number, 2);
        assert_eq!(rows[1].cells[0].text, "1990-03-07");
        assert_eq!(rows[1].cells[0].kind, CellKind::Date);
        assert_eq!(rows[1].cells[1].text, "", "the gap between cells is kept");
        assert_eq!(rows[1].cells[2].text, "13912345678");
        assert_eq!(rows[1].cells[2].kind, CellKind::Number);
        assert_eq!(rows[2].number, 4, "a missing row keeps the numbering");
        assert_eq!(rows[2].cells[1].text, "后面的行");
    }
}
