//! Personal facts of the roster (党员花名册) that follow national standards: gender, ethnic group
//! (GB/T 3304-1991) and education level.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// 性别. Derived from the identity number when there is one (see `IdNumber::gender`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub const ALL: [Gender; 2] = [Gender::Male, Gender::Female];

    pub fn label(self) -> &'static str {
        match self {
            Gender::Male => "男",
            Gender::Female => "女",
        }
    }

    /// The stored form.
    pub fn code(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }

    pub fn from_code(code: &str) -> Option<Gender> {
        Gender::ALL.into_iter().find(|g| g.code() == code)
    }

    /// Reads "男" or "女" as typed in a form or a spreadsheet (surrounding spaces ignored).
    pub fn from_label(label: &str) -> Option<Gender> {
        let label = label.trim();
        Gender::ALL.into_iter().find(|g| g.label() == label)
    }
}

/// The code and name of every entry of GB/T 3304-1991 《中国各民族名称的罗马字母拼写法和代码》,
/// in the standard's order: the 56 ethnic groups (01–56), then 97 其他 (an unidentified group)
/// and 98 外国血统中国籍人士 (Chinese citizens of foreign origin).
const ETHNIC_TABLE: [(&str, &str); 58] = [
    ("01", "汉族"),
    ("02", "蒙古族"),
    ("03", "回族"),
    ("04", "藏族"),
    ("05", "维吾尔族"),
    ("06", "苗族"),
    ("07", "彝族"),
    ("08", "壮族"),
    ("09", "布依族"),
    ("10", "朝鲜族"),
    ("11", "满族"),
    ("12", "侗族"),
    ("13", "瑶族"),
    ("14", "白族"),
    ("15", "土家族"),
    ("16", "哈尼族"),
    ("17", "哈萨克族"),
    ("18", "傣族"),
    ("19", "黎族"),
    ("20", "傈僳族"),
    ("21", "佤族"),
    ("22", "畲族"),
    ("23", "高山族"),
    ("24", "拉祜族"),
    ("25", "水族"),
    ("26", "东乡族"),
    ("27", "纳西族"),
    ("28", "景颇族"),
    ("29", "柯尔克孜族"),
    ("30", "土族"),
    ("31", "达斡尔族"),
    ("32", "仫佬族"),
    ("33", "羌族"),
    ("34", "布朗族"),
    ("35", "撒拉族"),
    ("36", "毛南族"),
    ("37", "仡佬族"),
    ("38", "锡伯族"),
    ("39", "阿昌族"),
    ("40", "普米族"),
    ("41", "塔吉克族"),
    ("42", "怒族"),
    ("43", "乌孜别克族"),
    ("44", "俄罗斯族"),
    ("45", "鄂温克族"),
    ("46", "德昂族"),
    ("47", "保安族"),
    ("48", "裕固族"),
    ("49", "京族"),
    ("50", "塔塔尔族"),
    ("51", "独龙族"),
    ("52", "鄂伦春族"),
    ("53", "赫哲族"),
    ("54", "门巴族"),
    ("55", "珞巴族"),
    ("56", "基诺族"),
    ("97", "其他"),
    ("98", "外国血统中国籍人士"),
];

/// Former names still found in old records and spreadsheets: 崩龙族 was renamed 德昂族 in 1985,
/// 毛难族 was renamed 毛南族 in 1986; 其它 is a common variant spelling of 其他.
const ETHNIC_ALIASES: [(&str, &str); 3] = [("崩龙", "46"), ("毛难", "36"), ("其它", "97")];

/// 民族: one entry of GB/T 3304-1991. Stored and serialized as its two-digit code ("01").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ethnicity(u8);

impl Ethnicity {
    pub const HAN: Ethnicity = Ethnicity(0);
    /// 其他 (97).
    pub const OTHER: Ethnicity = Ethnicity(56);
    /// 外国血统中国籍人士 (98).
    pub const FOREIGN_ORIGIN: Ethnicity = Ethnicity(57);

    /// Every entry in the standard's order, for select lists.
    pub fn all() -> impl Iterator<Item = Ethnicity> {
        (0..ETHNIC_TABLE.len() as u8).map(Ethnicity)
    }

    pub fn name(self) -> &'static str {
        ETHNIC_TABLE[usize::from(self.0)].1
    }

    /// The two-digit code of GB/T 3304 ("01" … "56", "97", "98").
    pub fn code(self) -> &'static str {
        ETHNIC_TABLE[usize::from(self.0)].0
    }

    /// One of the 56 recognized ethnic groups, as opposed to 其他 or 外国血统中国籍人士.
    pub fn is_ethnic_group(self) -> bool {
        self.0 < 56
    }

    pub fn from_code(code: &str) -> Option<Ethnicity> {
        let code = code.trim();
        Ethnicity::all().find(|e| e.code() == code)
    }

    /// Accepts the name with or without the trailing 族 ("汉" and "汉族"), and the former names
    /// listed in `ETHNIC_ALIASES`, because spreadsheets from different systems write it either way.
    pub fn from_name(name: &str) -> Option<Ethnicity> {
        let name = name.trim();
        let bare = name.strip_suffix('族').unwrap_or(name);
        if bare.is_empty() {
            return None;
        }
        Ethnicity::all()
            .find(|e| e.name() == name || e.name().strip_suffix('族') == Some(bare))
            .or_else(|| {
                ETHNIC_ALIASES
                    .iter()
                    .find(|(alias, _)| *alias == bare)
                    .and_then(|(_, code)| Ethnicity::from_code(code))
            })
    }
}

impl Serialize for Ethnicity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Ethnicity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        Ethnicity::from_code(&code)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown ethnicity code {code:?}")))
    }
}

/// 学历: the levels the Party's statistics report members by, highest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Education {
    Postgraduate,
    Bachelor,
    JuniorCollege,
    SecondaryVocational,
    HighSchool,
    JuniorHighOrBelow,
}

impl Education {
    pub const ALL: [Education; 6] = [
        Education::Postgraduate,
        Education::Bachelor,
        Education::JuniorCollege,
        Education::SecondaryVocational,
        Education::HighSchool,
        Education::JuniorHighOrBelow,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Education::Postgraduate => "研究生",
            Education::Bachelor => "大学本科",
            Education::JuniorCollege => "大学专科",
            Education::SecondaryVocational => "中专",
            Education::HighSchool => "高中",
            Education::JuniorHighOrBelow => "初中及以下",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Education::Postgraduate => "postgraduate",
            Education::Bachelor => "bachelor",
            Education::JuniorCollege => "junior_college",
            Education::SecondaryVocational => "secondary_vocational",
            Education::HighSchool => "high_school",
            Education::JuniorHighOrBelow => "junior_high_or_below",
        }
    }

    pub fn from_code(code: &str) -> Option<Education> {
        Education::ALL.into_iter().find(|e| e.code() == code)
    }

    /// Reads the label, and the short forms spreadsheets commonly use (本科, 大专, 初中, 小学 …).
    pub fn from_label(label: &str) -> Option<Education> {
        let label = label.trim();
        if let Some(level) = Education::ALL.into_iter().find(|e| e.label() == label) {
            return Some(level);
        }
        match label {
            "博士" | "硕士" | "博士研究生" | "硕士研究生" | "研究生及以上" => {
                Some(Education::Postgraduate)
            }
            "本科" => Some(Education::Bachelor),
            "大专" | "专科" => Some(Education::JuniorCollege),
            "中等专科" | "中技" | "技校" => Some(Education::SecondaryVocational),
            "高中、中技" | "普通高中" => Some(Education::HighSchool),
            "初中" | "小学" | "文盲" | "无" => Some(Education::JuniorHighOrBelow),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn gender_labels_and_codes_round_trip() {
        assert_eq!(Gender::from_label("男"), Some(Gender::Male));
        assert_eq!(Gender::from_label(" 女 "), Some(Gender::Female));
        assert_eq!(Gender::from_label("M"), None);
        assert_eq!(Gender::from_label(""), None);
        for g in Gender::ALL {
            assert_eq!(Gender::from_code(g.code()), Some(g));
            assert_eq!(Gender::from_label(g.label()), Some(g));
        }
    }

    #[test]
    fn there_are_exactly_56_groups_plus_other_and_foreign_origin() {
        assert_eq!(Ethnicity::all().filter(|e| e.is_ethnic_group()).count(), 56);
        assert_eq!(Ethnicity::all().count(), 58);
        let names: HashSet<_> = Ethnicity::all().map(Ethnicity::name).collect();
        let codes: HashSet<_> = Ethnicity::all().map(Ethnicity::code).collect();
        assert_eq!(names.len(), 58);
        assert_eq!(codes.len(), 58);
        // The 56 groups carry the codes 01..=56 in order.
        for (i, e) in Ethnicity::all().take(56).enumerate() {
            assert_eq!(e.code(), format!("{:02}", i + 1));
            assert!(e.name().ends_with('族'), "{}", e.name());
        }
        assert_eq!(Ethnicity::OTHER.code(), "97");
        assert_eq!(Ethnicity::OTHER.name(), "其他");
        assert_eq!(Ethnicity::FOREIGN_ORIGIN.code(), "98");
        assert!(!Ethnicity::OTHER.is_ethnic_group());
    }

    #[test]
    fn well_known_codes() {
        for (code, name) in [
            ("01", "汉族"),
            ("02", "蒙古族"),
            ("05", "维吾尔族"),
            ("08", "壮族"),
            ("11", "满族"),
            ("15", "土家族"),
            ("30", "土族"),
            ("46", "德昂族"),
            ("56", "基诺族"),
        ] {
            assert_eq!(Ethnicity::from_code(code).map(Ethnicity::name), Some(name));
        }
        assert_eq!(Ethnicity::from_code("57"), None);
        assert_eq!(Ethnicity::from_code("99"), None);
        assert_eq!(Ethnicity::from_code("1"), None);
    }

    #[test]
    fn names_with_or_without_zu() {
        assert_eq!(Ethnicity::from_name("汉"), Some(Ethnicity::HAN));
        assert_eq!(Ethnicity::from_name("汉族"), Some(Ethnicity::HAN));
        assert_eq!(
            Ethnicity::from_name("蒙古").map(Ethnicity::code),
            Some("02")
        );
        assert_eq!(Ethnicity::from_name("土").map(Ethnicity::code), Some("30"));
        assert_eq!(
            Ethnicity::from_name("土家").map(Ethnicity::code),
            Some("15")
        );
        assert_eq!(Ethnicity::from_name("其他"), Some(Ethnicity::OTHER));
        assert_eq!(Ethnicity::from_name("其它"), Some(Ethnicity::OTHER));
        assert_eq!(
            Ethnicity::from_name("崩龙族").map(Ethnicity::code),
            Some("46")
        );
        assert_eq!(
            Ethnicity::from_name("毛难").map(Ethnicity::code),
            Some("36")
        );
        for bad in ["", "族", "汉人", "火星族"] {
            assert_eq!(Ethnicity::from_name(bad), None, "{bad}");
        }
        for e in Ethnicity::all() {
            assert_eq!(Ethnicity::from_name(e.name()), Some(e));
        }
    }

    #[test]
    fn ethnicity_is_read_back_from_its_code() {
        // serde_json is not a dependency of the domain crate; serde's own string deserializer
        // exercises the same `Deserialize` impl.
        use serde::de::IntoDeserializer;
        use serde::de::value::{Error, StrDeserializer};
        let read = |code: &'static str| {
            let de: StrDeserializer<'_, Error> = code.into_deserializer();
            Ethnicity::deserialize(de).ok()
        };
        assert_eq!(read("01"), Some(Ethnicity::HAN));
        assert_eq!(read("98"), Some(Ethnicity::FOREIGN_ORIGIN));
        assert_eq!(read("汉族"), None);
    }

    #[test]
    fn education_labels() {
        for level in Education::ALL {
            assert_eq!(Education::from_label(level.label()), Some(level));
            assert_eq!(Education::from_code(level.code()), Some(level));
        }
        assert_eq!(Education::from_label("本科"), Some(Education::Bachelor));
        assert_eq!(
            Education::from_label("大专"),
            Some(Education::JuniorCollege)
        );
        assert_eq!(Education::from_label("硕士"), Some(Education::Postgraduate));
        assert_eq!(
            Education::from_label("小学"),
            Some(Education::JuniorHighOrBelow)
        );
        assert_eq!(Education::from_label("幼儿园"), None);
        assert!(Education::Postgraduate < Education::Bachelor);
    }
}
