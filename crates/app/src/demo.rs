//! The demo organization that `serve --demo` and `dangjian demo` load: the police station of the
//! product's source material (临渭公安分局党委 → 站南派出所党支部, 27 Party members among 33
//! officers, a full committee and three groups) and a state-owned enterprise's committee with two
//! branches, so the tree has depth. Names, ID numbers and phones are synthetic but valid. A few
//! structure problems are deliberate, so the health check has something to show.

use dangjian_domain::id_number::IdNumber;
use dangjian_domain::structure::Position;
use dangjian_domain::time::to_micros;
use dangjian_domain::{OrgKind, Role};
use dangjian_store::accounts::{self, NewAccount};
use dangjian_store::members::{self, MemberFields};
use dangjian_store::orgs::{self, NewOrg};
use dangjian_store::positions::{self, NewPosition};
use dangjian_store::{Tx, settings};
use jiff::ToSpan;

use crate::audit::{self, AuditAction, AuditEntity, Entry, Who};
use crate::members::record::{self, MemberInput, PersonInput};
use crate::secrets::hash_password;
use crate::{App, AppError, AppResult, RequestContext};

/// The demo password of every demo account (printed at start; never for real use).
pub const DEMO_PASSWORD: &str = "demo2026";

#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub role: Role,
    pub name: &'static str,
    pub phone: &'static str,
    pub org: Option<&'static str>,
}

pub const DEMO_ACCOUNTS: [DemoAccount; 4] = [
    DemoAccount {
        role: Role::SystemAdmin,
        name: "系统管理员",
        phone: "13800000000",
        org: None,
    },
    DemoAccount {
        role: Role::OrgAdmin,
        name: "王建国",
        phone: "13800000001",
        org: Some("站南派出所党支部"),
    },
    DemoAccount {
        role: Role::GroupLeader,
        name: "李红梅",
        phone: "13800000002",
        org: Some("综合党小组"),
    },
    DemoAccount {
        role: Role::Member,
        name: "张伟",
        phone: "13800000003",
        org: Some("综合党小组"),
    },
];

const SURNAMES: [&str; 20] = [
    "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马",
    "罗", "梁", "宋", "郑",
];
const GIVEN: [&str; 16] = [
    "强", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "华", "平", "辉",
];

/// The n-th synthetic person: a name, a valid ID number from 临渭区 (610502), a phone, a birth date.
fn person(n: usize, name: Option<&str>) -> (String, String, String, jiff::civil::Date) {
    let name = name.map(str::to_string).unwrap_or_else(|| {
        format!(
            "{}{}",
            SURNAMES[n % SURNAMES.len()],
            GIVEN[(n * 7 + n / SURNAMES.len()) % GIVEN.len()]
        )
    });
    let birth = jiff::civil::date(1968, 1, 1).saturating_add(((n * 389) as i64 % 9000).days());
    // Odd sequence digits are men, even women; alternate so the roster has both.
    let sequence = 100 + (n * 2) % 800 + (n % 2);
    let body = format!("610502{}{sequence:03}", birth.strftime("%Y%m%d"));
    let id = IdNumber::from_body(&body)
        .map(|id| id.as_str().to_string())
        .unwrap_or_default();
    (name, id, format!("139{:08}", 10_000 + n), birth)
}

struct Seeder<'a> {
    tx: &'a mut Tx,
    now: i64,
    count: usize,
}

impl Seeder<'_> {
    async fn org(
        &mut self,
        parent: Option<(i64, &str)>,
        kind: OrgKind,
        name: &str,
    ) -> AppResult<(i64, String)> {
        Ok(orgs::insert_org(
            self.tx.conn(),
            &NewOrg::plain(parent, kind.code(), name, self.now),
        )
        .await?)
    }

    /// Adds a member checked by the same rules as the roster form.
    async fn member(
        &mut self,
        branch: i64,
        group: Option<i64>,
        name: Option<&str>,
        probationary: bool,
        job: &str,
    ) -> AppResult<i64> {
        self.count += 1;
        let (name, id_number, phone, birth) = person(self.count, name);
        // Joined in their twenties or thirties, and at least two years ago for a full member.
        let joined = birth
            .saturating_add(((22 + self.count % 15) as i64).years())
            .min(crate::clock::day_of(self.tx).saturating_sub(2.years()));
        let joined = if probationary {
            crate::clock::day_of(self.tx).saturating_sub(5.months())
        } else {
            joined
        };
        let input = MemberInput {
            person: PersonInput {
                name,
                id_number,
                phone,
                job_title: job.to_string(),
                education: if self.count.is_multiple_of(3) {
                    "大学本科"
                } else {
                    "大学专科"
                }
                .into(),
                ..PersonInput::default()
            },
            category: if probationary {
                "预备党员"
            } else {
                "正式党员"
            }
            .into(),
            joined_on: joined.to_string(),
            full_member_on: if probationary {
                String::new()
            } else {
                joined.saturating_add(1.year()).to_string()
            },
            is_leading_cadre: job.contains("所长"),
            ..MemberInput::default()
        };
        let checked = record::check(&input, crate::clock::day_of(self.tx))
            .map_err(AppError::InvalidFields)?;
        let fields = MemberFields {
            branch_id: branch,
            group_id: group,
            ..checked.fields
        };
        Ok(members::insert_member(self.tx.conn(), &fields, self.now).await?)
    }

    async fn position(
        &mut self,
        org: i64,
        member: i64,
        position: Position,
        started: jiff::civil::Date,
        term_years: i16,
    ) -> AppResult<()> {
        let (started, ends) = (
            started.to_string(),
            started.saturating_add(term_years.years()).to_string(),
        );
        let new = NewPosition {
            org_id: org,
            member_id: member,
            position: position.code(),
            started_on: &started,
            obtained_by: "election",
            term_ends_on: Some(&ends),
            now: self.now,
        };
        positions::insert_position(self.tx.conn(), &new).await?;
        Ok(())
    }
}

/// Loads the demo organization into an empty database; does nothing if it is already there.
/// Refuses a database that holds other data.
pub async fn load_demo(app: &App) -> AppResult<bool> {
    let mut handle = app.store.acquire().await?;
    if settings::get(handle.conn(), settings::DEMO_LOADED)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    if accounts::count_accounts(handle.conn()).await? > 0
        || orgs::count_orgs(handle.conn()).await? > 0
    {
        return Err(AppError::Conflict(
            "数据库中已有数据，演示数据只能载入空数据库".into(),
        ));
    }
    drop(handle);
    let hash = hash_password(DEMO_PASSWORD.to_string()).await?;
    let now = to_micros(app.now());
    let mut tx = app.begin().await?;
    settings::insert(tx.conn(), settings::DEMO_LOADED, &now.to_string()).await?;
    settings::insert(tx.conn(), settings::SETUP_COMPLETED, &now.to_string()).await?;
    let mut seed = Seeder {
        tx: &mut tx,
        now,
        count: 0,
    };

    // 临渭公安分局党委 → 站南派出所党支部: a healthy branch whose committee's term ends soon.
    let (bureau, bureau_path) = seed
        .org(None, OrgKind::Committee, "临渭公安分局党委")
        .await?;
    let (station, station_path) = seed
        .org(
            Some((bureau, &bureau_path)),
            OrgKind::Branch,
            "站南派出所党支部",
        )
        .await?;
    let mut groups = Vec::new();
    for name in ["综合党小组", "刑侦党小组", "治安党小组"] {
        groups.push(
            seed.org(Some((station, &station_path)), OrgKind::Group, name)
                .await?
                .0,
        );
    }
    let term_start = app
        .today()
        .saturating_sub(3.years())
        .saturating_add(2.months());
    let committee = [
        (Some("王建国"), Position::Secretary, "所长"),
        (None, Position::DeputySecretary, "教导员"),
        (None, Position::OrganizationMember, "副所长"),
        (None, Position::PublicityMember, "民警"),
        (None, Position::DisciplineMember, "民警"),
    ];
    let mut member_of_account = Vec::new();
    for (i, (name, position, job)) in committee.into_iter().enumerate() {
        let id = seed
            .member(station, Some(groups[i % 3]), name, false, job)
            .await?;
        seed.position(station, id, position, term_start, 3).await?;
        if name.is_some() {
            member_of_account.push(("王建国", id));
        }
    }
    let leaders = [(Some("李红梅"), 0), (None, 1), (None, 2)];
    for (name, group) in leaders {
        let id = seed
            .member(station, Some(groups[group]), name, false, "警长")
            .await?;
        seed.position(groups[group], id, Position::GroupLeader, term_start, 3)
            .await?;
        if let Some(name) = name {
            member_of_account.push((name, id));
        }
    }
    member_of_account.push((
        "张伟",
        seed.member(station, Some(groups[0]), Some("张伟"), false, "民警")
            .await?,
    ));
    for n in 0..18 {
        let probationary = n >= 16;
        seed.member(
            station,
            Some(groups[n % 3]),
            None,
            probationary,
            if n % 4 == 0 { "辅警" } else { "民警" },
        )
        .await?;
    }

    // 渭南热电有限公司党委: a bigger branch without a committee and a group without a leader, and
    // a branch below the minimum size that is not a joint branch.
    let (plant, plant_path) = seed
        .org(None, OrgKind::Committee, "渭南热电有限公司党委")
        .await?;
    let (operations, operations_path) = seed
        .org(
            Some((plant, &plant_path)),
            OrgKind::Branch,
            "生产运营党支部",
        )
        .await?;
    let (shift_one, _) = seed
        .org(
            Some((operations, &operations_path)),
            OrgKind::Group,
            "运行一班党小组",
        )
        .await?;
    let (shift_two, _) = seed
        .org(
            Some((operations, &operations_path)),
            OrgKind::Group,
            "运行二班党小组",
        )
        .await?;
    let secretary = seed
        .member(operations, Some(shift_one), None, false, "值长")
        .await?;
    seed.position(
        operations,
        secretary,
        Position::Secretary,
        app.today().saturating_sub(1.year()),
        3,
    )
    .await?;
    let shift_leader = seed
        .member(operations, Some(shift_one), None, false, "班长")
        .await?;
    seed.position(
        shift_one,
        shift_leader,
        Position::GroupLeader,
        app.today().saturating_sub(1.year()),
        3,
    )
    .await?;
    for n in 0..6 {
        let group = if n == 5 {
            None
        } else if n % 2 == 0 {
            Some(shift_one)
        } else {
            Some(shift_two)
        };
        seed.member(operations, group, None, false, "运行工")
            .await?;
    }
    let (office, _) = seed
        .org(Some((plant, &plant_path)), OrgKind::Branch, "机关党支部")
        .await?;
    let clerk = seed.member(office, None, None, false, "办公室主任").await?;
    seed.position(
        office,
        clerk,
        Position::Secretary,
        app.today().saturating_sub(4.years()),
        3,
    )
    .await?;
    seed.member(office, None, None, false, "会计").await?;
    // Dues (issue #6): the operations branch's bases from January and this month's sheet.
    crate::dues::seed_demo(seed.tx, operations).await?;

    let group_of = |name: &str| {
        if name == "站南派出所党支部" {
            station
        } else {
            groups[0]
        }
    };
    for demo in &DEMO_ACCOUNTS {
        let member_id = member_of_account
            .iter()
            .find(|(name, _)| *name == demo.name)
            .map(|(_, id)| *id);
        let new = NewAccount {
            phone: demo.phone,
            name: demo.name,
            password_hash: &hash,
            role: demo.role.code(),
            org_id: demo.org.map(group_of),
            must_change_password: false,
            member_id,
            now,
        };
        accounts::insert_account(tx.conn(), &new).await?;
    }
    let entry = Entry::new(
        AuditAction::DemoLoaded,
        AuditEntity::Installation,
        bureau,
        "载入演示组织、党员和演示账号",
    );
    audit::record(
        &mut tx,
        Who {
            account_id: None,
            name: "系统",
        },
        &RequestContext::command_line(),
        entry,
    )
    .await?;
    tx.commit().await?;
    crate::activities::demo::load(app).await?;
    Ok(true)
}
