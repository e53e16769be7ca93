//! Who is calling: roles and the signed-in user. Shared by server and browser, and by every
//! feature (so that none has to import `auth` to ask who may do what).

use serde::{Deserialize, Serialize};

/// A user's role (see "Who uses it" in the product brief).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
#[derive(strum::EnumString, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "kebab-case")]
pub enum Role {
    /// The network's secretariat: everything.
    Admin,
    /// A national contact: their own countries' progress.
    FocalPoint,
    /// A network member: surveys they are invited to.
    Member,
    /// European Commission and WHO Europe staff: read everything submitted, change nothing.
    Viewer,
}

impl Role {
    /// The stored form (also used in forms and URLs).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The name in English (logs, the command line); pages use [`Role::label_in`].
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Administrator",
            Role::FocalPoint => "Focal point",
            Role::Member => "Network member",
            Role::Viewer => "Viewer",
        }
    }

    /// The name shown to people, in their language.
    pub fn label_in(self, locale: crate::lang::Locale) -> &'static str {
        use crate::i18n::*;
        match self {
            Role::Admin => td_string!(locale, users.role_admin),
            Role::FocalPoint => td_string!(locale, users.role_focal_point),
            Role::Member => td_string!(locale, users.role_member),
            Role::Viewer => td_string!(locale, users.role_viewer),
        }
    }
}

/// The signed-in user, as every request sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    /// ISO 3166-1 alpha-2 codes a focal point reports for (empty for other roles).
    pub countries: Vec<String>,
}

impl CurrentUser {
    pub fn is(&self, role: Role) -> bool {
        self.role == role
    }

    /// May this user edit progress of `iso2`? Only a focal point bound to that country.
    pub fn reports_for(&self, iso2: &str) -> bool {
        self.role == Role::FocalPoint && self.countries.iter().any(|c| c.eq_ignore_ascii_case(iso2))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_stored_names() {
        use strum::VariantArray;
        for role in Role::VARIANTS {
            assert_eq!(role.as_str().parse::<Role>(), Ok(*role));
        }
        assert!("superuser".parse::<Role>().is_err());
        assert_eq!(
            serde_json::to_string(&Role::FocalPoint).unwrap(),
            "\"focal-point\""
        );
    }

    #[test]
    fn only_a_focal_point_of_the_country_reports_for_it() {
        let mut u = CurrentUser {
            id: 1,
            email: "a@b.eu".into(),
            display_name: "A".into(),
            role: Role::FocalPoint,
            countries: vec!["IT".into()],
        };
        assert!(u.reports_for("IT"));
        assert!(u.reports_for("it"));
        assert!(!u.reports_for("FR"));
        u.role = Role::Admin;
        assert!(!u.reports_for("IT"));
    }
}
