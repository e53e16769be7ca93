//! Who sees what on the dashboards: everyone sees approved reports; viewers (Commission and
//! WHO staff) and admins may include submitted ones, not yet approved. Pages, downloads and
//! charts all ask here.

use crate::caller::{CurrentUser, Role};
use crate::error::AppError;
use crate::progress::workflow::ReportState;

/// Whether `user` may switch on "include submitted".
pub fn may_include_submitted(user: Option<&CurrentUser>) -> bool {
    user.is_some_and(|u| matches!(u.role, Role::Viewer | Role::Admin))
}

/// The report states a view shows: approved, and submitted when asked for and allowed;
/// `Unauthorized` (signed out) or `Forbidden` when asked for and not allowed.
pub fn visible_states(
    user: Option<&CurrentUser>,
    include_submitted: bool,
) -> Result<&'static [ReportState], AppError> {
    if !include_submitted {
        return Ok(&[ReportState::Approved]);
    }
    match user {
        None => Err(AppError::Unauthorized),
        Some(_) if !may_include_submitted(user) => Err(AppError::Forbidden),
        Some(_) => Ok(&[ReportState::Approved, ReportState::Submitted]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role) -> CurrentUser {
        CurrentUser {
            id: 1,
            email: "a@example.org".into(),
            display_name: "A".into(),
            role,
            countries: vec!["FR".into()],
        }
    }

    #[test]
    fn only_viewers_and_admins_may_include_submitted_reports() {
        assert_eq!(
            visible_states(None, false).unwrap(),
            &[ReportState::Approved]
        );
        assert_eq!(visible_states(None, true), Err(AppError::Unauthorized));
        for role in [Role::FocalPoint, Role::Member] {
            assert_eq!(
                visible_states(Some(&user(role)), true),
                Err(AppError::Forbidden)
            );
        }
        for role in [Role::Viewer, Role::Admin] {
            assert_eq!(
                visible_states(Some(&user(role)), true).unwrap(),
                &[ReportState::Approved, ReportState::Submitted]
            );
        }
    }
}
