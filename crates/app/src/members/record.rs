//! A roster record as people type it (a form, a spreadsheet row), checked field by field into what
//! the store keeps. Every problem is reported at once, so a form or an import row shows them all.

use dangjian_domain::Phone;
use dangjian_domain::id_number::IdNumber;
use dangjian_domain::member::{MemberCategory, MemberStatus, check_member_dates};
use dangjian_domain::person::{Education, Ethnicity, Gender};
use dangjian_domain::pinyin_initials::initials;
use dangjian_domain::text::{self, Shape};
use dangjian_store::members::MemberFields;
use jiff::civil::Date;

use crate::FieldError;

/// The columns of a roster record: form field, Chinese label (the spreadsheet header).
pub const COLUMNS: [(&str, &str); 17] = [
    ("name", "姓名"),
    ("gender", "性别"),
    ("ethnicity", "民族"),
    ("birth_date", "出生日期"),
    ("id_number", "身份证号"),
    ("phone", "手机号"),
    ("education", "学历"),
    ("job_title", "职务"),
    ("work_unit", "工作单位"),
    ("category", "党员类别"),
    ("joined_on", "入党日期"),
    ("full_member_on", "转正日期"),
    ("status", "党籍状态"),
    ("is_mobile", "流动党员"),
    ("is_leading_cadre", "领导干部"),
    ("is_retired", "离退休"),
    ("in_hardship", "困难党员"),
];

pub fn label_of(field: &str) -> &'static str {
    COLUMNS
        .iter()
        .find(|(f, _)| *f == field)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

/// A person's facts as typed, the same on the roster and for an applicant (发展党员): one set of
/// fields, one check (`check` below), one form partial (`members/person_fields.html`).
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct PersonInput {
    /// Required: a missing name is refused by `check` with the field's error, as an empty one is.
    #[serde(default)]
    pub name: String,
    /// 男 / 女; empty: from the ID number.
    #[serde(default)]
    pub gender: String,
    #[serde(default)]
    pub ethnicity: String,
    /// YYYY-MM-DD; empty: from the ID number.
    #[serde(default)]
    #[schema(format = Date)]
    pub birth_date: String,
    #[serde(default)]
    pub id_number: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub education: String,
    #[serde(default)]
    pub job_title: String,
    #[serde(default)]
    pub work_unit: String,
}

impl PersonInput {
    /// An empty form's values: the ethnic group most people on a roster have.
    pub fn with_usual_defaults() -> PersonInput {
        PersonInput {
            ethnicity: "汉族".into(),
            ..PersonInput::default()
        }
    }

    /// The field of this name, for a row read column by column (the roster import).
    pub fn field_mut(&mut self, field: &str) -> Option<&mut String> {
        Some(match field {
            "name" => &mut self.name,
            "gender" => &mut self.gender,
            "ethnicity" => &mut self.ethnicity,
            "birth_date" => &mut self.birth_date,
            "id_number" => &mut self.id_number,
            "phone" => &mut self.phone,
            "education" => &mut self.education,
            "job_title" => &mut self.job_title,
            "work_unit" => &mut self.work_unit,
            _ => return None,
        })
    }
}

/// A member as typed. Dates are `YYYY-MM-DD` (also `YYYY/MM/DD` and `YYYY.MM.DD`); category and
/// status accept their Chinese labels or codes; flags are booleans.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct MemberInput {
    #[serde(flatten)]
    pub person: PersonInput,
    /// 正式党员 / 预备党员 (or full / probationary).
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    #[schema(format = Date)]
    pub joined_on: String,
    #[serde(default)]
    #[schema(format = Date)]
    pub full_member_on: String,
    /// 正常 by default.
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub is_mobile: bool,
    #[serde(default)]
    pub is_leading_cadre: bool,
    #[serde(default)]
    pub is_retired: bool,
    #[serde(default)]
    pub in_hardship: bool,
}

struct Errors(Vec<FieldError>);

impl Errors {
    fn add(&mut self, field: &'static str, value: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field,
            label: label_of(field),
            value: value.to_string(),
            message: message.into(),
        });
    }
}

/// Reads a civil date as people write it in China's forms and spreadsheets.
pub fn parse_date(raw: &str) -> Option<Date> {
    let normalised: String = raw
        .trim()
        .chars()
        .map(|c| if matches!(c, '/' | '.') { '-' } else { c })
        .collect();
    let mut parts = normalised.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
}

fn optional_date(errors: &mut Errors, field: &'static str, raw: &str) -> Option<Date> {
    if raw.trim().is_empty() {
        return None;
    }
    let parsed = parse_date(raw);
    if parsed.is_none() {
        errors.add(field, raw, "日期格式应为 2020-07-01");
    }
    parsed
}

fn text(errors: &mut Errors, field: &'static str, raw: &str, max: usize) -> String {
    match text::check(raw, Shape::SingleLine, max, false) {
        Ok(value) => value,
        Err(error) => {
            errors.add(field, raw, error.to_string());
            raw.trim().to_string()
        }
    }
}

/// Checks a record against the roster's rules; `today` bounds birth and join dates.
pub fn check(input: &MemberInput, today: Date) -> Result<CheckedMember, Vec<FieldError>> {
    let mut errors = Errors(Vec::new());
    let name = match text::name(&input.person.name, 50) {
        Ok(name) => name,
        Err(error) => {
            errors.add(
                "name",
                &input.person.name,
                crate::error::text_message("姓名", &error),
            );
            input.person.name.trim().to_string()
        }
    };
    let id_number = match IdNumber::parse(&input.person.id_number) {
        Ok(id) => Some(id),
        Err(e) => {
            errors.add("id_number", &input.person.id_number, e.to_string());
            None
        }
    };
    let gender = match (input.person.gender.trim(), &id_number) {
        ("", Some(id)) => Some(id.gender()),
        ("", None) => None,
        (raw, _) => {
            let parsed = Gender::from_label(raw);
            if parsed.is_none() {
                errors.add("gender", raw, "性别应为“男”或“女”");
            }
            parsed
        }
    };
    let birth = match (input.person.birth_date.trim(), &id_number) {
        ("", Some(id)) => Some(id.birth_date()),
        ("", None) => None,
        (raw, _) => {
            let parsed = parse_date(raw);
            if parsed.is_none() {
                errors.add("birth_date", raw, "日期格式应为 1985-07-01");
            }
            parsed
        }
    };
    if let (Some(id), Some(birth), Some(gender)) = (&id_number, birth, gender)
        && let Err(e) = id.agrees_with(birth, gender)
    {
        errors.add("id_number", &input.person.id_number, e.to_string());
    }
    if let Some(birth) = birth
        && birth > today
    {
        errors.add(
            "birth_date",
            &input.person.birth_date,
            "出生日期不能晚于今天",
        );
    }
    let ethnicity = match input.person.ethnicity.trim() {
        // Most members are Han; an empty cell means that, as on the paper roster.
        "" => Ethnicity::from_name("汉族"),
        raw => {
            let parsed = Ethnicity::from_name(raw);
            if parsed.is_none() {
                errors.add(
                    "ethnicity",
                    raw,
                    "不是 GB/T 3304 中的民族名称（如：汉族、回族、满族）",
                );
            }
            parsed
        }
    };
    let phone = match input.person.phone.trim() {
        "" => String::new(),
        raw => match Phone::parse(raw) {
            Ok(phone) => phone.as_str().to_string(),
            Err(e) => {
                errors.add("phone", raw, e.to_string());
                String::new()
            }
        },
    };
    let education = match input.person.education.trim() {
        "" => String::new(),
        raw => match Education::from_label(raw) {
            Some(e) => e.label().to_string(),
            None => {
                errors.add(
                    "education",
                    raw,
                    "学历应为：研究生、大学本科、大学专科、中专、高中、初中及以下",
                );
                String::new()
            }
        },
    };
    let job_title = text(&mut errors, "job_title", &input.person.job_title, 50);
    let work_unit = text(&mut errors, "work_unit", &input.person.work_unit, 100);
    let category = match input.category.trim() {
        "" => {
            errors.add("category", "", "请填写党员类别（正式党员或预备党员）");
            None
        }
        raw => {
            let parsed = MemberCategory::from_label(raw).or_else(|| MemberCategory::from_code(raw));
            if parsed.is_none() {
                errors.add("category", raw, "党员类别应为“正式党员”或“预备党员”");
            }
            parsed
        }
    };
    let status = match input.status.trim() {
        "" => Some(MemberStatus::Normal),
        raw => {
            let parsed = MemberStatus::from_label(raw).or_else(|| MemberStatus::from_code(raw));
            if parsed.is_none() {
                errors.add(
                    "status",
                    raw,
                    "党籍状态应为：正常、失联、停止党籍、出党、死亡、已转出",
                );
            }
            parsed
        }
    };
    let joined = optional_date(&mut errors, "joined_on", &input.joined_on);
    let full_since = optional_date(&mut errors, "full_member_on", &input.full_member_on);
    for (field, raw, date) in [
        ("joined_on", &input.joined_on, joined),
        ("full_member_on", &input.full_member_on, full_since),
    ] {
        if date.is_some_and(|d| d > today) {
            errors.add(field, raw, "日期不能晚于今天");
        }
    }
    if let (Some(birth), Some(category)) = (birth, category)
        && let Err(e) = check_member_dates(birth, joined, full_since, category)
    {
        let field = if e.to_string().contains("转正") {
            "full_member_on"
        } else {
            "joined_on"
        };
        let raw = if field == "joined_on" {
            &input.joined_on
        } else {
            &input.full_member_on
        };
        errors.add(field, raw, e.to_string());
    }

    match (
        errors.0.is_empty(),
        id_number,
        gender,
        birth,
        ethnicity,
        category,
        status,
    ) {
        (
            true,
            Some(id_number),
            Some(gender),
            Some(birth),
            Some(ethnicity),
            Some(category),
            Some(status),
        ) => Ok(CheckedMember {
            fields: MemberFields {
                branch_id: 0,
                group_id: None,
                name_initials: initials(&name),
                name,
                gender: gender.code().to_string(),
                ethnicity: ethnicity.name().to_string(),
                birth_date: birth.to_string(),
                id_number: id_number.as_str().to_string(),
                phone,
                education,
                job_title,
                work_unit,
                category: category.code().to_string(),
                joined_on: joined.map(|d| d.to_string()),
                full_member_on: full_since.map(|d| d.to_string()),
                status: status.code().to_string(),
                is_mobile: input.is_mobile,
                is_leading_cadre: input.is_leading_cadre,
                is_retired: input.is_retired,
                in_hardship: input.in_hardship,
            },
        }),
        _ => Err(errors.0),
    }
}

/// A record that passed every check; the caller places it in a branch (and group).
#[derive(Debug, Clone)]
pub struct CheckedMember {
    pub fields: MemberFields,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_common_spellings() {
        let expected = Date::new(2020, 7, 1).ok();
        for raw in ["2020-07-01", "2020/7/1", "2020.07.01", " 2020-7-01 "] {
            assert_eq!(parse_date(raw), expected, "{raw}");
        }
        for raw in ["2020-13-01", "20200701", "2020-02-30", "", "yesterday"] {
            assert_eq!(parse_date(raw), None, "{raw}");
        }
    }
}
