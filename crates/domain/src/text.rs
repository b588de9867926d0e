//! Free text that people type: names, titles, reasons, minutes. One check for all of it, so a
//! name cannot carry a NUL, a right-to-left override that reverses what a list shows, an
//! invisible zero-width character that makes two names look equal, a byte-order mark, or a
//! line break that splits an exported row.

use std::fmt;

/// What a piece of text may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A name or a title: one line.
    SingleLine,
    /// A reason, minutes, a note: line breaks and tabs allowed.
    MultiLine,
}

/// Why the text was refused; the message is what the user reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextError {
    Empty,
    TooLong {
        max: usize,
    },
    LineBreak,
    /// A control, bidirectional-override, zero-width or byte-order-mark character.
    Invisible {
        code_point: u32,
    },
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextError::Empty => write!(f, "不能为空"),
            TextError::TooLong { max } => write!(f, "最多 {max} 个字"),
            TextError::LineBreak => write!(f, "不能换行"),
            TextError::Invisible { code_point } => {
                write!(
                    f,
                    "含有不可见的控制字符（U+{code_point:04X}），请删除后重新输入"
                )
            }
        }
    }
}

impl std::error::Error for TextError {}

/// Characters no typed text needs and that change how text reads or compares: C0/C1 controls,
/// line and paragraph separators, bidirectional embeddings, overrides and isolates, zero-width
/// spaces and joiners, word joiner, soft hyphen, and the byte-order mark.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1F}'
        | '\u{7F}'..='\u{9F}'
        | '\u{AD}'
        | '\u{200B}'..='\u{200F}'
        | '\u{2028}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}'
    )
}

/// The text trimmed, if it has the shape, is at most `max` characters and holds nothing
/// invisible. An empty text is refused when `required`, else returned as "".
pub fn check(input: &str, shape: Shape, max: usize, required: bool) -> Result<String, TextError> {
    let text = input.trim();
    if text.is_empty() {
        return if required {
            Err(TextError::Empty)
        } else {
            Ok(String::new())
        };
    }
    for c in text.chars() {
        let allowed_break = shape == Shape::MultiLine && matches!(c, '\n' | '\r' | '\t');
        if allowed_break {
            continue;
        }
        if shape == Shape::SingleLine && matches!(c, '\n' | '\r') {
            return Err(TextError::LineBreak);
        }
        if is_invisible(c) {
            return Err(TextError::Invisible {
                code_point: u32::from(c),
            });
        }
    }
    if text.chars().count() > max {
        return Err(TextError::TooLong { max });
    }
    Ok(text.to_string())
}

/// A required single-line name or title of at most `max` characters.
pub fn name(input: &str, max: usize) -> Result<String, TextError> {
    check(input, Shape::SingleLine, max, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_refuse_what_changes_how_they_read() {
        for (input, code_point) in [
            ("张\u{0}伟", 0x0),
            ("\u{202E}伟张", 0x202E),
            ("张\u{200B}伟", 0x200B),
            ("\u{FEFF}张伟", 0xFEFF),
            ("张\u{2066}伟", 0x2066),
            ("张\u{7F}伟", 0x7F),
        ] {
            assert_eq!(name(input, 50), Err(TextError::Invisible { code_point }));
        }
        assert_eq!(name("张\n伟", 50), Err(TextError::LineBreak));
        assert_eq!(name("   ", 50), Err(TextError::Empty));
        assert_eq!(
            name(&"党".repeat(51), 50),
            Err(TextError::TooLong { max: 50 })
        );
        assert_eq!(name("  欧阳 建国 ", 50), Ok("欧阳 建国".to_string()));
    }

    #[test]
    fn multi_line_text_keeps_its_lines_and_still_refuses_controls() {
        assert_eq!(
            check("一、学习\n二、讨论\t发言", Shape::MultiLine, 100, true),
            Ok("一、学习\n二、讨论\t发言".to_string())
        );
        assert!(check("学习\u{202E}", Shape::MultiLine, 100, true).is_err());
        assert_eq!(check("", Shape::MultiLine, 100, false), Ok(String::new()));
    }

    #[test]
    fn the_message_names_the_character() {
        let error = name("张\u{202E}伟", 50).expect_err("refused");
        assert!(error.to_string().contains("U+202E"), "{error}");
    }

    proptest! {
        /// Ordinary Chinese and ASCII text within the limit always passes, unchanged but trimmed.
        #[test]
        fn printable_text_within_the_limit_passes(text in "[\\p{Han}A-Za-z0-9 ·（）()-]{1,50}") {
            let trimmed = text.trim();
            prop_assume!(!trimmed.is_empty());
            prop_assert_eq!(name(&text, 50), Ok(trimmed.to_string()));
        }

        /// Any text holding one invisible character anywhere is refused, whatever surrounds it.
        #[test]
        fn one_invisible_character_anywhere_is_refused(
            before in "[\\p{Han}a-z]{0,10}",
            after in "[\\p{Han}a-z]{0,10}",
            invisible in prop::sample::select(vec!['\u{0}', '\u{1B}', '\u{85}', '\u{200D}', '\u{202D}', '\u{2069}', '\u{FEFF}']),
        ) {
            let text = format!("x{before}{invisible}{after}x");
            prop_assert!(check(&text, Shape::MultiLine, 100, true).is_err());
        }
    }
}
