//! The other branch the matrix aims at: built by the administrator beside the demo's, its ids by
//! object kind, and what an administrator sees of it.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::activities::{act, yesterday};
use crate::development::id_number;
use crate::helpers::*;
use crate::orgs::org_id;

/// The other branch: what was created in it, by object kind (the path segment before `{id}`),
/// and the words that would show its data if an answer leaked any.
pub struct Foreign {
    pub ids: BTreeMap<&'static str, Vec<i64>>,
    pub secrets: Vec<&'static str>,
    branch: i64,
    activity: i64,
    held: i64,

    applicant: i64,
}

const BRANCH_NAME: &str = "城东派出所党支部";
const GROUP_NAME: &str = "城东巡逻党小组";
const OTHER_BRANCH_NAME: &str = "城北派出所党支部";
const MEMBER_NAME: &str = "欧阳振华";
const MOVER_NAME: &str = "司马晓琳";
const MEMBER_PHONE: &str = "13977770001";
const MOVER_PHONE: &str = "13977770002";
const STAYER_NAME: &str = "上官慧敏";
const TOPIC: &str = "城东专题党课";
const HELD_TOPIC: &str = "城东巡逻小组会";
const APPLICANT_NAME: &str = "诸葛青云";
const ACCOUNT_NAME: &str = "城东书记";
const ACCOUNT_PHONE: &str = "13977770009";
const AWARD_TITLE: &str = "城东年度评选";
const PROPOSAL_REASON: &str = "城东志愿服务";

async fn created_id(response: reqwest::Response, pointer: &str, what: &str) -> i64 {
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{what}: {status} {body}");
    body.pointer(pointer)
        .and_then(Value::as_i64)
        .unwrap_or_else(|| panic!("{what}: no {pointer} in {body}"))
}

async fn ok(response: reqwest::Response, what: &str) {
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    assert!(status.is_success(), "{what}: {status} {body}");
}

impl Foreign {
    /// Builds the other branch beside the demo's, under the same committee, as the system
    /// administrator: the demo branch's roles reach only their own subtree, so none of this.
    pub async fn create(admin: &TestApp) -> Foreign {
        let committee = org_id(admin, "临渭公安分局党委").await;
        let org = |parent: i64, kind: &str, name: &str| {
            json!({
                "parent_id": parent,
                "kind": kind,
                "name": name,
            })
        };
        let branch = created_id(
            admin
                .post_json("/api/v1/orgs", &org(committee, "branch", BRANCH_NAME))
                .await,
            "/id",
            "branch",
        )
        .await;
        let group = created_id(
            admin
                .post_json("/api/v1/orgs", &org(branch, "group", GROUP_NAME))
                .await,
            "/id",
            "group",
        )
        .await;
        let other_branch = created_id(
            admin
                .post_json("/api/v1/orgs", &org(committee, "branch", OTHER_BRANCH_NAME))
                .await,
            "/id",
            "other branch",
        )
        .await;
        let member = |name: &str, seq: u32, phone: &str| {
            json!({"org_id": group, "name": name, "id_number": id_number(seq), "phone": phone,
                   "category": "正式党员", "joined_on": "2020-07-01", "full_member_on": "2021-07-01"})
        };
        let host = created_id(
            admin
                .post_json("/api/v1/members", &member(MEMBER_NAME, 901, MEMBER_PHONE))
                .await,
            "/id",
            "member",
        )
        .await;
        let mover = created_id(
            admin
                .post_json("/api/v1/members", &member(MOVER_NAME, 902, MOVER_PHONE))
                .await,
            "/id",
            "second member",
        )
        .await;
        let stayer = created_id(
            admin
                .post_json("/api/v1/members", &member(STAYER_NAME, 904, "13977770003"))
                .await,
            "/id",
            "third member",
        )
        .await;
        let account = created_id(
            admin
                .post_json(
                    "/api/v1/accounts",
                    &json!({"phone": ACCOUNT_PHONE, "name": ACCOUNT_NAME, "role": "org_admin",
                            "org_id": branch, "password": "chengdong2026"}),
                )
                .await,
            "/account/id",
            "account",
        )
        .await;
        // The other branch's own secretary approves what the administrator plans there.
        let chief = admin.new_browser();
        ok(
            chief.login_api(ACCOUNT_PHONE, "chengdong2026").await,
            "sign in",
        )
        .await;
        ok(
            chief
                .post_json(
                    "/api/v1/me/password",
                    &json!({"current_password": "chengdong2026", "new_password": "chengdong2027"}),
                )
                .await,
            "password",
        )
        .await;
        let token = created_id(
            admin
                .post_json(
                    "/api/v1/tokens",
                    &json!({"account_id": account, "name": "城东对接"}),
                )
                .await,
            "/token/id",
            "token",
        )
        .await;

        // A group meeting planned, approved and published, and one held yesterday with a photo.
        let meeting = |topic: &str, date: &str| {
            json!({"org_id": group, "kind": "group_meeting", "topic": topic, "date": date,
                   "start": "09:00", "end": "10:00", "place": "城东所二楼",
                   "host_member_id": host, "recorder_member_id": host})
        };
        let mut activities = Vec::new();
        let next_week = today()
            .checked_add(jiff::ToSpan::days(7))
            .expect("date")
            .to_string();
        for (topic, date) in [(TOPIC, next_week), (HELD_TOPIC, yesterday())] {
            let id = created_id(
                admin
                    .post_json("/api/v1/activities", &meeting(topic, &date))
                    .await,
                "/activity/id",
                "activity",
            )
            .await;
            ok(act(admin, id, "submit", "").await, "submit").await;
            ok(act(&chief, id, "approve", "同意").await, "approve").await;
            ok(act(admin, id, "publish", "").await, "publish").await;
            activities.push(id);
        }
        let held = activities[1];
        ok(
            admin
                .post_json(
                    &format!("/api/v1/activities/{held}/attendance"),
                    &json!({"member_id": host, "status": "present"}),
                )
                .await,
            "attendance",
        )
        .await;
        ok(act(admin, held, "finish", "").await, "finish").await;
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        let photo = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(png).file_name("城东现场.png"),
        );
        let attachment = created_id(
            admin
                .client
                .post(admin.url(&format!("/api/v1/activities/{held}/attachments")))
                .header("X-CSRF-Token", admin.csrf().await)
                .multipart(photo)
                .send()
                .await
                .expect("request"),
            "/id",
            "attachment",
        )
        .await;

        ok(
            admin
                .post_json(
                    &format!("/api/v1/orgs/{branch}/dues/sheet/open"),
                    &json!({"month": today().strftime("%Y-%m").to_string()}),
                )
                .await,
            "dues sheet",
        )
        .await;
        let proposal = created_id(
            admin
                .post_json(
                    "/api/v1/points/proposals",
                    &json!({
                        "member_id": host,
                        "item_code": "A01",
                        "points": "3",
                        "reason": PROPOSAL_REASON,
                    }),
                )
                .await,
            "/id",
            "proposal",
        )
        .await;
        let mut handle = admin.store.acquire().await.expect("connection");
        let entries: Vec<i64> = dangjian_store::points::ledger::all_entries(handle.conn())
            .await
            .expect("entries")
            .into_iter()
            .filter(|e| e.member_id == host)
            .map(|e| e.id)
            .collect();
        drop(handle);
        assert!(!entries.is_empty(), "the held meeting awarded points");
        let applicant = created_id(
            admin
                .post_json(
                    "/api/v1/development/applicants",
                    &json!({"org_id": branch, "name": APPLICANT_NAME, "id_number": id_number(903),
                            "received_on": yesterday()}),
                )
                .await,
            "/applicant/id",
            "applicant",
        )
        .await;
        let transfer = created_id(
            admin
                .post_json(
                    "/api/v1/transfers",
                    &json!({"member_id": mover, "to_org_id": other_branch, "reason": "工作调动"}),
                )
                .await,
            "/id",
            "transfer",
        )
        .await;
        // A settled transfer too: its state is no one else's business either.
        let settled = created_id(
            admin
                .post_json(
                    "/api/v1/transfers",
                    &json!({"member_id": stayer, "to_org_id": other_branch, "reason": "工作调动"}),
                )
                .await,
            "/id",
            "second transfer",
        )
        .await;
        ok(
            admin
                .post_json(&format!("/api/v1/transfers/{settled}/cancel"), &json!({}))
                .await,
            "cancel",
        )
        .await;
        let award = created_id(
            admin
                .post_json(
                    &format!("/api/v1/orgs/{branch}/awards"),
                    &json!({"title": AWARD_TITLE}),
                )
                .await,
            "/id",
            "award",
        )
        .await;
        let evaluation = created_id(
            admin
                .post_json(
                    &format!("/api/v1/orgs/{branch}/evaluations"),
                    &json!({"year": today().year()}),
                )
                .await,
            "/id",
            "evaluation",
        )
        .await;
        let ids = BTreeMap::from([
            ("orgs", vec![branch, group]),
            ("members", vec![host, mover, stayer]),
            ("activities", activities.clone()),
            ("checkin", activities.clone()),
            ("attachments", vec![attachment]),
            ("accounts", vec![account]),
            ("tokens", vec![token]),
            ("awards", vec![award]),
            ("evaluations", vec![evaluation]),
            ("applicants", vec![applicant]),
            ("entries", entries),
            ("proposals", vec![proposal]),
            ("transfers", vec![transfer, settled]),
        ]);
        Foreign {
            ids,
            secrets: vec![
                BRANCH_NAME,
                GROUP_NAME,
                MEMBER_NAME,
                MOVER_NAME,
                MEMBER_PHONE,
                MOVER_PHONE,
                STAYER_NAME,
                TOPIC,
                HELD_TOPIC,
                APPLICANT_NAME,
                ACCOUNT_NAME,
                ACCOUNT_PHONE,
                AWARD_TITLE,
                PROPOSAL_REASON,
            ],
            branch,
            activity: activities[0],
            held,

            applicant,
        }
    }

    /// The concrete paths of a route, one per combination of the foreign objects its parameters
    /// name; an error when a parameter names a kind this test cannot supply.
    pub fn paths(&self, pattern: &str) -> Result<Vec<String>, String> {
        let mut paths = vec![String::new()];
        let mut previous = "";
        for segment in pattern.trim_start_matches('/').split('/') {
            let choices: Vec<String> = if segment.starts_with('{') {
                let kind = if segment == "{id}" {
                    previous
                } else {
                    segment.trim_matches(['{', '}']).trim_end_matches("_id")
                };
                let kind = if kind == "attachment" {
                    "attachments"
                } else {
                    kind
                };
                let ids = self
                    .ids
                    .get(kind)
                    .ok_or_else(|| format!("no foreign object of kind `{kind}` for {pattern}"))?;
                ids.iter().map(i64::to_string).collect()
            } else {
                vec![segment.to_string()]
            };
            previous = segment;
            paths = paths
                .iter()
                .flat_map(|p| choices.iter().map(move |c| format!("{p}/{c}")))
                .collect();
        }
        Ok(paths)
    }

    /// A value for a body's integer field: the other branch's object when the name says which
    /// kind (`member_id`, `to_org_id`), else 1.
    pub fn id_named(&self, field: &str) -> i64 {
        let kind = match field.trim_end_matches("_id") {
            "member" | "host_member" | "recorder_member" => "members",
            "org" | "to_org" | "group" | "parent" | "branch" => "orgs",
            "account" => "accounts",
            "activity" => "activities",
            "nomination" => "awards",
            _ => return 1,
        };
        self.ids[kind][0]
    }

    /// What an administrator sees of the other branch: equal before and after the matrix when
    /// nothing was changed there.
    pub async fn snapshot(&self, admin: &TestApp) -> Vec<(String, Value)> {
        let month = today().strftime("%Y-%m").to_string();
        let mut seen = Vec::new();
        let mut paths = vec![
            format!("/api/v1/orgs/{}", self.branch),
            format!("/api/v1/activities/{}", self.activity),
            format!("/api/v1/activities/{}", self.held),
            format!("/api/v1/development/applicants/{}", self.applicant),
            format!("/api/v1/orgs/{}/dues/sheet?month={month}", self.branch),
            format!("/api/v1/orgs/{}/positions", self.branch),
            format!("/api/v1/orgs/{}/member-accounts?per_page=200", self.branch),
            "/api/v1/orgs".to_string(),
            "/api/v1/transfers".to_string(),
            "/api/v1/accounts?per_page=200".to_string(),
        ];
        for kind in ["members", "awards", "evaluations", "tokens"] {
            for id in &self.ids[kind] {
                if kind != "tokens" {
                    paths.push(format!("/api/v1/{kind}/{id}"));
                }
            }
        }
        for path in paths {
            let (status, body) = admin.get_json(&path).await;
            seen.push((format!("{path} {status}"), body));
        }
        seen
    }
}
