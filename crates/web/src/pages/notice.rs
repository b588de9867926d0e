//! Post-action notices: after a write, a page redirects with `?notice=<code>` and the next page
//! shows the code's fixed text. The URL carries only a code from the table below, never text, so
//! a crafted link cannot make the site say anything of its choosing: an unknown code shows
//! nothing.

use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

macro_rules! notices {
    ($($variant:ident = $code:literal => $text:literal,)*) => {
        /// A notice a page may show after an action.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Notice {
            $($variant,)*
        }

        impl Notice {
            pub const ALL: &[Notice] = &[$(Notice::$variant,)*];

            /// What the URL carries.
            pub fn code(self) -> &'static str {
                match self {
                    $(Notice::$variant => $code,)*
                }
            }

            /// What the page shows.
            pub fn text(self) -> &'static str {
                match self {
                    $(Notice::$variant => $text,)*
                }
            }
        }
    };
}

notices! {
    // Accounts and tokens.
    AccountUnlocked = "unlocked" => "账号已解锁。",
    AccountLinked = "account_linked" => "账号已关联到本档案。",
    AccountUnlinked = "account_unlinked" => "已取消关联，账号本身保留。",
    TokenRevoked = "revoked" => "令牌已吊销。",
    // Organizations: a node's page.
    OrgCreated = "org_created" => "组织已创建。",
    OrgUpdated = "org_updated" => "已保存。",
    OrgMoved = "org_moved" => "已移动，下级组织随之移动。",
    OrgDissolved = "org_dissolved" => "组织已撤销，历史记录保留。",
    Appointed = "appointed" => "已记录任职。",
    PositionEnded = "position_ended" => "已记录免职。",
    // Members: a member's profile.
    MemberCreated = "member_created" => "已登记。",
    MemberUpdated = "member_updated" => "已保存。",
    // Dues: an organization's monthly sheet, a member's dues.
    DuesMonthOpened = "dues_month_opened" => "已生成本月收缴表。",
    DuesPaid = "dues_paid" => "已登记交纳。",
    DuesBaseSet = "dues_base_set" => "已核定党费基数。",
    DuesReliefAdded = "dues_relief_added" => "已登记少交或免交决定。",
    DuesExtraRecorded = "dues_extra_recorded" => "已登记。",
    // Transfers: the list, and the member's profile after starting one.
    TransferAccepted = "accepted" => "已接收，党员已编入本党支部。",
    TransferRejected = "rejected" => "已退回，党员仍在原党支部。",
    TransferCancelled = "cancelled" => "已撤回。",
    TransferSlip = "slip" => "已登记回执。",
    TransferStarted = "transfer_started" => "已发起转接，待接收党支部确认；确认前该党员仍在本党支部。",
    TransferredOut = "transferred_out" => "已开具介绍信并转出，请在 3 个月内登记回执。",
    // Party development: an applicant's timeline.
    ApplicantCreated = "applicant_created" => "已登记入党申请人，并记录第 1 步「递交入党申请书」。",
    StepRecorded = "step" => "已记录。",
    DecisionRecorded = "decision" => "已记录支部大会的决定。",
    // Organizational life: an activity's page.
    PlanSubmitted = "submitted" => "已报上级党组织审批",
    PlanApproved = "approved" => "已审批同意",
    PlanReturned = "returned" => "已退回修改",
    Published = "published" => "通知已发布，参加人员可在“组织生活”中看到",
    ActivityCancelled = "activity_cancelled" => "活动已取消",
    CheckInOpened = "check_in_opened" => "已开始签到",
    CheckInClosed = "check_in_closed" => "已结束签到",
    Held = "held" => "已确认召开：主持人、记录人、授课人计为出席，其余未签到且未请假的记为缺席并分配补学",
    Archived = "archived" => "已归档，记录已锁定",
    AttendanceMarked = "marked" => "已更新出勤记录",
    AttendeeInvited = "invited" => "已添加参加人员",
    LeaveApproved = "leave_approved" => "已批准请假",
    LeaveRefused = "leave_refused" => "未批准请假",
    LeaveRequested = "leave_requested" => "已提交请假申请，等待审批",
    MakeUpConfirmed = "made_up" => "补学已确认",
    MinutesSaved = "minutes" => "会议记录已保存",
    AmendmentRecorded = "amended" => "更正已记录",
    VoteRecorded = "voted" => "表决已记录，结果见下方“表决”。",
    CheckedIn = "checked_in" => "签到成功",
    AttachmentUploaded = "uploaded" => "附件已上传",
    MonthPlanned = "month_planned" => "已生成本月计划草稿：请逐项核对、修改后报批或发布",
}

impl Notice {
    /// The notice a code names; `None` for anything else.
    pub fn from_code(code: &str) -> Option<Notice> {
        Notice::ALL.iter().copied().find(|n| n.code() == code)
    }
}

/// The text to show for the `notice` query parameter: nothing when absent or unknown.
pub fn text_of(code: Option<&str>) -> Option<&'static str> {
    code.and_then(Notice::from_code).map(Notice::text)
}

/// `?notice=<code>`, for pages whose query holds nothing else.
#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    notice: Option<String>,
}

impl NoticeQuery {
    pub fn text(&self) -> Option<&'static str> {
        text_of(self.notice.as_deref())
    }
}

/// `target` (a local path, possibly with a query and a `#fragment`) with the notice's code added.
pub fn url(target: &str, notice: Notice) -> String {
    let (path, fragment) = match target.split_once('#') {
        Some((path, fragment)) => (path, format!("#{fragment}")),
        None => (target, String::new()),
    };
    let joint = if path.contains('?') { '&' } else { '?' };
    format!("{path}{joint}notice={}{fragment}", notice.code())
}

/// The redirect after an action: back to `target`, which shows the notice.
pub fn redirect(target: &str, notice: Notice) -> Response {
    Redirect::to(&url(target, notice)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_or_free_text_codes_show_nothing() {
        assert_eq!(text_of(None), None);
        assert_eq!(text_of(Some("")), None);
        assert_eq!(text_of(Some("no_such_code")), None);
        // The old URLs carried the text itself; that must no longer be shown.
        assert_eq!(text_of(Some("签到成功")), None);
        assert_eq!(text_of(Some("请立即联系 400-000-0000 领取补贴")), None);
        assert_eq!(text_of(Some("Revoked")), None);
        assert_eq!(text_of(Some(" revoked")), None);
    }

    #[test]
    fn known_codes_show_their_fixed_text() {
        assert_eq!(text_of(Some("checked_in")), Some("签到成功"));
        assert_eq!(text_of(Some("revoked")), Some("令牌已吊销。"));
        for notice in Notice::ALL {
            assert_eq!(Notice::from_code(notice.code()), Some(*notice));
            assert!(!notice.text().is_empty());
        }
    }

    #[test]
    fn codes_are_unique_and_need_no_escaping() {
        for (i, a) in Notice::ALL.iter().enumerate() {
            assert!(
                a.code()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{a:?}"
            );
            for b in &Notice::ALL[i + 1..] {
                assert_ne!(a.code(), b.code(), "{a:?} and {b:?}");
            }
        }
    }

    #[test]
    fn the_code_goes_before_the_fragment() {
        assert_eq!(
            url("/activities/7", Notice::CheckedIn),
            "/activities/7?notice=checked_in"
        );
        assert_eq!(
            url("/activities/7#attachments", Notice::AttachmentUploaded),
            "/activities/7?notice=uploaded#attachments"
        );
        assert_eq!(
            url("/orgs/3/dues?month=2024-05", Notice::TokenRevoked),
            "/orgs/3/dues?month=2024-05&notice=revoked"
        );
    }
}
