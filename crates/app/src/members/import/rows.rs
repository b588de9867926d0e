//! Checking the rows of a roster file without touching the database: the header, each cell (through
//! the same `record::check` as the form), the group column, and ID numbers repeated within the file.
//! What needs the database (an ID number already on the roster) is left to the caller.

use std::collections::HashMap;

use dangjian_store::members::MemberFields;
use jiff::civil::Date;

use super::RowError;
use super::format::{Column, IGNORED, REQUIRED, normalise_header, parse_flag};
use super::sheet::{CellKind, SheetRow};
use crate::members::record::{self, MemberInput};

/// How many rows may precede the header (a title such as “××党支部党员花名册” above the table).
const HEADER_SEARCH_ROWS: u32 = 10;

/// Where rows go: the branch, and either one fixed group (importing into a group) or the branch's
/// groups by name (importing into a branch).
#[derive(Debug, Clone)]
pub struct Placement {
    pub branch_id: i64,
    pub branch_name: String,
    pub target: GroupRule,
}

#[derive(Debug, Clone)]
pub enum GroupRule {
    /// Importing into this group: the column may be empty or name it.
    Fixed { id: i64, name: String },
    /// Importing into the branch: the column names one of its groups, or is empty (no group).
    ByName(HashMap<String, GroupName>),
}

#[derive(Debug, Clone, Copy)]
pub enum GroupName {
    Group(i64),
    Dissolved,
    /// Two groups of the branch share the name.
    Ambiguous,
}

/// The verdict on one data row.
#[derive(Debug)]
pub enum Checked {
    Valid { row: u32, fields: Box<MemberFields> },
    Invalid(Vec<RowError>),
}

enum State {
    LookingForHeader,
    Reading(Vec<Option<Column>>),
    /// The header is wrong; nothing after it can be read.
    Stopped,
}

pub struct RowChecker {
    placement: Placement,
    today: Date,
    state: State,
    /// ID numbers seen so far (their 17 body digits; the check character follows from them) and
    /// the row each was first on: 16 bytes a member instead of a string.
    seen: HashMap<u64, u32>,
}

/// What a row came to: nothing (blank, or a title above the header), a header problem, or a
/// checked member.
pub enum Step {
    Skip,
    HeaderErrors(Vec<RowError>),
    Row(Checked),
}

impl RowChecker {
    pub fn new(placement: Placement, today: Date) -> RowChecker {
        RowChecker {
            placement,
            today,
            state: State::LookingForHeader,
            seen: HashMap::new(),
        }
    }

    pub fn accept(&mut self, row: SheetRow) -> Step {
        if row.is_blank() || matches!(self.state, State::Stopped) {
            return Step::Skip;
        }
        match &self.state {
            State::LookingForHeader => {
                let is_header = row
                    .cells
                    .iter()
                    .any(|c| Column::from_header(&c.text).is_some_and(|c| c.field() == "name"));
                if !is_header {
                    if row.number >= HEADER_SEARCH_ROWS {
                        self.state = State::Stopped;
                        return Step::HeaderErrors(vec![no_header(row.number)]);
                    }
                    return Step::Skip;
                }
                match map_header(&row) {
                    Ok(columns) => {
                        self.state = State::Reading(columns);
                        Step::Skip
                    }
                    Err(errors) => {
                        self.state = State::Stopped;
                        Step::HeaderErrors(errors)
                    }
                }
            }
            State::Reading(columns) => {
                let checked = check_row(columns, &row, &self.placement, self.today);
                Step::Row(self.against_earlier_rows(checked))
            }
            State::Stopped => Step::Skip,
        }
    }

    /// Called after the last row: a file that never showed its header is an error.
    pub fn finish(&self) -> Option<RowError> {
        matches!(self.state, State::LookingForHeader).then(|| no_header(1))
    }

    fn against_earlier_rows(&mut self, checked: Checked) -> Checked {
        let Checked::Valid { row, fields } = checked else {
            return checked;
        };
        let key = fields.id_number[..17].parse::<u64>().unwrap_or(u64::MAX);
        match self.seen.get(&key) {
            Some(first) => Checked::Invalid(vec![RowError {
                row,
                column: "身份证号".into(),
                value: fields.id_number.clone(),
                message: format!("与第 {first} 行的身份证号重复，同一人不能登记两次"),
            }]),
            None => {
                self.seen.insert(key, row);
                Checked::Valid { row, fields }
            }
        }
    }
}

fn no_header(row: u32) -> RowError {
    RowError {
        row,
        column: String::new(),
        value: String::new(),
        message: "未找到表头：第一行应为列名（姓名、性别、民族……），请使用导入模板".into(),
    }
}

fn column_name(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    format!("{}列", letters.iter().rev().collect::<String>())
}

fn map_header(row: &SheetRow) -> Result<Vec<Option<Column>>, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut columns: Vec<Option<Column>> = Vec::with_capacity(row.cells.len());
    for (i, cell) in row.cells.iter().enumerate() {
        let name = normalise_header(&cell.text);
        if name.is_empty() || IGNORED.contains(&name.as_str()) {
            columns.push(None);
            continue;
        }
        match Column::from_header(&cell.text) {
            Some(column) if columns.contains(&Some(column)) => {
                errors.push(RowError {
                    row: row.number,
                    column: column_name(i),
                    value: cell.text.clone(),
                    message: format!("“{}”列出现了两次", column.label()),
                });
                columns.push(None);
            }
            Some(column) => columns.push(Some(column)),
            None => {
                errors.push(RowError {
                    row: row.number,
                    column: column_name(i),
                    value: cell.text.clone(),
                    message: format!(
                        "无法识别的列名；可用的列名为：{}（“序号”列会被忽略）",
                        super::format::headers().join("、")
                    ),
                });
                columns.push(None);
            }
        }
    }
    for required in REQUIRED {
        if !columns.iter().flatten().any(|c| c.label() == required) {
            errors.push(RowError {
                row: row.number,
                column: required.into(),
                value: String::new(),
                message: format!("缺少必需的“{required}”列"),
            });
        }
    }
    if errors.is_empty() {
        Ok(columns)
    } else {
        Err(errors)
    }
}

fn push(errors: &mut Vec<RowError>, row: u32, column: Column, value: &str, message: String) {
    errors.push(RowError {
        row,
        column: column.label().into(),
        value: value.to_string(),
        message,
    });
}

fn check_row(
    columns: &[Option<Column>],
    row: &SheetRow,
    placement: &Placement,
    today: Date,
) -> Checked {
    let mut errors = Vec::new();
    let mut input = MemberInput::default();
    let mut group = "";
    let mut id_as_number = false;
    let mut masked: Vec<&str> = Vec::new();
    for (column, cell) in columns.iter().zip(&row.cells) {
        let Some(column) = *column else { continue };
        let text = cell.text.as_str();
        if column.is_flag() {
            match parse_flag(text) {
                Some(on) => set_flag(&mut input, column.field(), on),
                None => push(
                    &mut errors,
                    row.number,
                    column,
                    text,
                    "应填写“是”或“否”".into(),
                ),
            }
        } else if matches!(column.field(), "id_number" | "phone") && text.contains("****") {
            // A masked export: the digits are gone and cannot be checked.
            masked.push(column.field());
            push(
                &mut errors,
                row.number,
                column,
                text,
                "这是遮蔽后的号码，无法导入；请使用含完整身份证号和手机号的导出文件".into(),
            );
        } else if column.field() == "id_number" && cell.kind == CellKind::Number {
            // Left out of the input, so `check` does not add a second message about it.
            id_as_number = true;
            push(
                &mut errors,
                row.number,
                column,
                text,
                "身份证号被 Excel 存成了数字，末几位已经丢失；请把该列设为“文本”格式后重新填写"
                    .into(),
            );
        } else if column == Column::Group {
            group = text;
        } else {
            set_text(&mut input, column.field(), text);
        }
    }
    let group_id = match resolve_group(placement, group.trim()) {
        Ok(id) => id,
        Err(message) => {
            push(&mut errors, row.number, Column::Group, group, message);
            None
        }
    };
    match record::check(&input, today) {
        Ok(checked) if errors.is_empty() => Checked::Valid {
            row: row.number,
            fields: Box::new(MemberFields {
                branch_id: placement.branch_id,
                group_id,
                ..checked.fields
            }),
        },
        Ok(_) => Checked::Invalid(errors),
        Err(field_errors) => {
            errors.extend(
                field_errors
                    .into_iter()
                    .filter(|e| !(id_as_number && e.field == "id_number"))
                    .filter(|e| !masked.contains(&e.field))
                    .map(|e| RowError {
                        row: row.number,
                        column: e.label.into(),
                        value: e.value,
                        message: e.message,
                    }),
            );
            // Left to right, as the user reads the row.
            errors.sort_by_key(|e| column_order(&e.column));
            Checked::Invalid(errors)
        }
    }
}

fn column_order(label: &str) -> usize {
    Column::all()
        .position(|c| c.label() == label)
        .unwrap_or(usize::MAX)
}

fn resolve_group(placement: &Placement, name: &str) -> Result<Option<i64>, String> {
    match &placement.target {
        GroupRule::Fixed { id, name: fixed } => {
            if name.is_empty() || name == fixed {
                Ok(Some(*id))
            } else {
                Err(format!(
                    "导入目标是党小组“{fixed}”，本列应留空或填写“{fixed}”"
                ))
            }
        }
        GroupRule::ByName(groups) => {
            if name.is_empty() {
                return Ok(None);
            }
            match groups.get(name) {
                Some(GroupName::Group(id)) => Ok(Some(*id)),
                Some(GroupName::Dissolved) => Err(format!("党小组“{name}”已撤销")),
                Some(GroupName::Ambiguous) => Err(format!(
                    "“{}”有两个名为“{name}”的党小组，请改为分别导入到党小组",
                    placement.branch_name
                )),
                None => {
                    let mut known: Vec<&str> = groups
                        .iter()
                        .filter(|(_, g)| !matches!(g, GroupName::Dissolved))
                        .map(|(n, _)| n.as_str())
                        .collect();
                    known.sort_unstable();
                    if known.is_empty() {
                        Err(format!(
                            "“{}”下没有党小组，本列应留空",
                            placement.branch_name
                        ))
                    } else {
                        Err(format!(
                            "“{}”下没有名为“{name}”的党小组（现有：{}）",
                            placement.branch_name,
                            known.join("、")
                        ))
                    }
                }
            }
        }
    }
}

fn set_flag(input: &mut MemberInput, field: &str, on: bool) {
    match field {
        "is_mobile" => input.is_mobile = on,
        "is_leading_cadre" => input.is_leading_cadre = on,
        "is_retired" => input.is_retired = on,
        "in_hardship" => input.in_hardship = on,
        _ => {}
    }
}

fn set_text(input: &mut MemberInput, field: &str, text: &str) {
    if let Some(slot) = input.person.field_mut(field) {
        *slot = text.to_string();
        return;
    }
    let slot = match field {
        "category" => &mut input.category,
        "joined_on" => &mut input.joined_on,
        "full_member_on" => &mut input.full_member_on,
        "status" => &mut input.status,
        _ => return,
    };
    *slot = text.to_string();
}

#[cfg(test)]
mod tests {
    use super::super::sheet::Cell;
    use super::*;

    const HEADER: [&str; 18] = [
        "姓名",
        "性别",
        "民族",
        "出生日期",
        "身份证号",
        "手机号",
        "学历",
        "职务",
        "工作单位",
        "党员类别",
        "入党日期",
        "转正日期",
        "党籍状态",
        "流动党员",
        "领导干部",
        "离退休",
        "困难党员",
        "所在党小组",
    ];

    fn row<S: AsRef<str>>(number: u32, cells: &[S]) -> SheetRow {
        SheetRow {
            number,
            cells: cells.iter().map(|c| Cell::text(c.as_ref())).collect(),
        }
    }

    fn checker() -> RowChecker {
        let groups = HashMap::from([
            ("综合党小组".to_string(), GroupName::Group(7)),
            ("旧党小组".to_string(), GroupName::Dissolved),
        ]);
        RowChecker::new(
            Placement {
                branch_id: 3,
                branch_name: "站南派出所党支部".into(),
                target: GroupRule::ByName(groups),
            },
            Date::new(2026, 1, 1).expect("date"),
        )
    }

    fn member(id: &str, group: &str) -> Vec<String> {
        [
            "韩梅",
            "",
            "",
            "",
            id,
            "13912340000",
            "大学本科",
            "",
            "",
            "正式党员",
            "2015-07-01",
            "2016-07-01",
            "",
            "否",
            "是",
            "",
            "",
            group,
        ]
        .map(String::from)
        .to_vec()
    }

    fn errors_of(step: Step) -> Vec<RowError> {
        match step {
            Step::Row(Checked::Invalid(errors)) | Step::HeaderErrors(errors) => errors,
            Step::Row(Checked::Valid { row, .. }) => panic!("row {row} passed"),
            Step::Skip => panic!("skipped"),
        }
    }

    #[test]
    fn a_title_row_above_the_header_is_skipped() {
        let mut c = checker();
        assert!(matches!(
            c.accept(row(1, &["站南派出所党支部党员花名册"])),
            Step::Skip
        ));
        assert!(matches!(c.accept(row(2, &HEADER)), Step::Skip));
        match c.accept(row(3, &member("61050219900307123X", "综合党小组"))) {
            Step::Row(Checked::Valid { row, fields }) => {
                assert_eq!(row, 3);
                assert_eq!(fields.group_id, Some(7));
                assert_eq!(fields.branch_id, 3);
                assert!(fields.is_leading_cadre && !fields.is_mobile);
                assert_eq!(fields.gender, "male", "taken from the ID number");
            }
            _ => panic!("valid row expected"),
        }
        assert!(c.finish().is_none());
    }

    #[test]
    fn repeated_id_numbers_in_one_file_point_at_the_first_row() {
        let mut c = checker();
        c.accept(row(1, &HEADER));
        assert!(matches!(
            c.accept(row(2, &member("61050219900307123X", ""))),
            Step::Row(Checked::Valid { .. })
        ));
        let errors = errors_of(c.accept(row(3, &member("61050219900307123x", ""))));
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].row, 3);
        assert_eq!(errors[0].column, "身份证号");
        assert!(
            errors[0].message.contains("第 2 行"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn every_bad_cell_of_a_row_is_reported() {
        let mut c = checker();
        c.accept(row(1, &HEADER));
        let mut cells = member("610502199003071234", "不存在党小组");
        cells[0] = String::new();
        cells[13] = "也许".into();
        let errors = errors_of(c.accept(row(2, &cells)));
        let columns: Vec<&str> = errors.iter().map(|e| e.column.as_str()).collect();
        assert_eq!(
            columns,
            ["姓名", "身份证号", "流动党员", "所在党小组"],
            "{errors:?}"
        );
        assert!(errors[3].message.contains("综合党小组"), "lists the groups");
        assert!(
            !errors[3].message.contains("旧党小组"),
            "not the dissolved one"
        );
    }

    #[test]
    fn an_id_number_stored_as_a_number_says_so() {
        let mut c = checker();
        c.accept(row(1, &HEADER));
        let mut r = row(2, &member("61050219900307123X", ""));
        r.cells[4] = Cell {
            text: "610502199003071000".into(),
            kind: CellKind::Number,
        };
        let errors = errors_of(c.accept(r));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].message.contains("文本"));
    }

    #[test]
    fn a_masked_export_cannot_be_imported() {
        let mut c = checker();
        c.accept(row(1, &HEADER));
        let mut cells = member("610***********123X", "");
        cells[5] = "139****0000".into();
        let errors = errors_of(c.accept(row(2, &cells)));
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors.iter().all(|e| e.message.contains("遮蔽")));
    }

    #[test]
    fn header_problems_stop_the_import() {
        let mut c = checker();
        let errors = errors_of(c.accept(row(1, &["姓名", "电话", "姓名", "序号"])));
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert!(messages[0].contains("无法识别"), "{messages:?}");
        assert_eq!(errors[0].column, "B列");
        assert!(messages[1].contains("两次"));
        assert!(messages.iter().any(|m| m.contains("身份证号")));
        assert!(messages.iter().any(|m| m.contains("党员类别")));
        assert!(matches!(
            c.accept(row(2, &member("61050219900307123X", ""))),
            Step::Skip
        ));
    }

    #[test]
    fn a_file_without_a_header_is_refused() {
        let mut c = checker();
        for n in 1..HEADER_SEARCH_ROWS {
            assert!(matches!(c.accept(row(n, &["x"])), Step::Skip));
        }
        assert!(matches!(
            c.accept(row(HEADER_SEARCH_ROWS, &["x"])),
            Step::HeaderErrors(_)
        ));
        assert!(checker().finish().is_some(), "an empty file has no header");
    }

    #[test]
    fn importing_into_a_group_accepts_only_its_name() {
        let mut c = RowChecker::new(
            Placement {
                branch_id: 3,
                branch_name: "站南派出所党支部".into(),
                target: GroupRule::Fixed {
                    id: 9,
                    name: "刑侦党小组".into(),
                },
            },
            Date::new(2026, 1, 1).expect("date"),
        );
        c.accept(row(1, &HEADER));
        assert!(matches!(
            c.accept(row(2, &member("61050219900307123X", "刑侦党小组"))),
            Step::Row(Checked::Valid { .. })
        ));
        let errors = errors_of(c.accept(row(3, &member("11010519491231002X", "综合党小组"))));
        assert_eq!(errors[0].column, "所在党小组");
    }

    #[test]
    fn spreadsheet_column_names() {
        assert_eq!(column_name(0), "A列");
        assert_eq!(column_name(25), "Z列");
        assert_eq!(column_name(26), "AA列");
    }
}
