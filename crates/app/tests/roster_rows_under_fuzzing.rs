//! The roster file's readers and row checks under fuzzing (issue #15), on stable Rust with
//! proptest: arbitrary bytes as a .csv or an .xlsx, a real workbook with damaged bytes, arbitrary
//! cells in the record check, and whole files through the import. Nothing may panic, a file is
//! imported whole or not at all, and valid rows come back as they were written. Case counts are
//! bounded so the file runs in seconds (the import cases each use a fresh SQLite database).

use dangjian_app::members::import::{self, Caller, ImportOutcome, RosterFile, sheet};
use dangjian_app::members::record::{self, MemberInput, PersonInput};
use dangjian_app::{App, AppError, AppSettings, RequestContext, demo};
use dangjian_domain::IdNumber;
use dangjian_domain::OrgId;
use dangjian_store::{ConnectOptions, Store};
use jiff::civil::Date;
use proptest::prelude::*;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn today() -> Date {
    Date::new(2026, 6, 1).expect("valid")
}

/// Text with what spreadsheets and CSV trip on: separators, quotes, line breaks, a BOM, invisible
/// and full-width characters, digits and Chinese.
fn hostile_cell(max: usize) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => "[0-9]",
        2 => "[,;\"'\r\n\t -/.*xX]",
        2 => "[张王李伟芳是否正式预备党员男女汉族]",
        1 => "[\u{feff}\u{200b}\u{202e}\u{0}\u{3000}０-９]",
        1 => any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(piece, 0..=max).prop_map(|pieces| pieces.concat())
}

/// Reads every row of a file; `Err` is the reader's refusal, which is fine, a panic is not.
fn read_all(name: &str, bytes: Vec<u8>) -> Result<usize, sheet::Unreadable> {
    let mut rows = 0usize;
    sheet::read_rows(
        RosterFile::from_bytes(name, bytes),
        |_| {},
        |row| {
            rows += 1;
            let _ = row.is_blank();
            true
        },
    )?;
    Ok(rows)
}

/// The import template, a real .xlsx written by the product.
fn template() -> Vec<u8> {
    dangjian_app::members::export::import_template(Caller::CommandLine).expect("template")
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn any_bytes_as_a_csv_are_read_or_refused(
        bytes in proptest::collection::vec(any::<u8>(), 0..600),
    ) {
        let _ = read_all("名册.csv", bytes);
    }

    #[test]
    fn any_text_as_a_csv_is_read_or_refused(text in hostile_cell(300)) {
        let _ = read_all("名册.csv", text.clone().into_bytes());
        let _ = read_all("名册.csv", format!("\u{feff}姓名,身份证号,党员类别\n{text}").into_bytes());
    }

    #[test]
    fn any_bytes_behind_a_zip_signature_are_refused_or_read(
        tail in proptest::collection::vec(any::<u8>(), 0..600),
    ) {
        let mut bytes = b"PK\x03\x04".to_vec();
        bytes.extend(tail);
        let _ = read_all("名册.xlsx", bytes);
    }
}

proptest! {
    #![proptest_config(config(96))]

    #[test]
    fn a_damaged_workbook_is_refused_or_read(
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in proptest::option::of(any::<prop::sample::Index>()),
    ) {
        let mut bytes = template();
        for (at, value) in flips {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        if let Some(cut) = cut {
            bytes.truncate(cut.index(bytes.len()));
        }
        let _ = read_all("名册.xlsx", bytes);
    }
}

#[test]
fn the_undamaged_template_reads_its_header() {
    assert_eq!(read_all("名册.xlsx", template()), Ok(1));
}

// ---- The record check every row and every form goes through ---------------------------------

fn any_input() -> impl Strategy<Value = MemberInput> {
    let fields = proptest::collection::vec(hostile_cell(24), 13);
    let flags = proptest::array::uniform4(any::<bool>());
    (fields, flags).prop_map(|(f, flags)| MemberInput {
        person: PersonInput {
            name: f[0].clone(),
            gender: f[1].clone(),
            ethnicity: f[2].clone(),
            birth_date: f[3].clone(),
            id_number: f[4].clone(),
            phone: f[5].clone(),
            education: f[6].clone(),
            job_title: f[7].clone(),
            work_unit: f[8].clone(),
        },
        category: f[9].clone(),
        joined_on: f[10].clone(),
        full_member_on: f[11].clone(),
        status: f[12].clone(),
        is_mobile: flags[0],
        is_leading_cadre: flags[1],
        is_retired: flags[2],
        in_hardship: flags[3],
    })
}

/// A member the rules accept: born 1950–1990, joined at 20 or later, a full member a year on.
#[derive(Debug, Clone)]
struct Person {
    name: String,
    id_number: String,
    phone: String,
    joined_on: String,
    full_member_on: String,
}

fn valid_person() -> impl Strategy<Value = Person> {
    (
        "[张王李赵刘][伟芳娜秀英敏静丽强磊军]{1,2}",
        1950i16..=1990,
        1i8..=12,
        1i8..=28,
        0u16..1000,
        20i16..=30,
        "1[3-9][0-9]{9}",
    )
        .prop_map(|(name, y, m, d, seq, age, phone)| {
            // Not the demo's area code (610502): no row collides with a demo member.
            let body = format!("130102{y:04}{m:02}{d:02}{seq:03}");
            let id_number = IdNumber::from_body(&body)
                .expect("a real date")
                .as_str()
                .to_string();
            let joined = y + age;
            Person {
                name,
                id_number,
                phone,
                joined_on: format!("{joined}-07-01"),
                full_member_on: format!("{}-07-01", joined + 1),
            }
        })
}

fn input_of(p: &Person) -> MemberInput {
    MemberInput {
        person: PersonInput {
            name: p.name.clone(),
            id_number: p.id_number.clone(),
            phone: p.phone.clone(),
            ..PersonInput::with_usual_defaults()
        },
        category: "正式党员".into(),
        joined_on: p.joined_on.clone(),
        full_member_on: p.full_member_on.clone(),
        ..MemberInput::default()
    }
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn the_record_check_never_panics(input in any_input()) {
        if let Ok(checked) = record::check(&input, today()) {
            // Accepted means every field is in its stored form.
            prop_assert!(IdNumber::parse(&checked.fields.id_number).is_ok());
            prop_assert!(!checked.fields.name.is_empty());
        }
        let _ = record::parse_date(&input.person.birth_date);
    }

    #[test]
    fn a_valid_record_keeps_what_was_typed(person in valid_person()) {
        let checked = record::check(&input_of(&person), today())
            .unwrap_or_else(|e| panic!("{person:?}: {e:?}"));
        let f = checked.fields;
        prop_assert_eq!(&f.name, &person.name);
        prop_assert_eq!(&f.id_number, &person.id_number);
        prop_assert_eq!(&f.phone, &person.phone);
        prop_assert_eq!(f.joined_on.as_deref(), Some(person.joined_on.as_str()));
        prop_assert_eq!(f.full_member_on.as_deref(), Some(person.full_member_on.as_str()));
        let born = IdNumber::parse(&person.id_number).expect("valid").birth_date();
        prop_assert_eq!(f.birth_date, born.to_string());
    }
}

// ---- Whole files through the import ----------------------------------------------------------

fn csv_cell(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// A row of the file: a valid person, or one with a fuzzed cell in place of one of their fields.
#[derive(Debug, Clone)]
struct Row {
    person: Person,
    damage: Option<(usize, String)>,
}

fn any_row() -> impl Strategy<Value = Row> {
    (
        valid_person(),
        proptest::option::weighted(0.3, (0usize..5, hostile_cell(16))),
    )
        .prop_map(|(person, damage)| Row { person, damage })
}

fn csv_of(rows: &[Row]) -> Vec<u8> {
    let mut text = String::from("\u{feff}姓名,身份证号,党员类别,入党日期,转正日期,手机号\n");
    for row in rows {
        let p = &row.person;
        let mut cells = [
            p.name.clone(),
            p.id_number.clone(),
            "正式党员".to_string(),
            p.joined_on.clone(),
            p.full_member_on.clone(),
            p.phone.clone(),
        ];
        if let Some((at, junk)) = &row.damage {
            cells[*at] = junk.clone();
        }
        let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        text.push_str(&line.join(","));
        text.push('\n');
    }
    text.into_bytes()
}

async fn demo_app(dir: &tempfile::TempDir) -> (App, Store) {
    let url = format!("sqlite://{}", dir.path().join("fuzz.db").display());
    let store = Store::connect(&url, &ConnectOptions::default())
        .await
        .expect("connect");
    store.migrate().await.expect("migrate");
    let app = App::new(store.clone(), AppSettings::default());
    assert!(demo::load_demo(&app).await.expect("load demo"));
    (app, store)
}

/// The demo's 综合党小组, found without signing in.
async fn group(store: &Store) -> OrgId {
    let mut handle = store.acquire().await.expect("connection");
    let org = dangjian_store::orgs::all_orgs(handle.conn())
        .await
        .expect("orgs")
        .into_iter()
        .find(|o| o.name == "综合党小组")
        .expect("the demo's group");
    OrgId(org.id)
}

async fn import_rows(rows: Vec<Row>) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().expect("temp dir");
    let (app, store) = demo_app(&dir).await;
    let target = group(&store).await;
    let outcome = import::import_members(
        &app,
        Caller::CommandLine,
        target,
        RosterFile::from_bytes("名册.csv", csv_of(&rows)),
        &RequestContext::command_line(),
        &(),
    )
    .await;
    let ids: Vec<&str> = rows.iter().map(|r| r.person.id_number.as_str()).collect();
    let mut handle = store.acquire().await.expect("connection");
    let present = dangjian_store::members::existing_id_numbers(handle.conn(), &ids)
        .await
        .expect("look up");
    let mut distinct = ids.clone();
    distinct.sort_unstable();
    distinct.dedup();
    let clean = rows.iter().all(|r| r.damage.is_none()) && distinct.len() == ids.len();
    match outcome {
        Ok(ImportOutcome::Imported(imported)) => {
            prop_assert_eq!(imported.count as usize, rows.len());
            for row in rows.iter().filter(|r| r.damage.is_none()) {
                let id = dangjian_store::members::member_id_by_id_number(
                    handle.conn(),
                    &row.person.id_number,
                )
                .await
                .expect("look up")
                .expect("imported");
                let stored = dangjian_store::members::member_by_id(handle.conn(), id)
                    .await
                    .expect("read")
                    .expect("there");
                prop_assert_eq!(&stored.name, &row.person.name);
                prop_assert_eq!(&stored.phone, &row.person.phone);
            }
        }
        Ok(ImportOutcome::Rejected(rejected)) => {
            prop_assert!(!clean, "a clean file was rejected: {:?}", rejected.errors);
            prop_assert!(rejected.total_errors > 0 && !rejected.errors.is_empty());
            prop_assert!(present.is_empty(), "a rejected file wrote {:?}", present);
        }
        Err(error) => {
            prop_assert!(
                !matches!(error, AppError::Internal(_) | AppError::Unexpected(_)),
                "{:?}",
                error
            );
            prop_assert!(!clean, "a clean file failed: {:?}", error);
            prop_assert!(present.is_empty(), "a failed import wrote {:?}", present);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(12))]

    #[test]
    fn a_file_is_imported_whole_as_written_or_not_at_all(
        rows in proptest::collection::vec(any_row(), 1..12),
    ) {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(import_rows(rows))?;
    }
}
