//! Who is calling: roles and the signed-in user, shared by server and browser.

use serde::{Deserialize, Serialize};

/// A user's role (see "Who uses it" in the product brief).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
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
    pub const ALL: [Role; 4] = [Role::Admin, Role::FocalPoint, Role::Member, Role::Viewer];

    /// The value stored in the database and used in forms and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::FocalPoint => "focal-point",
            Role::Member => "member",
            Role::Viewer => "viewer",
        }
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Administrator",
            Role::FocalPoint => "Focal point",
            Role::Member => "Network member",
            Role::Viewer => "Viewer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// The kinds of network member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MemberType {
    ProfessionalSociety,
    PatientOrganisation,
    Research,
    Other,
}

impl MemberType {
    pub const ALL: [MemberType; 4] = [
        MemberType::ProfessionalSociety,
        MemberType::PatientOrganisation,
        MemberType::Research,
        MemberType::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MemberType::ProfessionalSociety => "professional-society",
            MemberType::PatientOrganisation => "patient-organisation",
            MemberType::Research => "research",
            MemberType::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MemberType::ProfessionalSociety => "Professional society",
            MemberType::PatientOrganisation => "Patient organisation",
            MemberType::Research => "Research",
            MemberType::Other => "Other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
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
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("superuser"), None);
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
