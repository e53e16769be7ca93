use serde::{Deserialize, Serialize};

use crate::auth::model::MemberType;
use crate::caller::Role;
use crate::error::FieldError;
use crate::i18n::*;
use crate::lang::Locale;

/// Where an account stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UserStatus {
    /// Invited; has not set a password yet.
    Invited,
    Active,
    Deactivated,
}

impl UserStatus {
    /// The name shown to people, in their language.
    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            Self::Invited => td_string!(locale, users.status_invited),
            Self::Active => td_string!(locale, users.status_active),
            Self::Deactivated => td_string!(locale, users.status_deactivated),
        }
    }
    pub fn css(self) -> &'static str {
        match self {
            Self::Invited => "badge badge-submitted",
            Self::Active => "badge badge-active",
            Self::Deactivated => "badge badge-inactive",
        }
    }
}

/// A user as the admin pages show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    /// Countries a focal point reports for.
    pub countries: Vec<String>,
    pub status: UserStatus,
    pub organisation: Option<String>,
    pub member_type: Option<MemberType>,
    pub member_country: Option<String>,
    pub created_at: String,
}

/// One user with the link just created for them, shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDetail {
    pub user: User,
    pub new_link: Option<NewLink>,
    /// When the open invitation expires, if one is pending.
    pub invitation_expires_at: Option<String>,
    /// Failed sign-ins to this account in the throttling window (since an admin last allowed
    /// sign-in again): what slows or locks it.
    pub sign_in_failures: i64,
}

/// A link the admin copies to the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewLink {
    pub purpose: crate::auth::model::LinkPurpose,
    pub url: String,
    pub expires_at: String,
}

/// What the admin enters to invite or edit a user, as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInput {
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub countries: Vec<String>,
    pub organisation: String,
    pub member_type: String,
    pub member_country: String,
}

/// A validated [`UserInput`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidUser {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub countries: Vec<String>,
    pub organisation: Option<String>,
    pub member_type: Option<MemberType>,
    pub member_country: Option<String>,
}

pub use crate::auth::model::normalize_email;

/// The longest name a user may have, in characters.
pub const MAX_NAME_CHARS: usize = 120;

/// Is this plausibly an email address? (Local part, one `@`, a dotted domain, no spaces.)
pub fn is_plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && local.len() <= 64
        && email.len() <= 254
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

impl UserInput {
    /// Checks the input; `known_countries` are the valid ISO alpha-2 codes. With
    /// `check_email` false (editing), the email is not looked at. Messages are in `locale`.
    pub fn validate(
        &self,
        locale: Locale,
        known_countries: &[String],
        check_email: bool,
    ) -> Result<ValidUser, Vec<FieldError>> {
        let mut errors = vec![];
        let email = normalize_email(&self.email);
        if check_email && !is_plausible_email(&email) {
            errors.push(FieldError::new(
                "email",
                td_string!(locale, users.invalid_email),
            ));
        }
        let display_name = self.display_name.trim().to_string();
        if display_name.chars().count() > MAX_NAME_CHARS {
            errors.push(FieldError::new(
                "display_name",
                td_string!(locale, auth.name_too_long, max = MAX_NAME_CHARS).to_string(),
            ));
        }
        let role = self.role.parse::<Role>().ok();
        if role.is_none() {
            errors.push(FieldError::new(
                "role",
                td_string!(locale, users.role_required),
            ));
        }
        let mut countries: Vec<String> = vec![];
        for c in &self.countries {
            let code = c.trim().to_ascii_uppercase();
            if !known_countries.contains(&code) {
                errors.push(FieldError::new(
                    "countries",
                    td_string!(locale, users.not_member_state, code = c.trim()).to_string(),
                ));
            } else if !countries.contains(&code) {
                countries.push(code);
            }
        }
        countries.sort();
        let mut organisation = None;
        let mut member_type = None;
        let mut member_country = None;
        match role {
            Some(Role::FocalPoint) if countries.is_empty() => {
                errors.push(FieldError::new(
                    "countries",
                    td_string!(locale, users.countries_required),
                ));
            }
            Some(Role::Member) => {
                let org = self.organisation.trim();
                if org.is_empty() {
                    errors.push(FieldError::new(
                        "organisation",
                        td_string!(locale, users.organisation_required),
                    ));
                } else {
                    organisation = Some(org.to_string());
                }
                member_type = self.member_type.parse::<MemberType>().ok();
                if member_type.is_none() {
                    errors.push(FieldError::new(
                        "member_type",
                        td_string!(locale, users.member_type_required),
                    ));
                }
                let mc = self.member_country.trim().to_ascii_uppercase();
                if known_countries.contains(&mc) {
                    member_country = Some(mc);
                } else {
                    errors.push(FieldError::new(
                        "member_country",
                        td_string!(locale, users.member_country_required),
                    ));
                }
            }
            _ => {}
        }
        if role != Some(Role::FocalPoint) {
            countries.clear();
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ValidUser {
            email,
            display_name,
            role: role.unwrap_or(Role::Viewer),
            countries,
            organisation,
            member_type,
            member_country,
        })
    }
}

/// Filters of the user list (from the URL).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserFilter {
    pub role: Option<Role>,
    pub country: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Vec<String> {
        vec!["IT".into(), "FR".into()]
    }

    fn input(role: &str) -> UserInput {
        UserInput {
            email: " Anna.Rossi@Example.org ".into(),
            role: role.into(),
            ..Default::default()
        }
    }

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        let v = input("viewer")
            .validate(Locale::en, &known(), true)
            .unwrap();
        assert_eq!(v.email, "anna.rossi@example.org");
    }

    #[test]
    fn implausible_emails_are_refused_on_the_email_field() {
        for bad in [
            "",
            "anna",
            "anna@",
            "@example.org",
            "anna@example",
            "an na@example.org",
            "a@b@c.org",
        ] {
            let mut i = input("viewer");
            i.email = bad.into();
            let errors = i.validate(Locale::en, &known(), true).unwrap_err();
            assert_eq!(errors[0].field, "email", "{bad}");
        }
    }

    #[test]
    fn a_focal_point_needs_a_known_country() {
        let errors = input("focal-point")
            .validate(Locale::en, &known(), true)
            .unwrap_err();
        assert_eq!(errors[0].field, "countries");
        let mut i = input("focal-point");
        i.countries = vec!["it".into(), "IT".into(), "FR".into()];
        assert_eq!(
            i.validate(Locale::en, &known(), true).unwrap().countries,
            vec!["FR", "IT"]
        );
        i.countries = vec!["XX".into()];
        assert_eq!(
            i.validate(Locale::en, &known(), true).unwrap_err()[0].field,
            "countries"
        );
    }

    #[test]
    fn a_member_needs_organisation_type_and_country() {
        let errors = input("member")
            .validate(Locale::en, &known(), true)
            .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["organisation", "member_type", "member_country"]);
        let mut i = input("member");
        i.organisation = "ESMO".into();
        i.member_type = "professional-society".into();
        i.member_country = "fr".into();
        let v = i.validate(Locale::en, &known(), true).unwrap();
        assert_eq!(v.member_country.as_deref(), Some("FR"));
        assert_eq!(v.member_type, Some(MemberType::ProfessionalSociety));
    }

    #[test]
    fn validation_messages_are_in_the_callers_language() {
        let mut i = input("member");
        i.email = "anna".into();
        i.countries = vec!["XX".into()];
        let errors = i.validate(Locale::fr, &known(), true).unwrap_err();
        assert_eq!(
            errors[0].message,
            "Saisissez une adresse électronique du type nom@example.org."
        );
        assert_eq!(
            errors[1].message,
            "« XX » n'est pas un État membre de la Région européenne de l'OMS."
        );
        let errors = input("").validate(Locale::de, &known(), true).unwrap_err();
        assert_eq!(errors[0].message, "Wählen Sie eine Rolle aus.");
        let errors = input("").validate(Locale::en, &known(), true).unwrap_err();
        assert_eq!(errors[0].message, "Choose a role.");
    }

    #[test]
    fn other_roles_carry_no_countries_and_an_unknown_role_is_refused() {
        let mut i = input("admin");
        i.countries = vec!["IT".into()];
        assert!(i
            .validate(Locale::en, &known(), true)
            .unwrap()
            .countries
            .is_empty());
        assert_eq!(
            input("root")
                .validate(Locale::en, &known(), true)
                .unwrap_err()[0]
                .field,
            "role"
        );
    }
}
