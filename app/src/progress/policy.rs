//! Who may read or change a report, in one place: the pages, the server functions, the
//! service and the open-data API ask here.

use super::workflow::ReportState;
use crate::caller::{CurrentUser, Role};
use crate::error::AppError;
use crate::i18n::*;
use crate::lang::Locale;
use crate::periods::model::Phase;

/// The one state the public (and the open-data API) sees.
pub const PUBLISHED: ReportState = ReportState::Approved;

/// Whom a country's report is shown to: what they see of it follows from this alone. Pages,
/// server functions and the open-data API (always `Public`) ask here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Signed out, or the open-data API: published reports only.
    Public,
    /// Signed in, outside the country's work: viewers (the Commission, WHO Europe) also read
    /// submitted reports; anyone else what is published.
    Reader { viewer: bool },
    /// The secretariat and the country's focal points: every state, and the working record.
    Insider,
}

impl Audience {
    /// The audience of `iso2`'s reports for `user`.
    pub fn of(user: Option<&CurrentUser>, iso2: &str) -> Self {
        match user {
            None => Self::Public,
            Some(u) if u.role == Role::Admin || u.reports_for(iso2) => Self::Insider,
            Some(u) => Self::Reader {
                viewer: u.role == Role::Viewer,
            },
        }
    }

    /// Does this audience read a report in `state` (`None`: not started)?
    pub fn reads(self, state: Option<ReportState>) -> bool {
        match self {
            Self::Insider => true,
            Self::Reader { viewer: true } => {
                matches!(state, Some(ReportState::Submitted) | Some(PUBLISHED))
            }
            Self::Public | Self::Reader { viewer: false } => state == Some(PUBLISHED),
        }
    }

    /// Does it see the working record (draft history, who edited, the reviewer's notes)?
    pub fn sees_working_record(self) -> bool {
        self == Self::Insider
    }
}

/// Who may read a report in a given state (see [`Audience`]). Signed-out callers are asked to
/// sign in for anything not public.
pub fn may_read(
    user: Option<&CurrentUser>,
    iso2: &str,
    state: Option<ReportState>,
) -> Result<(), AppError> {
    match Audience::of(user, iso2) {
        a if a.reads(state) => Ok(()),
        Audience::Public => Err(AppError::Unauthorized),
        _ => Err(AppError::Forbidden),
    }
}

/// May `user` edit `iso2`'s report now? A focal point of the country, while the period takes
/// submissions and the report is not started, a draft or returned.
pub fn may_edit(
    user: Option<&CurrentUser>,
    iso2: &str,
    phase: Phase,
    state: Option<ReportState>,
) -> bool {
    user.is_some_and(|u| u.reports_for(iso2))
        && phase == Phase::Open
        && state.is_none_or(|s| s.editable_by_focal_point())
}

/// May `user` review the report (return or approve it)? The secretariat, once submitted.
pub fn may_review(user: Option<&CurrentUser>, state: Option<ReportState>) -> bool {
    user.is_some_and(|u| u.role == Role::Admin) && state == Some(ReportState::Submitted)
}

/// May `user` reopen the report? The secretariat, once approved, while the period takes
/// submissions (or the focal point could not edit it).
pub fn may_reopen(user: Option<&CurrentUser>, phase: Phase, state: Option<ReportState>) -> bool {
    user.is_some_and(|u| u.role == Role::Admin) && phase == Phase::Open && state == Some(PUBLISHED)
}

/// `Rejected` (saying why in `locale`) unless a focal point may still change a report in
/// `state`.
pub fn require_editable(state: ReportState, locale: Locale) -> Result<(), AppError> {
    if state.editable_by_focal_point() {
        return Ok(());
    }
    Err(AppError::Rejected(
        if state == ReportState::Approved {
            td_string!(locale, progress.locked_approved)
        } else {
            td_string!(locale, progress.locked_submitted)
        }
        .into(),
    ))
}

/// `Forbidden` unless `user` reviews reports: the secretariat.
pub fn require_reviewer(user: &CurrentUser) -> Result<(), AppError> {
    if user.role == Role::Admin {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// `Forbidden` unless `user` may write `iso2`'s progress: a focal point bound to it.
pub fn require_country(user: &CurrentUser, iso2: &str) -> Result<(), AppError> {
    if user.reports_for(iso2) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

#[cfg(test)]
mod policy_tests {
    use super::*;

    fn user(role: Role, countries: &[&str]) -> CurrentUser {
        CurrentUser {
            id: 1,
            email: "u@example.org".into(),
            display_name: "U".into(),
            role,
            countries: countries.iter().map(|c| c.to_string()).collect(),
        }
    }

    #[test]
    fn a_focal_point_reads_only_their_own_countries_unpublished_reports() {
        let fp = user(Role::FocalPoint, &["IT"]);
        for state in [
            None,
            Some(ReportState::Draft),
            Some(ReportState::Submitted),
            Some(ReportState::Returned),
        ] {
            assert_eq!(may_read(Some(&fp), "IT", state), Ok(()));
            assert_eq!(may_read(Some(&fp), "FR", state), Err(AppError::Forbidden));
        }
        assert_eq!(
            may_read(Some(&fp), "FR", Some(ReportState::Approved)),
            Ok(())
        );
    }

    #[test]
    fn viewers_read_submitted_and_approved_reports_only() {
        let v = user(Role::Viewer, &[]);
        assert_eq!(
            may_read(Some(&v), "IT", Some(ReportState::Submitted)),
            Ok(())
        );
        assert_eq!(
            may_read(Some(&v), "IT", Some(ReportState::Approved)),
            Ok(())
        );
        assert_eq!(
            may_read(Some(&v), "IT", Some(ReportState::Draft)),
            Err(AppError::Forbidden)
        );
        assert_eq!(may_read(Some(&v), "IT", None), Err(AppError::Forbidden));
    }

    #[test]
    fn the_open_data_audience_reads_exactly_the_published_state() {
        use strum::VariantArray;
        let read: Vec<ReportState> = ReportState::VARIANTS
            .iter()
            .copied()
            .filter(|s| Audience::Public.reads(Some(*s)))
            .collect();
        assert_eq!(read, [PUBLISHED]);
        assert!(!Audience::Public.sees_working_record());
        assert!(Audience::of(Some(&user(Role::Admin, &[])), "IT").sees_working_record());
        assert!(!Audience::of(Some(&user(Role::FocalPoint, &["FR"])), "IT").sees_working_record());
    }

    #[test]
    fn the_public_reads_approved_reports_only() {
        assert_eq!(may_read(None, "IT", Some(ReportState::Approved)), Ok(()));
        assert_eq!(
            may_read(None, "IT", Some(ReportState::Submitted)),
            Err(AppError::Unauthorized)
        );
        let m = user(Role::Member, &[]);
        assert_eq!(
            may_read(Some(&m), "IT", Some(ReportState::Submitted)),
            Err(AppError::Forbidden)
        );
        assert_eq!(
            may_read(
                Some(&user(Role::Admin, &[])),
                "IT",
                Some(ReportState::Draft)
            ),
            Ok(())
        );
    }
}
