use serde::{Deserialize, Serialize};

/// Everything the audit log records. The stored `action` string is the kebab-case name of the
/// variant; sign-in throttling counts by it, so a misspelt literal can no longer silently
/// disable throttling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[derive(strum::EnumString, strum::IntoStaticStr, strum::Display, strum::VariantArray)]
#[strum(serialize_all = "kebab-case")]
pub enum AuditEvent {
    SignIn,
    /// Also written, as a pending attempt, before the password is checked.
    SignInFailed,
    SignInThrottled,
    SignOut,
    LinkFailed,
    InvitationAccepted,
    PasswordReset,
    UserCreatedCli,
    UserInvited,
    UserUpdated,
    UserReactivated,
    UserDeactivated,
    InvitationReissued,
    PasswordResetLinkCreated,
    PeriodSaved,
    PeriodClosed,
    PeriodReopened,
    IndicatorSaved,
    IndicatorArchived,
    IndicatorRestored,
    ReportSubmitted,
    ReportReturned,
    ReportApproved,
    ReportReopened,
    ReportCopiedForward,
}

impl AuditEvent {
    /// The name stored in `audit_log.action`.
    pub fn code(self) -> &'static str {
        self.into()
    }
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    /// The email of who did it (or who tried to sign in), if known.
    pub actor: Option<String>,
    pub action: AuditEvent,
    pub subject: Option<String>,
    pub details: Option<String>,
    pub ip: Option<String>,
}

/// A page of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// The id to ask for older entries with, if there are more.
    pub older_than: Option<i64>,
    /// The actions that occur in the log, for the filter.
    pub actions: Vec<AuditEvent>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::VariantArray;

    #[test]
    fn every_event_round_trips_through_its_stored_name() {
        for event in AuditEvent::VARIANTS {
            assert_eq!(event.code().parse::<AuditEvent>(), Ok(*event));
            assert_eq!(event.to_string(), event.code());
            assert_eq!(
                serde_json::to_string(event).ok(),
                Some(format!("\"{}\"", event.code()))
            );
        }
        assert!("sign-in-faild".parse::<AuditEvent>().is_err());
    }

    #[test]
    fn stored_names_are_the_ones_already_in_the_log() {
        let names: Vec<&str> = AuditEvent::VARIANTS.iter().map(|e| e.code()).collect();
        assert_eq!(
            names,
            [
                "sign-in",
                "sign-in-failed",
                "sign-in-throttled",
                "sign-out",
                "link-failed",
                "invitation-accepted",
                "password-reset",
                "user-created-cli",
                "user-invited",
                "user-updated",
                "user-reactivated",
                "user-deactivated",
                "invitation-reissued",
                "password-reset-link-created",
                "period-saved",
                "period-closed",
                "period-reopened",
                "indicator-saved",
                "indicator-archived",
                "indicator-restored",
                "report-submitted",
                "report-returned",
                "report-approved",
                "report-reopened",
                "report-copied-forward",
            ]
        );
    }
}
