//! Who may do what with surveys, in one place (pages, server functions, routes and exports ask
//! here).
//!
//! - Building, opening, closing, inviting, deleting a response: admins.
//! - Results and exports: admins and viewers (Commission and WHO staff read everything,
//!   change nothing). Named respondents are shown to admins only; viewers see answers without
//!   names.
//! - Answering: whoever holds a link (`/s/{token}`); no account needed.
//! - A member's own data: that member.

use crate::caller::{CurrentUser, Role};
use crate::error::AppError;

/// May `caller` build and run surveys?
pub fn may_manage(caller: Option<&CurrentUser>) -> Result<(), AppError> {
    match caller {
        None => Err(AppError::Unauthorized),
        Some(u) if u.role == Role::Admin => Ok(()),
        Some(_) => Err(AppError::Forbidden),
    }
}

/// May `caller` read results and export responses?
pub fn may_read_results(caller: Option<&CurrentUser>) -> Result<(), AppError> {
    match caller {
        None => Err(AppError::Unauthorized),
        Some(u) if matches!(u.role, Role::Admin | Role::Viewer) => Ok(()),
        Some(_) => Err(AppError::Forbidden),
    }
}

/// May `caller` see who gave a named response?
pub fn may_see_respondents(caller: Option<&CurrentUser>) -> bool {
    caller.is_some_and(|u| u.role == Role::Admin)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role) -> CurrentUser {
        CurrentUser {
            id: 1,
            email: "a@b.eu".into(),
            display_name: "A".into(),
            role,
            countries: vec![],
        }
    }

    #[test]
    fn only_admins_manage_and_only_admins_and_viewers_read_results() {
        assert_eq!(may_manage(None), Err(AppError::Unauthorized));
        assert_eq!(
            may_manage(Some(&user(Role::Viewer))),
            Err(AppError::Forbidden)
        );
        assert!(may_manage(Some(&user(Role::Admin))).is_ok());
        assert!(may_read_results(Some(&user(Role::Viewer))).is_ok());
        assert_eq!(
            may_read_results(Some(&user(Role::Member))),
            Err(AppError::Forbidden)
        );
        assert_eq!(
            may_read_results(Some(&user(Role::FocalPoint))),
            Err(AppError::Forbidden)
        );
        assert!(!may_see_respondents(Some(&user(Role::Viewer))));
    }
}
