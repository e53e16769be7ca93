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

    /// The name shown to people, in their language.
    pub fn label(self, locale: crate::lang::Locale) -> &'static str {
        use crate::i18n::*;
        match self {
            MemberType::ProfessionalSociety => {
                td_string!(locale, users.member_professional_society)
            }
            MemberType::PatientOrganisation => {
                td_string!(locale, users.member_patient_organisation)
            }
            MemberType::Research => td_string!(locale, users.member_research),
            MemberType::Other => td_string!(locale, users.member_other),
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
