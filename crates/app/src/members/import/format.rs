//! The roster file format shared by the import template, imports and exports: one header row of
//! Chinese column names, then one member per row. Columns follow [`COLUMNS`] in order, then
//! [`GROUP_COLUMN`]; an import reads them by name, so their order in a file does not matter.

use crate::members::record::COLUMNS;

/// The group (党小组) of the member, by name, within the branch the file is imported into.
pub const GROUP_COLUMN: &str = "所在党小组";

/// The sheet an export writes and an import looks for first (else it reads the first sheet).
pub const SHEET_NAME: &str = "党员花名册";

/// Columns every file must have: without them no row can be checked.
pub const REQUIRED: [&str; 3] = ["姓名", "身份证号", "党员类别"];

/// A column some rosters carry that the import skips (the row's running number).
pub const IGNORED: [&str; 1] = ["序号"];

/// Other names people give the same columns in their own rosters.
const ALIASES: [(&str, &str); 6] = [
    ("身份证号码", "身份证号"),
    ("公民身份号码", "身份证号"),
    ("手机号码", "手机号"),
    ("联系电话", "手机号"),
    ("党小组", GROUP_COLUMN),
    ("所属党小组", GROUP_COLUMN),
];

/// One column of the file: a field of [`COLUMNS`] (by index) or the group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Field(usize),
    Group,
}

impl Column {
    /// Every column in file order.
    pub fn all() -> impl Iterator<Item = Column> {
        (0..COLUMNS.len())
            .map(Column::Field)
            .chain(std::iter::once(Column::Group))
    }

    pub fn label(self) -> &'static str {
        match self {
            Column::Field(i) => COLUMNS[i].1,
            Column::Group => GROUP_COLUMN,
        }
    }

    /// The form field name (`id_number`), or `group` for the group column.
    pub fn field(self) -> &'static str {
        match self {
            Column::Field(i) => COLUMNS[i].0,
            Column::Group => "group",
        }
    }

    /// The column a header cell names: spaces, a required-mark `*` and `（必填）` are ignored, and a
    /// few common alternative names are understood.
    pub fn from_header(raw: &str) -> Option<Column> {
        let name = normalise_header(raw);
        let name = ALIASES
            .iter()
            .find(|(alias, _)| *alias == name)
            .map(|(_, canonical)| (*canonical).to_string())
            .unwrap_or(name);
        Column::all().find(|c| c.label() == name)
    }

    pub fn is_flag(self) -> bool {
        matches!(
            self.field(),
            "is_mobile" | "is_leading_cadre" | "is_retired" | "in_hardship"
        )
    }
}

pub fn normalise_header(raw: &str) -> String {
    raw.trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '*')
        .collect::<String>()
        .replace("（必填）", "")
        .replace("(必填)", "")
}

/// The header labels in file order.
pub fn headers() -> Vec<&'static str> {
    Column::all().map(Column::label).collect()
}

/// Reads a yes/no cell: 是/否, Y/N, yes/no, 1/0, true/false (any case); an empty cell is no.
pub fn parse_flag(raw: &str) -> Option<bool> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "是" | "y" | "yes" | "1" | "true" | "√" => Some(true),
        "否" | "n" | "no" | "0" | "false" | "" | "×" => Some(false),
        _ => None,
    }
}

pub fn flag_text(on: bool) -> &'static str {
    if on { "是" } else { "否" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_follow_the_record_then_the_group() {
        let headers = headers();
        assert_eq!(headers.len(), COLUMNS.len() + 1);
        for (i, (_, label)) in COLUMNS.iter().enumerate() {
            assert_eq!(headers[i], *label);
        }
        assert_eq!(headers.last(), Some(&GROUP_COLUMN));
    }

    #[test]
    fn headers_are_read_leniently() {
        assert_eq!(Column::from_header(" 姓 名 "), Column::from_header("姓名"));
        assert_eq!(
            Column::from_header("*身份证号（必填）").map(Column::field),
            Some("id_number")
        );
        assert_eq!(
            Column::from_header("公民身份号码").map(Column::field),
            Some("id_number")
        );
        assert_eq!(Column::from_header("党小组"), Some(Column::Group));
        assert_eq!(
            Column::from_header("\u{feff}姓名").map(Column::field),
            Some("name")
        );
        assert_eq!(Column::from_header("电话号"), None);
    }

    #[test]
    fn flags_in_every_spelling() {
        for yes in ["是", "Y", "y", "YES", "1", "true", "TRUE"] {
            assert_eq!(parse_flag(yes), Some(true), "{yes}");
        }
        for no in ["否", "N", "no", "0", "false", "", "  "] {
            assert_eq!(parse_flag(no), Some(false), "{no:?}");
        }
        assert_eq!(parse_flag("可能"), None);
        assert_eq!(parse_flag(flag_text(true)), Some(true));
        assert_eq!(parse_flag(flag_text(false)), Some(false));
    }
}
