//! What an audit entry records: the operation and the kind of object, each with the code stored in
//! `audit_log` (for machines and filters) and the Chinese label people read. This is the one table
//! of both; an entry can only be written with a member of it, so no code goes unlabelled.
//!
//! Rows written by another version of the program may hold a code this table does not know; they
//! read as a generic label rather than failing.

/// Declares a closed set of codes with their labels, `ALL`, `code`, `label` and `from_code`.
macro_rules! labelled_codes {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal, $label:literal;)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)*
                }
            }

            pub fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label,)*
                }
            }

            pub fn from_code(code: &str) -> Option<$name> {
                match code {
                    $($code => Some($name::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

labelled_codes! {
    /// 操作: what was done.
    AuditAction {
        SetupCompleted = "setup_completed", "完成初始设置";
        DemoLoaded = "demo_loaded", "载入演示数据";

        Login = "login", "登录";
        LoginFailed = "login_failed", "登录失败";
        Logout = "logout", "退出登录";
        PasswordChanged = "password_changed", "修改密码";
        AccountCreated = "account_created", "新建账号";
        AccountActivated = "account_activated", "党员自助激活账号";
        AccountLinked = "account_linked", "关联账号";
        AccountUnlinked = "account_unlinked", "取消关联账号";
        AccountMoved = "account_moved", "账号随档案调整";
        PasswordReset = "password_reset", "重置密码";
        AccountUnlocked = "account_unlocked", "解除账号锁定";
        TokenIssued = "token_issued", "签发 API 令牌";
        TokenRevoked = "token_revoked", "吊销 API 令牌";

        OrgCreated = "org_created", "新建组织";
        OrgUpdated = "org_updated", "修改组织";
        OrgMoved = "org_moved", "调整组织隶属关系";
        OrgDissolved = "org_dissolved", "撤销组织";
        OrgDeleted = "org_deleted", "删除误建的组织";
        OrgReportingSet = "org_reporting_set", "设置活动计划报批";
        PositionStarted = "position_started", "任职";
        PositionEnded = "position_ended", "免职";

        MemberCreated = "member_created", "新增党员";
        MemberUpdated = "member_updated", "修改党员信息";
        IdNumberViewed = "id_number_viewed", "查看身份证号";
        MembersImported = "members_imported", "导入党员名册";
        MembersExported = "members_exported", "导出党员名册";

        TransferStarted = "transfer_started", "发起组织关系转接";
        TransferAccepted = "transfer_accepted", "接收组织关系";
        TransferRejected = "transfer_rejected", "退回组织关系转接";
        TransferCancelled = "transfer_cancelled", "撤回组织关系转接";
        TransferOut = "transfer_out", "组织关系转出";
        TransferSlipReturned = "transfer_slip_returned", "登记介绍信回执";
        TransferIn = "transfer_in", "组织关系转入";

        ApplicantCreated = "applicant_created", "登记入党申请人";
        DevelopmentStep = "development_step", "记录发展党员程序";
        DevelopmentDeviation = "development_deviation", "记录发展程序偏差";
        MemberConverted = "member_converted", "预备党员转正";
        ProbationExtended = "probation_extended", "延长预备期";
        ProbationCancelled = "probation_cancelled", "取消预备党员资格";

        ActivityPlanned = "activity_planned", "制定活动计划";
        ActivityEdited = "activity_edited", "修改活动计划";
        ActivityInvited = "activity_invited", "邀请参加人员";
        ActivitySubmitted = "activity_submitted", "活动计划报批";
        ActivityApproved = "activity_approved", "审批同意活动计划";
        ActivityReturned = "activity_returned", "退回活动计划";
        ActivityPublished = "activity_published", "发布活动通知";
        ActivityCancelled = "activity_cancelled", "取消活动";
        ActivityCheckinOpened = "activity_checkin_opened", "开始签到";
        ActivityCheckinClosed = "activity_checkin_closed", "结束签到";
        ActivityCheckedIn = "activity_checked_in", "签到";
        ActivityHeld = "activity_held", "确认活动已召开";
        ActivityLeaveRequested = "activity_leave_requested", "请假";
        ActivityLeaveDecided = "activity_leave_decided", "审批请假";
        ActivityAttendanceMarked = "activity_attendance_marked", "登记出勤";
        ActivityMakeUpDone = "activity_make_up_done", "完成补学";
        ActivityMinutesRecorded = "activity_minutes_recorded", "记录会议记录";
        ActivityVoteRecorded = "activity_vote_recorded", "记录表决结果";
        ActivityAttachmentAdded = "activity_attachment_added", "上传活动附件";
        ActivityAmended = "activity_amended", "更正活动记录";
        ActivityArchived = "activity_archived", "活动归档";
        CalendarFeedCreated = "calendar_feed_created", "开通日历订阅";
        CalendarFeedRevoked = "calendar_feed_revoked", "停用日历订阅";

        DuesSettingsChanged = "dues_settings_changed", "修改党费设置";
        DuesBaseSet = "dues_base_set", "核定党费";
        DuesReliefRecorded = "dues_relief_recorded", "登记党费减免";
        DuesExtraRecorded = "dues_extra_recorded", "登记额外交纳党费";
        DuesMonthOpened = "dues_month_opened", "生成党费收缴表";
        DuesPaid = "dues_paid", "登记交纳党费";
        DuesImported = "dues_imported", "导入党费数据";

        PointsRulesVersioned = "points_rules_versioned", "修订积分细则";
        PointsProposed = "points_proposed", "申报加扣分";
        PointsProposalDecided = "points_proposal_decided", "审核加扣分申报";
        PointsEntryReversed = "points_entry_reversed", "冲销积分";
        PointsBulletinPublished = "points_bulletin_published", "发布积分通报";
        AssessmentWeightsSet = "assessment_weights_set", "设置效能考核权重";
        EvaluationStarted = "evaluation_started", "开展民主评议";
        EvaluationSelfSubmitted = "evaluation_self_submitted", "提交自我评价";
        EvaluationRated = "evaluation_rated", "完成民主测评";
        EvaluationProposed = "evaluation_proposed", "提出评定意见";
        EvaluationConfirmed = "evaluation_confirmed", "确认评议结果";
        AwardCampaignStarted = "award_campaign_started", "开展争先创优评选";
        AwardNominated = "award_nominated", "推荐表彰对象";
        AwardDecided = "award_decided", "确定拟表彰名单";
        AwardObjectionFiled = "award_objection_filed", "对公示提出异议";
        AwardFinalized = "award_finalized", "确定表彰名单";
        Exported = "exported", "导出数据";
        PointsEventsProcessed = "points_events_processed", "处理积分事件";
    }
}

labelled_codes! {
    /// 对象: what kind of thing it was done to.
    AuditEntity {
        Installation = "installation", "系统";
        Account = "account", "账号";
        ApiToken = "api_token", "API 令牌";
        Org = "org", "组织";
        Position = "position", "职务";
        Member = "member", "党员";
        Applicant = "applicant", "入党申请人";
        Activity = "activity", "活动";
        PointsRuleVersion = "points_rule_version", "积分细则";
        PointsProposal = "points_proposal", "加扣分申报";
        PointsEntry = "points_entry", "积分记录";
        PointsBulletin = "points_bulletin", "积分通报";
        EvalCampaign = "eval_campaign", "民主评议";
        AwardCampaign = "award_campaign", "争先创优评选";
        AwardNomination = "award_nomination", "表彰推荐";
        AwardObjection = "award_objection", "公示异议";
    }
}

/// The label of a stored action code; an unknown code reads as a generic label.
pub fn action_label(code: &str) -> &'static str {
    AuditAction::from_code(code).map_or("其他操作", AuditAction::label)
}

/// The label of a stored object kind; an unknown kind reads as a generic label.
pub fn entity_label(code: &str) -> &'static str {
    AuditEntity::from_code(code).map_or("其他对象", AuditEntity::label)
}

/// 是/否, for a yes-or-no field in a before/after detail.
pub fn yes_no(value: bool) -> &'static str {
    if value { "是" } else { "否" }
}

/// The fields of an audit entry its chain link hashes (issue #15): every stored column, with the
/// link's place in the chain. See [`crate::chain`].
#[derive(Debug, Clone)]
pub struct AuditLinkFields<'a> {
    pub seq: i64,
    pub id: i64,
    pub at: i64,
    pub actor_account_id: Option<i64>,
    pub actor_name: &'a str,
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: Option<&'a str>,
    pub org_id: Option<i64>,
    pub summary: &'a str,
    pub before_state: Option<&'a str>,
    pub after_state: Option<&'a str>,
    pub client_ip: &'a str,
    pub request_id: &'a str,
    pub prev_hash: &'a str,
}

/// Hex SHA-256 of an audit entry's link (tag `dangjian-audit-v1`).
pub fn audit_link_hash(f: &AuditLinkFields<'_>) -> String {
    use crate::chain::optional;
    let number = |n: Option<i64>| optional(n.map(|n| n.to_string()).as_deref());
    let parts: [&str; 15] = [
        &f.seq.to_string(),
        &f.id.to_string(),
        &f.at.to_string(),
        &number(f.actor_account_id),
        f.actor_name,
        f.action,
        f.entity_type,
        &optional(f.entity_id),
        &number(f.org_id),
        f.summary,
        &optional(f.before_state),
        &optional(f.after_state),
        f.client_ip,
        f.request_id,
        f.prev_hash,
    ];
    crate::chain::link_hash("dangjian-audit-v1", &parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn is_chinese_text(label: &str) -> bool {
        // "API" is the one Latin word allowed: it is what the product calls its tokens everywhere.
        let rest = label.replace("API", "");
        !rest.is_empty() && !rest.chars().any(|c| c.is_ascii_alphanumeric() || c == '_')
    }

    #[test]
    fn action_codes_round_trip_are_distinct_and_labelled_in_chinese() {
        let mut codes = HashSet::new();
        for &action in AuditAction::ALL {
            assert_eq!(AuditAction::from_code(action.code()), Some(action));
            assert!(codes.insert(action.code()), "duplicate {}", action.code());
            assert!(is_chinese_text(action.label()), "{:?}", action);
            assert_eq!(action_label(action.code()), action.label());
        }
    }

    #[test]
    fn entity_codes_round_trip_are_distinct_and_labelled_in_chinese() {
        let mut codes = HashSet::new();
        for &entity in AuditEntity::ALL {
            assert_eq!(AuditEntity::from_code(entity.code()), Some(entity));
            assert!(codes.insert(entity.code()), "duplicate {}", entity.code());
            assert!(is_chinese_text(entity.label()), "{:?}", entity);
            assert_eq!(entity_label(entity.code()), entity.label());
        }
    }

    #[test]
    fn unknown_codes_read_as_generic_labels() {
        assert_eq!(action_label("something_new"), "其他操作");
        assert_eq!(action_label(""), "其他操作");
        assert_eq!(entity_label("widget"), "其他对象");
    }

    /// The wording issue #14 asked for, for the codes of the roster accounts work.
    #[test]
    fn account_codes_of_the_roster_work_are_labelled() {
        for (code, label) in [
            ("account_activated", "党员自助激活账号"),
            ("account_linked", "关联账号"),
            ("account_unlinked", "取消关联账号"),
            ("account_moved", "账号随档案调整"),
        ] {
            assert_eq!(action_label(code), label);
        }
    }
}
