//! Unit tests: the clean journey, then each condition on both sides of its boundary.

use jiff::civil::{Date, date};

use super::*;
use crate::development::file::Participant;

pub(super) const TODAY: Date = date(2026, 11, 23);

fn s(n: u8) -> StepNo {
    StepNo::of(n)
}

pub(super) fn full(name: &str, role: ParticipantRole) -> Participant {
    Participant {
        name: name.into(),
        role,
        full_member: true,
        member_id: None,
    }
}

pub(super) fn carried() -> VoteTally {
    VoteTally {
        expected_voters: 10,
        present_voters: 8,
        in_favour: 7,
        against: 0,
        abstaining: 1,
    }
}

/// A file that meets every rule, from application (2023-03-01) to archive (2026-01-20).
pub(super) fn journey() -> DevelopmentFile {
    let dates = [
        (1, date(2023, 3, 1)),
        (2, date(2023, 3, 20)),
        (3, date(2023, 9, 1)),
        (4, date(2023, 9, 5)),
        (5, date(2023, 9, 5)),
        (6, date(2023, 9, 10)),
        (7, date(2024, 9, 2)),
        (8, date(2024, 9, 5)),
        (9, date(2024, 9, 5)),
        (10, date(2024, 10, 10)),
        (11, date(2024, 10, 15)),
        (12, date(2024, 11, 1)),
        (13, date(2024, 11, 10)),
        (14, date(2024, 11, 20)),
        (15, date(2024, 12, 1)),
        (16, date(2024, 12, 20)),
        (17, date(2025, 1, 15)),
        (18, date(2025, 1, 20)),
        (19, date(2025, 1, 20)),
        (20, date(2025, 2, 1)),
        (21, date(2025, 2, 1)),
        (22, date(2025, 11, 20)),
        (23, date(2025, 12, 1)),
        (24, date(2026, 1, 10)),
        (25, date(2026, 1, 20)),
    ];
    let steps = dates
        .into_iter()
        .map(|(n, d)| {
            let mut r = StepRecord::on(s(n), d);
            match n {
                5 => {
                    r.people = vec![
                        full("李红梅", ParticipantRole::Contact),
                        full("张伟", ParticipantRole::Contact),
                    ]
                }
                6 => r.evaluations = vec![date(2024, 3, 1), date(2024, 8, 30)],
                9 => {
                    r.people = vec![
                        full("王建国", ParticipantRole::Sponsor),
                        full("李红梅", ParticipantRole::Sponsor),
                    ]
                }
                10 => r.documents = vec!["政治审查结论 2024-07".into()],
                11 => r.training_days = Some(3),
                15 | 23 => r.vote = Some(carried()),
                _ => {}
            }
            r
        })
        .collect();
    DevelopmentFile {
        birth_date: date(2000, 5, 10),
        steps,
        probation: ProbationDecisions::default(),
    }
}

/// The file with step `n` moved to `to`.
pub(super) fn with_date(mut file: DevelopmentFile, n: u8, to: Date) -> DevelopmentFile {
    if let Some(r) = file.steps.iter_mut().find(|r| r.step == s(n)) {
        r.date = to;
    }
    file
}

pub(super) fn edit(
    mut file: DevelopmentFile,
    n: u8,
    change: impl FnOnce(&mut StepRecord),
) -> DevelopmentFile {
    if let Some(r) = file.steps.iter_mut().find(|r| r.step == s(n)) {
        change(r);
    }
    file
}

/// The messages on step `n`.
pub(super) fn refusals(file: &DevelopmentFile, n: u8) -> Vec<String> {
    check(file, TODAY)
        .into_iter()
        .filter(|v| v.step == s(n))
        .map(|v| v.message)
        .collect()
}

fn clean_on(file: &DevelopmentFile, n: u8) {
    assert_eq!(refusals(file, n), Vec::<String>::new());
}

#[test]
fn a_file_that_follows_every_rule_is_clean() {
    assert_eq!(check(&journey(), TODAY), vec![]);
    assert_eq!(standing(&journey()), Standing::Completed);
}

#[test]
fn the_table_has_25_steps_in_five_stages_in_order() {
    assert_eq!(STEPS.len(), 25);
    for (i, info) in STEPS.iter().enumerate() {
        assert_eq!(usize::from(info.no), i + 1);
        assert!(
            info.prerequisites().all(|p| p.get() < info.no),
            "{}",
            info.name
        );
    }
    let stages: Vec<_> = StepNo::all().map(StepNo::stage).collect();
    assert!(stages.windows(2).all(|w| w[0] <= w[1]));
    let count = |stage| stages.iter().filter(|&&s| s == stage).count();
    assert_eq!(
        Stage::ALL.map(count),
        [2, 4, 5, 9, 5],
        "steps 1–2, 3–6, 7–11, 12–20, 21–25"
    );
    assert_eq!(s(7).name(), "确定发展对象");
    assert_eq!(s(25).name(), "材料归档");
    assert!(StepNo::new(0).is_err());
    assert!(StepNo::new(26).is_err());
}

#[test]
fn the_applicant_must_be_18_on_the_day_of_applying() {
    let mut file = journey();
    file.birth_date = date(2005, 3, 2);
    let messages = refusals(&file, 1);
    assert_eq!(
        messages,
        vec!["递交入党申请书时须年满 18 周岁，最早可于 2023-03-02 递交入党申请书"]
    );
    file.birth_date = date(2005, 3, 1);
    clean_on(&file, 1);
}

#[test]
fn a_leap_day_birth_turns_18_on_the_first_of_march() {
    let mut file = with_date(journey(), 1, date(2022, 2, 28));
    file.birth_date = date(2004, 2, 29);
    assert_eq!(refusals(&file, 1).len(), 1);
    let file = with_date(file, 1, date(2022, 3, 1));
    clean_on(&file, 1);
}

#[test]
fn the_talk_is_due_within_one_month_counting_to_the_month_end() {
    let file = with_date(
        with_date(journey(), 1, date(2023, 1, 31)),
        2,
        date(2023, 2, 28),
    );
    clean_on(&file, 2);
    let late = with_date(file, 2, date(2023, 3, 1));
    assert_eq!(
        refusals(&late, 2),
        vec!["党组织应在收到入党申请书后一个月内派人谈话，最晚应于 2023-02-28"]
    );
    let leap = with_date(
        with_date(journey(), 1, date(2024, 1, 31)),
        2,
        date(2024, 2, 29),
    );
    let leap = with_date(with_date(leap, 3, date(2024, 3, 1)), 2, date(2024, 2, 29));
    clean_on(&leap, 2);
    let late = with_date(leap, 2, date(2024, 3, 1));
    assert_eq!(refusals(&late, 2).len(), 1);
}

#[test]
fn a_development_candidate_has_been_an_activist_for_a_full_year() {
    let file = with_date(journey(), 3, date(2025, 3, 15));
    let file = with_date(file, 7, date(2026, 3, 14));
    assert!(
        refusals(&file, 7)
            .contains(&"成为入党积极分子未满一年，最早可于 2026-03-15 确定为发展对象".to_string()),
        "{:?}",
        refusals(&file, 7)
    );
    let file = with_date(file, 7, date(2026, 3, 15));
    assert!(!refusals(&file, 7).iter().any(|m| m.contains("未满一年")));
}

#[test]
fn contacts_are_one_or_two_full_members() {
    let none = edit(journey(), 5, |r| r.people.clear());
    assert_eq!(
        refusals(&none, 5),
        vec!["培养联系人须为 1 至 2 名正式党员，记录了 0 名"]
    );
    let three = edit(journey(), 5, |r| {
        r.people.push(full("赵六", ParticipantRole::Contact))
    });
    assert_eq!(refusals(&three, 5).len(), 1);
    let one = edit(journey(), 5, |r| {
        r.people.pop();
    });
    clean_on(&one, 5);
    let not_full = edit(journey(), 5, |r| r.people[0].full_member = false);
    assert_eq!(
        refusals(&not_full, 5),
        vec!["培养联系人「李红梅」须为正式党员"]
    );
}

#[test]
fn sponsors_are_exactly_two_full_members() {
    let one = edit(journey(), 9, |r| {
        r.people.pop();
    });
    assert_eq!(
        refusals(&one, 9),
        vec!["入党介绍人须为 2 名正式党员，记录了 1 名"]
    );
    let probationary = edit(journey(), 9, |r| r.people[1].full_member = false);
    assert_eq!(
        refusals(&probationary, 9),
        vec!["入党介绍人「李红梅」须为正式党员"]
    );
}

#[test]
fn the_political_review_needs_a_written_conclusion() {
    let file = edit(journey(), 10, |r| r.documents.clear());
    assert_eq!(refusals(&file, 10).len(), 1);
}

#[test]
fn concentrated_training_is_3_days_or_24_class_hours() {
    let short = edit(journey(), 11, |r| {
        r.training_days = Some(2);
        r.class_hours = Some(23);
    });
    assert_eq!(
        refusals(&short, 11),
        vec!["集中培训时间一般不少于 3 天或 24 个学时，记录为 2 天、23 学时"]
    );
    let hours = edit(short.clone(), 11, |r| r.class_hours = Some(24));
    clean_on(&hours, 11);
    let days = edit(short, 11, |r| r.training_days = Some(3));
    clean_on(&days, 11);
}

#[test]
fn the_admission_vote_needs_quorum_and_the_admission_majority() {
    let missing = edit(journey(), 15, |r| r.vote = None);
    assert_eq!(refusals(&missing, 15).len(), 1);
    let no_quorum = edit(journey(), 15, |r| {
        r.vote = Some(VoteTally {
            expected_voters: 10,
            present_voters: 5,
            in_favour: 5,
            against: 0,
            abstaining: 0,
        })
    });
    assert!(refusals(&no_quorum, 15)[0].starts_with("表决无效"));
    // 6 of 11 present, 5 in favour: a majority of those present, not of the 10 expected.
    let short = edit(journey(), 15, |r| {
        r.vote = Some(VoteTally {
            expected_voters: 10,
            present_voters: 6,
            in_favour: 5,
            against: 1,
            abstaining: 0,
        })
    });
    assert!(
        refusals(&short, 15)[0].contains("至少 6 票"),
        "{:?}",
        refusals(&short, 15)
    );
    let carried = edit(journey(), 15, |r| {
        r.vote = Some(VoteTally {
            expected_voters: 10,
            present_voters: 6,
            in_favour: 6,
            against: 0,
            abstaining: 0,
        })
    });
    clean_on(&carried, 15);
    let impossible = edit(journey(), 23, |r| {
        r.vote = Some(VoteTally {
            expected_voters: 10,
            present_voters: 11,
            in_favour: 6,
            against: 0,
            abstaining: 0,
        })
    });
    assert!(refusals(&impossible, 23)[0].starts_with("表决情况有误"));
}

#[test]
fn the_superior_approves_within_three_months_or_six_when_extended() {
    // Step 15 on 2024-12-01: due 2025-03-01, extended 2025-06-01.
    let on_time = with_date(journey(), 17, date(2025, 3, 1));
    clean_on(&on_time, 17);
    let late = with_date(on_time, 17, date(2025, 3, 2));
    assert_eq!(
        refusals(&late, 17),
        vec!["上级党委应在支部大会讨论后三个月内审批，最晚应于 2025-03-01"]
    );
    let extended = edit(late, 17, |r| r.approval_extended = true);
    clean_on(&extended, 17);
    let too_late = with_date(extended, 17, date(2025, 6, 2));
    assert_eq!(
        refusals(&too_late, 17),
        vec!["上级党委审批延长后总期限不得超过六个月，最晚应于 2025-06-01"]
    );
}

#[test]
fn the_oath_follows_the_approval() {
    let early = with_date(journey(), 20, date(2025, 1, 14));
    assert_eq!(
        refusals(&early, 20),
        vec!["不得早于第 17 步「上级党委审批」（2025-01-15），最早可于 2025-01-15"]
    );
    clean_on(&with_date(journey(), 20, date(2025, 1, 15)), 20);
}

#[test]
fn probation_lasts_exactly_one_year_from_the_admission_vote() {
    // Admitted 2024-12-01: probation ends 2025-12-01.
    let early = with_date(journey(), 23, date(2025, 11, 30));
    assert_eq!(
        refusals(&early, 23),
        vec!["预备期未满，最早可于 2025-12-01（预备期满）讨论转正"]
    );
    let late_application = with_date(journey(), 22, date(2025, 12, 2));
    assert!(
        refusals(&late_application, 22)
            .contains(&"转正申请应在预备期满前提出，最晚应于 2025-12-01".to_string())
    );
    clean_on(&with_date(journey(), 22, date(2025, 12, 1)), 22);
}

#[test]
fn the_conversion_is_approved_within_three_months() {
    clean_on(&with_date(journey(), 24, date(2026, 3, 1)), 24);
    let late = with_date(journey(), 24, date(2026, 3, 2));
    assert_eq!(
        refusals(&late, 24),
        vec!["上级党委应在支部大会讨论转正后三个月内审批，最晚应于 2026-03-01"]
    );
}

fn extended(months: u32) -> DevelopmentFile {
    let mut file = journey();
    file.probation.extension = Some(Extension {
        date: date(2025, 12, 1),
        months,
        vote: Some(carried()),
        reason: None,
    });
    // Extended end 2026-06-01 for six months: the conversion follows it.
    let file = with_date(file, 22, date(2026, 5, 20));
    let file = with_date(file, 23, date(2026, 6, 1));
    let file = with_date(file, 24, date(2026, 7, 1));
    with_date(file, 25, date(2026, 7, 2))
}

#[test]
fn an_extension_is_half_a_year_to_a_year_and_moves_the_conversion() {
    assert_eq!(check(&extended(6), TODAY), vec![]);
    let five = refusals(&extended(5), 23);
    assert!(five.iter().any(|m| m.contains("记录为 5 个月")), "{five:?}");
    assert!(
        !refusals(&extended(12), 23)
            .iter()
            .any(|m| m.contains("个月"))
    );
    assert!(
        refusals(&extended(13), 23)
            .iter()
            .any(|m| m.contains("记录为 13 个月"))
    );
    // Twelve months: probation until 2026-12-01, so a vote on 2026-06-01 is early (and in this test
    // calendar, the rest would be in the future).
    assert!(
        refusals(&extended(12), 23)
            .iter()
            .any(|m| m.contains("最早可于 2026-12-01"))
    );
    let mut early = extended(6);
    if let Some(e) = early.probation.extension.as_mut() {
        e.date = date(2025, 11, 30);
    }
    assert!(
        refusals(&early, 23)
            .contains(&"延长预备期：预备期满时方可讨论延长预备期，最早可于 2025-12-01".to_string())
    );
}

#[test]
fn after_a_cancellation_no_conversion_can_be_recorded() {
    let mut file = journey();
    file.probation.cancellation = Some(Cancellation {
        date: date(2025, 12, 1),
        vote: Some(carried()),
        reason: Some("不具备党员条件".into()),
    });
    assert!(
        refusals(&file, 23)
            .iter()
            .any(|m| m.contains("预备党员资格已于 2025-12-01 取消"))
    );
    file.steps.retain(|r| r.step < s(23));
    assert_eq!(check(&file, TODAY), vec![]);
    assert_eq!(standing(&file), Standing::Cancelled);
    assert!(next_steps(&file).is_empty());
    let mut unvoted = file;
    if let Some(c) = unvoted.probation.cancellation.as_mut() {
        c.vote = None;
    }
    assert_eq!(refusals(&unvoted, 23).len(), 1);
}

#[test]
fn dates_in_the_future_or_before_birth_are_refused() {
    let future = with_date(journey(), 25, date(2026, 11, 24));
    assert_eq!(
        refusals(&future, 25),
        vec!["日期 2026-11-24 晚于今天（2026-11-23），不能记录将来的日期"]
    );
    clean_on(&with_date(journey(), 25, TODAY), 25);
    let mut before_birth = journey();
    before_birth.birth_date = date(2023, 3, 2);
    assert!(
        refusals(&before_birth, 1)
            .contains(&"日期 2023-03-01 早于出生日期（2023-03-02）".to_string())
    );
}

#[test]
fn steps_out_of_order_are_refused() {
    let mut file = journey();
    file.steps.retain(|r| r.step != s(2));
    assert!(refusals(&file, 3).contains(&"须先记录第 2 步「党组织派人谈话」".to_string()));
    let file = with_date(journey(), 13, date(2024, 10, 31));
    assert_eq!(
        refusals(&file, 13),
        vec!["不得早于第 12 步「支部委员会审查」（2024-11-01），最早可于 2024-11-01"]
    );
    let mut twice = journey();
    twice.steps.push(StepRecord::on(s(4), date(2023, 9, 6)));
    assert_eq!(refusals(&twice, 4), vec!["第 4 步「上级党委备案」重复记录"]);
}

#[test]
fn the_activist_is_evaluated_at_least_every_half_year() {
    // Designated 2023-09-01: evaluations due by 2024-03-01, then six months after each.
    let late_first = edit(journey(), 6, |r| r.evaluations[0] = date(2024, 3, 2));
    assert_eq!(
        refusals(&late_first, 6),
        vec!["培养教育考察应至少每半年进行一次：2023-09-01 之后最晚应于 2024-03-01 考察"]
    );
    let none = edit(journey(), 6, |r| r.evaluations.clear());
    assert!(!refusals(&none, 6).is_empty());
}

#[test]
fn violations_print_as_the_command_line_contract() {
    let file = with_date(journey(), 7, date(2024, 8, 31));
    let lines: Vec<String> = check(&file, TODAY)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        lines,
        vec!["step 7: 成为入党积极分子未满一年，最早可于 2024-09-01 确定为发展对象"]
    );
}

#[test]
fn the_next_steps_carry_their_windows() {
    let mut file = journey();
    file.steps.retain(|r| r.step <= s(3));
    let next = next_steps(&file);
    let steps: Vec<u8> = next.iter().map(|n| n.step.get()).collect();
    assert_eq!(steps, vec![4, 5]);
    assert_eq!(standing(&file), Standing::InStage(Stage::Activist));
    let mut trained = journey();
    trained.steps.retain(|r| r.step <= s(6));
    assert_eq!(
        standing(&trained),
        Standing::InStage(Stage::Activist),
        "an activist until step 7"
    );
    file.steps.retain(|r| r.step == s(1));
    let talk = &next_steps(&file)[0];
    assert_eq!(talk.step, s(2));
    assert_eq!(talk.earliest, Some(date(2023, 3, 1)));
    assert_eq!(talk.latest, Some(date(2023, 4, 1)));
    assert!(talk.overdue(date(2023, 4, 2)));
    assert!(!talk.overdue(date(2023, 4, 1)));
}

#[test]
fn the_json_format_reads_and_refuses_bad_step_numbers() {
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error, I64Deserializer};
    let de: I64Deserializer<Error> = 26i64.into_deserializer();
    let err = <StepNo as serde::Deserialize>::deserialize(de).expect_err("out of range");
    assert!(err.to_string().contains("步骤编号须为 1 到 25"));
}
