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
    /// A sign-in refused unchecked (too many failures); since the throttle's rework, the first
    /// refusal per account and address in a window.
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
    /// A report's entries written from an uploaded workbook (the template or the bulk one).
    ReportImported,
    SurveyCreated,
    SurveyEdited,
    SurveySettingsSaved,
    SurveyOpened,
    SurveyClosed,
    SurveyDeleted,
    SurveyMembersInvited,
    SurveyResponseDeleted,
    /// A draft survey created from an XLSForm file.
    SurveyImported,
    /// Past responses imported from a workbook (one entry per import, with the count).
    SurveyResponsesImported,
    /// An address reached the failed sign-ins that lock it out of an account (once per
    /// account, address and window).
    SignInLocked,
    /// An account reached the failed sign-ins (from anywhere) after which its attempts wait
    /// (once per account and window).
    SignInSlowed,
    /// An admin allowed a user to sign in again at once (their failures no longer count).
    SignInUnlocked,
}

impl AuditEvent {
    /// The name stored in `audit_log.action`.
    pub fn code(self) -> &'static str {
        self.into()
    }

    /// What happened, for people, in their language ("Report approved"); the log keeps the
    /// code.
    pub fn label(self, locale: crate::lang::Locale) -> &'static str {
        use crate::i18n::*;
        match self {
            Self::SignIn => td_string!(locale, audit.event_sign_in),
            Self::SignInFailed => td_string!(locale, audit.event_sign_in_failed),
            Self::SignInThrottled => td_string!(locale, audit.event_sign_in_throttled),
            Self::SignOut => td_string!(locale, audit.event_sign_out),
            Self::LinkFailed => td_string!(locale, audit.event_link_failed),
            Self::InvitationAccepted => td_string!(locale, audit.event_invitation_accepted),
            Self::PasswordReset => td_string!(locale, audit.event_password_reset),
            Self::UserCreatedCli => td_string!(locale, audit.event_user_created_cli),
            Self::UserInvited => td_string!(locale, audit.event_user_invited),
            Self::UserUpdated => td_string!(locale, audit.event_user_updated),
            Self::UserReactivated => td_string!(locale, audit.event_user_reactivated),
            Self::UserDeactivated => td_string!(locale, audit.event_user_deactivated),
            Self::InvitationReissued => td_string!(locale, audit.event_invitation_reissued),
            Self::PasswordResetLinkCreated => {
                td_string!(locale, audit.event_password_reset_link_created)
            }
            Self::PeriodSaved => td_string!(locale, audit.event_period_saved),
            Self::PeriodClosed => td_string!(locale, audit.event_period_closed),
            Self::PeriodReopened => td_string!(locale, audit.event_period_reopened),
            Self::IndicatorSaved => td_string!(locale, audit.event_indicator_saved),
            Self::IndicatorArchived => td_string!(locale, audit.event_indicator_archived),
            Self::IndicatorRestored => td_string!(locale, audit.event_indicator_restored),
            Self::ReportSubmitted => td_string!(locale, audit.event_report_submitted),
            Self::ReportReturned => td_string!(locale, audit.event_report_returned),
            Self::ReportApproved => td_string!(locale, audit.event_report_approved),
            Self::ReportReopened => td_string!(locale, audit.event_report_reopened),
            Self::ReportCopiedForward => td_string!(locale, audit.event_report_copied_forward),
            Self::ReportImported => td_string!(locale, audit.event_report_imported),
            Self::SurveyCreated => td_string!(locale, audit.event_survey_created),
            Self::SurveyEdited => td_string!(locale, audit.event_survey_edited),
            Self::SurveySettingsSaved => td_string!(locale, audit.event_survey_settings_saved),
            Self::SurveyOpened => td_string!(locale, audit.event_survey_opened),
            Self::SurveyClosed => td_string!(locale, audit.event_survey_closed),
            Self::SurveyDeleted => td_string!(locale, audit.event_survey_deleted),
            Self::SurveyMembersInvited => td_string!(locale, audit.event_survey_members_invited),
            Self::SurveyResponseDeleted => td_string!(locale, audit.event_survey_response_deleted),
            Self::SurveyImported => td_string!(locale, audit.event_survey_imported),
            Self::SurveyResponsesImported => {
                td_string!(locale, audit.event_survey_responses_imported)
            }
            Self::SignInLocked => td_string!(locale, audit.event_sign_in_locked),
            Self::SignInSlowed => td_string!(locale, audit.event_sign_in_slowed),
            Self::SignInUnlocked => td_string!(locale, audit.event_sign_in_unlocked),
        }
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
    fn every_event_has_a_distinct_label_in_every_language() {
        for &locale in crate::lang::Locale::all() {
            let mut labels: Vec<&str> = AuditEvent::VARIANTS
                .iter()
                .map(|e| e.label(locale))
                .collect();
            labels.sort();
            labels.dedup();
            assert_eq!(labels.len(), AuditEvent::VARIANTS.len(), "{locale:?}");
        }
        assert_eq!(
            AuditEvent::ReportApproved.label(crate::lang::Locale::fr),
            "Rapport approuvé"
        );
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
                "report-imported",
                "survey-created",
                "survey-edited",
                "survey-settings-saved",
                "survey-opened",
                "survey-closed",
                "survey-deleted",
                "survey-members-invited",
                "survey-response-deleted",
                "survey-imported",
                "survey-responses-imported",
                "sign-in-locked",
                "sign-in-slowed",
                "sign-in-unlocked",
            ]
        );
    }
}
