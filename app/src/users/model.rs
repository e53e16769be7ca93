use serde::{Deserialize, Serialize};

use crate::auth::model::MemberType;
use crate::caller::Role;
use crate::error::FieldError;

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
    pub fn label(self) -> &'static str {
        match self {
            Self::Invited => "Invited",
            Self::Active => "Active",
            Self::Deactivated => "Deactivated",
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
    /// `check_email` false (editing), the email is not looked at.
    pub fn validate(
        &self,
        known_countries: &[String],
        check_email: bool,
    ) -> Result<ValidUser, Vec<FieldError>> {
        let mut errors = vec![];
        let email = normalize_email(&self.email);
        if check_email && !is_plausible_email(&email) {
            errors.push(FieldError::new(
                "email",
                "Enter an email address like name@example.org.",
            ));
        }
        let display_name = self.display_name.trim().to_string();
        if display_name.chars().count() > 120 {
            errors.push(FieldError::new(
                "display_name",
                "Enter a name of at most 120 characters.",
            ));
        }
        let role = self.role.parse::<Role>().ok();
        if role.is_none() {
            errors.push(FieldError::new("role", "Choose a role."));
        }
        let mut countries: Vec<String> = vec![];
        for c in &self.countries {
            let code = c.trim().to_ascii_uppercase();
            if !known_countries.contains(&code) {
                errors.push(FieldError::new(
                    "countries",
                    format!("{c:?} is not a WHO Europe Member State."),
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
                    "Choose at least one country this focal point reports for.",
                ));
            }
            Some(Role::Member) => {
                let org = self.organisation.trim();
                if org.is_empty() {
                    errors.push(FieldError::new(
                        "organisation",
                        "Enter the member's organisation.",
                    ));
                } else {
                    organisation = Some(org.to_string());
                }
                member_type = self.member_type.parse::<MemberType>().ok();
                if member_type.is_none() {
                    errors.push(FieldError::new("member_type", "Choose the kind of member."));
                }
                let mc = self.member_country.trim().to_ascii_uppercase();
                if known_countries.contains(&mc) {
                    member_country = Some(mc);
                } else {
                    errors.push(FieldError::new(
                        "member_country",
                        "Choose the member's country.",
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
        let v = input("viewer").validate(&known(), true).unwrap();
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
            let errors = i.validate(&known(), true).unwrap_err();
            assert_eq!(errors[0].field, "email", "{bad}");
        }
    }

    #[test]
    fn a_focal_point_needs_a_known_country() {
        let errors = input("focal-point").validate(&known(), true).unwrap_err();
        assert_eq!(errors[0].field, "countries");
        let mut i = input("focal-point");
        i.countries = vec!["it".into(), "IT".into(), "FR".into()];
        assert_eq!(
            i.validate(&known(), true).unwrap().countries,
            vec!["FR", "IT"]
        );
        i.countries = vec!["XX".into()];
        assert_eq!(
            i.validate(&known(), true).unwrap_err()[0].field,
            "countries"
        );
    }

    #[test]
    fn a_member_needs_organisation_type_and_country() {
        let errors = input("member").validate(&known(), true).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["organisation", "member_type", "member_country"]);
        let mut i = input("member");
        i.organisation = "ESMO".into();
        i.member_type = "professional-society".into();
        i.member_country = "fr".into();
        let v = i.validate(&known(), true).unwrap();
        assert_eq!(v.member_country.as_deref(), Some("FR"));
        assert_eq!(v.member_type, Some(MemberType::ProfessionalSociety));
    }

    #[test]
    fn other_roles_carry_no_countries_and_an_unknown_role_is_refused() {
        let mut i = input("admin");
        i.countries = vec!["IT".into()];
        assert!(i.validate(&known(), true).unwrap().countries.is_empty());
        assert_eq!(
            input("root").validate(&known(), true).unwrap_err()[0].field,
            "role"
        );
    }
}
