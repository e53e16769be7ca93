//! Accounts: member types, what a single-use link is for, and how an email is stored; shared
//! by server and browser. Roles and the signed-in user are in `caller`.

use serde::{Deserialize, Serialize};

/// The kinds of network member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[derive(strum::EnumString, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "kebab-case")]
pub enum MemberType {
    ProfessionalSociety,
    PatientOrganisation,
    Research,
    Other,
}

impl MemberType {
    /// The stored form (also used in forms and URLs).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn label(self) -> &'static str {
        match self {
            MemberType::ProfessionalSociety => "Professional society",
            MemberType::PatientOrganisation => "Patient organisation",
            MemberType::Research => "Research",
            MemberType::Other => "Other",
        }
    }
}

/// What a single-use link (a token sent to a user) lets them do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[derive(strum::EnumString, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "kebab-case")]
pub enum LinkPurpose {
    /// Accept an invitation: set a name and a first password.
    Invitation,
    /// Set a new password.
    PasswordReset,
}

impl LinkPurpose {
    /// The stored form (also used in forms).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Normalises an email address for storage and lookup (trimmed, lower case).
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}
