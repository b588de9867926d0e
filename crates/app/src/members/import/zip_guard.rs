//! The gate every uploaded .xlsx passes before calamine opens it (issue #15).
//!
//! An .xlsx is a zip archive, and calamine loads some of its parts whole: the shared-string table,
//! the workbook, the styles and the relationships. A 1 MB upload holding one shared string that
//! inflates to gigabytes took the server from 0.1 to 3.2 GB of memory. So before calamine sees the
//! file, this module opens it with the `zip` crate and refuses it when
//! - it is not a valid zip archive, is encrypted, or holds more than [`MAX_ENTRIES`] entries;
//! - an entry's name would leave the archive (`../../x`, `/etc/x`): a workbook never has one;
//! - an entry declares, or actually inflates to, more than its cap: [`MAX_LOADED_PART`] for the
//!   parts calamine loads whole, [`MAX_TOTAL`] for the whole archive (worksheets are streamed);
//! - an entry over 1 MiB is compressed more than [`MAX_RATIO`] times;
//! - an XML part declares a DTD (`<!DOCTYPE`, `<!ENTITY`): Office Open XML packages may not use
//!   them (ECMA-376 Part 2, Open Packaging Conventions), and they are how XXE payloads arrive.
//!
//! Every entry is inflated and counted, 64 KiB at a time, before calamine opens the file, so a
//! header that lies about the size changes nothing: the count stops at the entry's cap, and the
//! zip crate (calamine's too) refuses data beyond the declared size, which is refused here as a bomb.

use std::io::{Read, Seek};

use super::sheet::Unreadable;

/// Most entries an archive may hold (Excel writes a dozen or two; a workbook with many sheets,
/// charts and images some hundreds).
pub const MAX_ENTRIES: usize = 1000;
/// Largest inflated size of the whole archive. Worksheets are streamed row by row, so this bounds
/// the work, not the memory: the 100,000-row roster of the benchmark inflates to about 80 MiB (compressed 16 times).
pub const MAX_TOTAL: u64 = 512 * 1024 * 1024;
/// Largest inflated size of a part calamine loads whole (the shared-string table above all: an
/// Excel-saved roster of 100,000 members has about 10 MiB of it).
pub const MAX_LOADED_PART: u64 = 20 * 1024 * 1024;
/// Most times an entry larger than [`RATIO_FLOOR`] may be compressed. Spreadsheet XML compresses
/// 5 to 40 times; a bomb is built from one repeated byte, which deflate squeezes about 1,000 times.
pub const MAX_RATIO: u64 = 200;
const RATIO_FLOOR: u64 = 1024 * 1024;

const TOO_LARGE: &str = "文件解压后过大，可能是恶意文件；未导入任何数据";
const BROKEN: &str = "文件不是有效的 .xlsx 工作簿，或已损坏";

/// Refuses an archive that could make calamine allocate without bound (see the module comment).
/// Leaves the reader wherever it stopped; the caller rewinds it.
pub fn check_archive<R: Read + Seek>(reader: R) -> Result<(), Unreadable> {
    let refuse = |message: &str| Err(Unreadable(message.to_string()));
    let mut archive = match zip::ZipArchive::new(reader) {
        Ok(archive) => archive,
        Err(error) => {
            tracing::info!(%error, "upload is not a zip archive");
            return refuse(BROKEN);
        }
    };
    if archive.len() > MAX_ENTRIES {
        return refuse("工作簿中的部件过多，可能是恶意文件；未导入任何数据");
    }
    let mut total = 0u64;
    let mut buffer = vec![0u8; 64 * 1024];
    for index in 0..archive.len() {
        let mut entry = match archive.by_index(index) {
            Ok(entry) => entry,
            Err(zip::result::ZipError::UnsupportedArchive(_)) => {
                return refuse(
                    "工作簿加了密码或使用了不支持的压缩方式，请另存为普通 .xlsx 后再导入",
                );
            }
            Err(error) => {
                tracing::info!(%error, "unreadable zip entry");
                return refuse(BROKEN);
            }
        };
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        if entry.enclosed_name().is_none() || !is_plain_part_name(&name) {
            return Err(Unreadable(format!(
                "文件中含有可疑的路径“{}”，可能是恶意文件；未导入任何数据",
                name.chars().take(60).collect::<String>()
            )));
        }
        if entry.encrypted() {
            return refuse("工作簿加了密码，请在 Excel 中取消密码并另存为 .xlsx 后再导入");
        }
        let cap = cap_of(&name).min(MAX_TOTAL - total);
        let declared = entry.size();
        if declared > cap || ratio_is_absurd(declared, entry.compressed_size()) {
            tracing::info!(name, declared, "zip entry declares too much");
            return refuse(TOO_LARGE);
        }
        let mut scanner = DtdScanner::default();
        let mut inflated = 0u64;
        loop {
            let n = match entry.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => n,
                // The zip crate stops an entry at the size its header declares: more data behind
                // that header is a lie about the size, the mark of a bomb.
                Err(error) if error.to_string().contains("larger than its declared") => {
                    tracing::info!(name, inflated, "zip entry inflates past its declared size");
                    return refuse(TOO_LARGE);
                }
                Err(error) => {
                    tracing::info!(%error, name, "zip entry does not inflate");
                    return refuse(BROKEN);
                }
            };
            inflated += n as u64;
            if inflated > cap || ratio_is_absurd(inflated, entry.compressed_size()) {
                tracing::info!(name, inflated, "zip entry inflates past its cap");
                return refuse(TOO_LARGE);
            }
            if is_xml(&name) && scanner.finds_dtd(&buffer[..n]) {
                return refuse(
                    "文件中含有不允许的 DOCTYPE/实体声明，可能是恶意文件；未导入任何数据",
                );
            }
        }
        total += inflated;
    }
    Ok(())
}

/// A part name as a workbook has them (`xl/worksheets/sheet1.xml`): relative, `/`-separated, no
/// `..`, no drive letter or NUL. Nothing is extracted to disk, but such a name only comes from a
/// file made to attack an extractor.
fn is_plain_part_name(name: &str) -> bool {
    !name.starts_with('/')
        && !name.contains(['\\', '\0', ':'])
        && name.split('/').all(|component| component != "..")
}

/// Worksheets are streamed by calamine; every other part is loaded whole.
fn cap_of(name: &str) -> u64 {
    let streamed = name.starts_with("xl/worksheets/") && !name.contains("/_rels/");
    if streamed { MAX_TOTAL } else { MAX_LOADED_PART }
}

fn ratio_is_absurd(inflated: u64, compressed: u64) -> bool {
    inflated > RATIO_FLOOR && inflated / compressed.max(1) > MAX_RATIO
}

fn is_xml(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".xml") || lower.ends_with(".rels") || lower.ends_with(".vml")
}

/// Finds `<!DOCTYPE` or `<!ENTITY` (any case) in a stream read in chunks, across chunk ends.
#[derive(Default)]
struct DtdScanner {
    /// The last bytes of the previous chunk, which may hold the start of a declaration.
    carry: Vec<u8>,
}

impl DtdScanner {
    const LONGEST: usize = b"<!DOCTYPE".len();

    fn finds_dtd(&mut self, chunk: &[u8]) -> bool {
        let mut joined = std::mem::take(&mut self.carry);
        joined.extend_from_slice(&chunk[..chunk.len().min(Self::LONGEST)]);
        let found = Self::scan(&joined) || Self::scan(chunk);
        let keep = chunk.len().min(Self::LONGEST - 1);
        self.carry = chunk[chunk.len() - keep..].to_vec();
        found
    }

    fn scan(bytes: &[u8]) -> bool {
        let mut rest = bytes;
        while let Some(at) = rest.iter().position(|&b| b == b'<') {
            let after = &rest[at + 1..];
            let starts = |word: &[u8]| {
                after.len() >= word.len() && after[..word.len()].eq_ignore_ascii_case(word)
            };
            if starts(b"!DOCTYPE") || starts(b"!ENTITY") {
                return true;
            }
            rest = after;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};
    use zip::write::SimpleFileOptions;

    fn archive(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in entries {
            writer.start_file(*name, options).expect("entry");
            writer.write_all(bytes).expect("write");
        }
        writer.finish().expect("finish").into_inner()
    }

    fn check(bytes: Vec<u8>) -> Result<(), Unreadable> {
        check_archive(Cursor::new(bytes))
    }

    #[test]
    fn an_ordinary_workbook_passes() {
        let mut book = rust_xlsxwriter::Workbook::new();
        book.add_worksheet()
            .write_string(0, 0, "姓名")
            .expect("write");
        check(book.save_to_buffer().expect("saved")).expect("passes");
    }

    #[test]
    fn a_shared_string_table_over_its_cap_is_refused_while_reading() {
        // Written for real (not a lying header): 21 MiB of one byte inflates past the cap.
        let big = vec![b'a'; 21 * 1024 * 1024];
        let refused = check(archive(&[("xl/sharedStrings.xml", &big)])).expect_err("refused");
        assert!(refused.0.contains("解压后过大"), "{}", refused.0);
    }

    #[test]
    fn an_absurd_ratio_is_refused_even_under_the_caps() {
        let repeated = vec![b' '; 4 * 1024 * 1024];
        let refused = check(archive(&[("xl/worksheets/sheet1.xml", &repeated)])).expect_err("bomb");
        assert!(refused.0.contains("解压后过大"));
    }

    #[test]
    fn names_leaving_the_archive_are_refused() {
        for name in ["../../x", "xl/../../x", "xl/..\\..\\x", "C:/x"] {
            let refused = check(archive(&[(name, b"x")])).expect_err(name);
            assert!(refused.0.contains("可疑的路径"), "{name}: {}", refused.0);
        }
    }

    #[test]
    fn a_dtd_is_refused_even_across_chunks() {
        let mut xml = vec![b' '; 64 * 1024 - 4];
        xml.extend_from_slice(b"<!doctype x SYSTEM \"file:///etc/passwd\">");
        let refused = check(archive(&[("xl/workbook.xml", &xml)])).expect_err("dtd");
        assert!(refused.0.contains("DOCTYPE"));
    }

    #[test]
    fn not_a_zip_or_truncated_is_broken() {
        assert_eq!(
            check(b"PK\x03\x04garbage".to_vec()).expect_err("x").0,
            BROKEN
        );
        let mut whole = archive(&[("xl/workbook.xml", b"<workbook/>")]);
        whole.truncate(whole.len() / 2);
        assert_eq!(check(whole).expect_err("x").0, BROKEN);
    }
}
