//! Use cases against a real, temporary SQLite store, without HTTP (issue #13's middle tier): the
//! demo organization is loaded, its accounts sign in through the login use case, and the
//! organization use cases are checked for what each role may see and do, and for the audit entry
//! a write leaves.
//!
//! The demo tree: 临渭公安分局党委 → 站南派出所党支部 → 综合/刑侦/治安党小组, and
//! 渭南热电有限公司党委 → 生产运营党支部 (→ 运行一班/运行二班党小组) and 机关党支部. The secretary
//! (org admin) is bound to 站南派出所党支部; the group leader and the member to 综合党小组.

use dangjian_app::audit::{self, AuditQuery};
use dangjian_app::demo::{self, DEMO_PASSWORD};
use dangjian_app::orgs::{self, OrgInput, OrgView};
use dangjian_app::{Actor, App, AppError, AppSettings, PageParams, RequestContext};
use dangjian_domain::OrgId;
use dangjian_domain::access::Action;
use dangjian_store::{ConnectOptions, Store};

const ADMIN: &str = "13800000000";
const SECRETARY: &str = "13800000001";
const GROUP_LEADER: &str = "13800000002";
const MEMBER: &str = "13800000003";

const BUREAU: &str = "临渭公安分局党委";
const STATION: &str = "站南派出所党支部";
const GENERAL_GROUP: &str = "综合党小组";
const PLANT: &str = "渭南热电有限公司党委";
const OPERATIONS: &str = "生产运营党支部";
const OFFICE: &str = "机关党支部";

/// A migrated SQLite store in a temporary directory, with the demo loaded. The directory lives as
/// long as the returned guard.
async fn demo_app() -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("use_cases.db").display());
    let store = Store::connect(&url, &ConnectOptions::default())
        .await
        .expect("connect");
    store.migrate().await.expect("migrate");
    let app = App::new(store, AppSettings::default());
    assert!(demo::load_demo(&app).await.expect("load demo"));
    (app, dir)
}

fn ctx() -> RequestContext {
    RequestContext {
        client_ip: "127.0.0.1".into(),
        request_id: "use-case-test".into(),
    }
}

/// Signs in through the login use case and returns who it is.
async fn sign_in(app: &App, phone: &str) -> Actor {
    dangjian_app::auth::login(app, phone, DEMO_PASSWORD, &ctx())
        .await
        .unwrap_or_else(|e| panic!("{phone} signs in: {e}"))
        .actor
}

/// The id of the demo node with this name, looked up through the administrator's tree.
async fn org_named(app: &App, admin: &Actor, name: &str) -> OrgId {
    orgs::tree(app, admin, None)
        .await
        .expect("the administrator sees the whole tree")
        .into_iter()
        .find(|node| node.org.name == name)
        .unwrap_or_else(|| panic!("the demo has {name}"))
        .org
        .id
}

fn names(orgs: &[OrgView]) -> Vec<&str> {
    let mut names: Vec<&str> = orgs.iter().map(|o| o.name.as_str()).collect();
    names.sort_unstable();
    names
}

fn assert_forbidden<T: std::fmt::Debug>(result: Result<T, AppError>, what: &str) {
    match result {
        Err(AppError::Forbidden(_)) => {}
        other => panic!("{what}: expected Forbidden, got {other:?}"),
    }
}

#[tokio::test]
async fn each_role_sees_its_own_part_of_the_tree() {
    let (app, _dir) = demo_app().await;
    let admin = sign_in(&app, ADMIN).await;
    let secretary = sign_in(&app, SECRETARY).await;
    let leader = sign_in(&app, GROUP_LEADER).await;
    let member = sign_in(&app, MEMBER).await;
    let bureau = org_named(&app, &admin, BUREAU).await;
    let station = org_named(&app, &admin, STATION).await;
    let group = org_named(&app, &admin, GENERAL_GROUP).await;

    // The administrator sees both committees and everything under them.
    let everything = orgs::tree(&app, &admin, None).await.expect("admin tree");
    assert_eq!(everything.len(), 10, "{:?}", everything);
    assert_eq!(
        everything.iter().filter(|n| n.org.depth == 1).count(),
        2,
        "two top-level committees"
    );

    // The secretary's whole reach is the branch and its three groups; the branch's 27 members
    // are counted on it, summed up from its groups.
    let reach = orgs::tree(&app, &secretary, None)
        .await
        .expect("secretary tree");
    assert_eq!(reach.len(), 4);
    assert_eq!(reach[0].org.id, station);
    assert_eq!(reach[0].members(), 27);
    assert_eq!(reach[0].probationary_members, 2);
    assert_eq!(
        reach[1..].iter().map(|n| n.members()).sum::<i64>(),
        27,
        "every member of the branch sits in one of its groups"
    );
    let managed = orgs::orgs_in_reach(&app, &secretary, Action::ManageOrg)
        .await
        .expect("secretary may manage the branch");
    assert_eq!(managed.len(), 4);
    assert_forbidden(
        orgs::tree(&app, &secretary, Some(bureau)).await,
        "the secretary's view of the committee above",
    );

    // The group leader sees the group only, and manages nothing.
    let own = orgs::tree(&app, &leader, None).await.expect("leader tree");
    assert_eq!(
        own.iter().map(|n| n.org.id).collect::<Vec<_>>(),
        vec![group]
    );
    assert_forbidden(
        orgs::tree(&app, &leader, Some(station)).await,
        "the group leader's view of the branch",
    );
    assert_forbidden(
        orgs::orgs_in_reach(&app, &leader, Action::ManageOrg).await,
        "what the group leader may manage",
    );

    // A member may browse no organization at all: not the committee's subtree, not their own group.
    assert_forbidden(
        orgs::tree(&app, &member, Some(bureau)).await,
        "the member's view of the committee",
    );
    assert_forbidden(
        orgs::tree(&app, &member, Some(group)).await,
        "the member's view of their group",
    );
    assert_forbidden(
        orgs::orgs_in_reach(&app, &member, Action::ViewOrg).await,
        "what the member may browse",
    );
}

#[tokio::test]
async fn the_overview_offers_management_and_moves_only_where_valid() {
    let (app, _dir) = demo_app().await;
    let admin = sign_in(&app, ADMIN).await;
    let secretary = sign_in(&app, SECRETARY).await;
    let leader = sign_in(&app, GROUP_LEADER).await;
    let member = sign_in(&app, MEMBER).await;
    let bureau = org_named(&app, &admin, BUREAU).await;
    let station = org_named(&app, &admin, STATION).await;
    let group = org_named(&app, &admin, GENERAL_GROUP).await;

    // The secretary manages the branch, but nothing in their reach may hold a branch (its parent
    // committee is above them), so there is nowhere to move it.
    let branch = orgs::overview(&app, &secretary, station)
        .await
        .expect("secretary's branch");
    assert!(branch.can_manage);
    assert!(branch.can_plan);
    assert!(branch.move_targets.is_empty(), "{:?}", branch.move_targets);
    assert!(branch.ancestors.is_empty(), "the committee is out of sight");
    assert_eq!(branch.children.len(), 3);
    assert!(
        !branch.candidates.is_empty(),
        "a manager may appoint the branch's members"
    );
    // A group of theirs may only stand under a branch, and the one branch they reach is its
    // parent already.
    let secretary_group = orgs::overview(&app, &secretary, group)
        .await
        .expect("secretary's group");
    assert!(secretary_group.can_manage);
    assert!(secretary_group.move_targets.is_empty());
    assert!(
        orgs::move_targets(&app, &secretary, group)
            .await
            .expect("the secretary may ask")
            .is_empty()
    );
    assert_forbidden(
        orgs::move_targets(&app, &secretary, bureau).await,
        "moving the committee above the secretary",
    );

    // The administrator may move the group under either other branch, and the branch under the
    // other committee: never under its present parent, a group, or a node of the wrong kind.
    let admin_group = orgs::overview(&app, &admin, group)
        .await
        .expect("admin's view of the group");
    assert!(admin_group.can_manage);
    assert_eq!(names(&admin_group.move_targets), {
        let mut expected = vec![OFFICE, OPERATIONS];
        expected.sort_unstable();
        expected
    });
    assert_eq!(
        names(
            &orgs::move_targets(&app, &admin, group)
                .await
                .expect("targets")
        ),
        names(&admin_group.move_targets),
        "the overview and the move form offer the same targets"
    );
    let admin_branch = orgs::overview(&app, &admin, station)
        .await
        .expect("admin's view of the branch");
    assert_eq!(names(&admin_branch.move_targets), vec![PLANT]);
    assert_eq!(names(&admin_branch.ancestors), vec![BUREAU]);

    // The group leader sees their group and plans its activities, but may not manage or move it.
    let leader_group = orgs::overview(&app, &leader, group)
        .await
        .expect("leader's group");
    assert!(!leader_group.can_manage);
    assert!(leader_group.can_plan);
    assert!(leader_group.move_targets.is_empty());
    assert!(leader_group.candidates.is_empty());
    assert_forbidden(
        orgs::move_targets(&app, &leader, group).await,
        "the group leader's move targets",
    );

    // A member has no organization page at all, and no move targets.
    assert_forbidden(
        orgs::overview(&app, &member, group).await,
        "the member's overview of their group",
    );
    assert_forbidden(
        orgs::move_targets(&app, &member, group).await,
        "the member's move targets",
    );
}

#[tokio::test]
async fn writes_leave_their_audit_entry_within_the_right_scope() {
    let (app, _dir) = demo_app().await;
    let admin = sign_in(&app, ADMIN).await;
    let secretary = sign_in(&app, SECRETARY).await;
    let member = sign_in(&app, MEMBER).await;
    let station = org_named(&app, &admin, STATION).await;
    let group = org_named(&app, &admin, GENERAL_GROUP).await;
    let about_orgs = |id: Option<OrgId>| AuditQuery {
        entity_type: Some("org".into()),
        entity_id: id.map(|id| id.0.to_string()),
        ..AuditQuery::default()
    };
    let page = PageParams::new(Some(1), Some(50));

    // The secretary adds a group to their branch; the entry names them and files it there.
    let input = OrgInput {
        name: "青年党小组".into(),
        kind: "group".into(),
        ..OrgInput::default()
    };
    let created = orgs::create_org(&app, &secretary, Some(station), &input, &ctx())
        .await
        .expect("the secretary creates a group");
    assert_eq!(created.parent_id, Some(station));
    let entries = audit::browse(&app, &secretary, &about_orgs(Some(created.id)), page)
        .await
        .expect("the secretary reads the branch's log");
    assert_eq!(entries.total, 1, "{:?}", entries.items);
    let entry = &entries.items[0];
    assert_eq!(entry.action, "org_created");
    assert_eq!(entry.actor_account_id, Some(secretary.account_id.0));
    assert_eq!(entry.actor_name, "王建国");
    assert_eq!(entry.org_id, Some(station.0));
    assert_eq!(entry.client_ip, "127.0.0.1");
    assert_eq!(entry.request_id, "use-case-test");
    assert!(entry.summary.contains("青年党小组"), "{}", entry.summary);

    // A member may not, and the refusal writes nothing.
    let before = audit::browse(&app, &admin, &about_orgs(None), page)
        .await
        .expect("admin log")
        .total;
    assert_forbidden(
        orgs::create_org(&app, &member, Some(group), &input, &ctx()).await,
        "a member creating a group",
    );
    let after = audit::browse(&app, &admin, &about_orgs(None), page)
        .await
        .expect("admin log")
        .total;
    assert_eq!(before, after);

    // The administrator moves the group to a target the move form offers. The entry names the
    // parent before and after, and is filed under the moved group, now outside the secretary's
    // branch: they no longer see the group or its entry.
    let targets = orgs::move_targets(&app, &admin, group)
        .await
        .expect("targets");
    let target = targets
        .iter()
        .find(|t| t.name == OPERATIONS)
        .expect("the operations branch is a valid target");
    let moved = orgs::move_org(&app, &admin, group, target.id, &ctx())
        .await
        .expect("move the group");
    assert_eq!(moved.parent_id, Some(target.id));
    let entries = audit::browse(&app, &admin, &about_orgs(Some(group)), page)
        .await
        .expect("admin log");
    let moved_entry = entries
        .items
        .iter()
        .find(|e| e.action == "org_moved")
        .expect("the move is audited");
    assert_eq!(moved_entry.actor_account_id, Some(admin.account_id.0));
    assert_eq!(moved_entry.org_id, Some(group.0));
    assert_eq!(
        moved_entry.before.as_deref(),
        Some(format!("上级组织={STATION}").as_str())
    );
    assert_eq!(
        moved_entry.after.as_deref(),
        Some(format!("上级组织={OPERATIONS}").as_str())
    );
    let reach = orgs::tree(&app, &secretary, None).await.expect("tree");
    assert!(reach.iter().all(|n| n.org.id != group));
    let seen = audit::browse(&app, &secretary, &about_orgs(Some(group)), page)
        .await
        .expect("the secretary's log");
    assert!(
        seen.items.iter().all(|e| e.action != "org_moved"),
        "{:?}",
        seen.items
    );
}
