//! Pinyin initials of a name (张三 → `zs`), so a secretary can find a member in a long roster by
//! typing a few Latin letters, as every Chinese office system allows.

use pinyin::ToPinyin;

/// Single-character surnames whose surname reading starts with a different letter from the
/// character's most common reading (曾 is céng in 曾经 but Zēng as a surname). Without these,
/// 曾国藩 would be found under `cgf` and never under the `zgf` people type.
const SURNAME_INITIALS: [(char, char); 15] = [
    ('曾', 'z'),
    ('单', 's'),
    ('解', 'x'),
    ('仇', 'q'),
    ('查', 'z'),
    ('区', 'o'),
    ('覃', 'q'),
    ('翟', 'z'),
    ('种', 'c'),
    ('召', 's'),
    ('秘', 'b'),
    ('繁', 'p'),
    ('句', 'g'),
    ('隗', 'w'),
    ('阚', 'k'),
];

/// Compound surnames whose reading differs from their characters' common readings.
const COMPOUND_SURNAMES: [(&str, &str); 2] = [("万俟", "mq"), ("尉迟", "yc")];

/// Lower-case pinyin initials of `name`: one letter per Chinese character, ASCII letters and
/// digits kept whole and lower-cased (full-width ones folded to ASCII), everything else (spaces,
/// the middle dot of 买买提·艾力, punctuation, characters with no reading) dropped. So
/// `"Tom 李"` gives `"toml"`.
///
/// A character with several readings takes its most common one (行 → x), except that a leading
/// surname from `SURNAME_INITIALS` or `COMPOUND_SURNAMES` takes its surname reading; a name is
/// assumed to start with the surname, as Chinese names do.
pub fn initials(name: &str) -> String {
    let name = name.trim();
    let mut out = String::with_capacity(name.len());
    let rest = if let Some((surname, letters)) = COMPOUND_SURNAMES
        .iter()
        .find(|(surname, _)| name.starts_with(surname))
    {
        out.push_str(letters);
        &name[surname.len()..]
    } else if let Some(first) = name.chars().next()
        && let Some(&(_, letter)) = SURNAME_INITIALS.iter().find(|(c, _)| *c == first)
    {
        out.push(letter);
        &name[first.len_utf8()..]
    } else {
        name
    };
    out.extend(rest.chars().filter_map(initial_of));
    out
}

fn initial_of(c: char) -> Option<char> {
    // Full-width ASCII (Ａ, ３) as typed with a Chinese input method in full-width mode.
    let c = match u32::from(c) {
        code @ 0xFF01..=0xFF5E => char::from_u32(code - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    if c.is_ascii_alphanumeric() {
        return Some(c.to_ascii_lowercase());
    }
    let first = c.to_pinyin()?.plain().chars().next()?;
    match first {
        // The data spells 欸 with ê; everything else starts with a plain Latin letter.
        'ê' => Some('e'),
        letter if letter.is_ascii_alphabetic() => Some(letter),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn common_names() {
        assert_eq!(initials("张三"), "zs");
        assert_eq!(initials("李红梅"), "lhm");
        assert_eq!(initials("王建国"), "wjg");
        assert_eq!(initials(" 欧阳修 "), "oyx");
    }

    #[test]
    fn latin_letters_and_digits_are_kept_whole() {
        assert_eq!(initials("Tom 李"), "toml");
        assert_eq!(initials("李3号"), "l3h");
        assert_eq!(initials("ＡＢ张"), "abz");
    }

    #[test]
    fn symbols_are_dropped() {
        assert_eq!(initials(""), "");
        assert_eq!(initials("   "), "");
        assert_eq!(initials("买买提·艾力"), "mmtal");
        assert_eq!(initials("张-三（副）"), "zsf");
        assert_eq!(initials("😀"), "");
    }

    #[test]
    fn surnames_take_their_surname_reading() {
        assert_eq!(initials("曾国藩"), "zgf");
        assert_eq!(initials("单田芳"), "stf");
        assert_eq!(initials("解缙"), "xj");
        assert_eq!(initials("尉迟恭"), "ycg");
        // Only in first place: 曾 inside a given name keeps its common reading.
        assert_eq!(initials("王曾"), "wc");
    }

    #[test]
    fn heteronyms_take_the_most_common_reading() {
        assert_eq!(initials("银行"), "yx");
        assert_eq!(initials("重庆"), "zq");
    }

    proptest! {
        #[test]
        fn output_is_lower_case_ascii_and_never_longer_than_the_name(name in "\\PC{0,12}") {
            let out = initials(&name);
            prop_assert!(out.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()));
            prop_assert!(out.chars().count() <= name.chars().count());
        }

    }
}
