//! Password hashing with Argon2id (RustCrypto `argon2`, OWASP parameters) and the password rules.

use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Algorithm, Argon2, Params, Version,
};

use crate::error::{AppError, FieldError};
use crate::i18n::*;
use crate::lang::Locale;

/// At least this many characters (NIST SP 800-63B; long passphrases welcome, no composition rules).
pub const MIN_CHARS: usize = 12;
/// An upper bound, so hashing cannot be used to exhaust the server.
pub const MAX_CHARS: usize = 1024;

/// Argon2id, 19 MiB, 2 iterations, 1 lane: the OWASP Password Storage Cheat Sheet's first option.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("constant parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Checks a new password (and its confirmation) against the rules; errors name the fields,
/// in `locale`.
pub fn validate_new(
    locale: Locale,
    password: &str,
    confirm: &str,
    field: &str,
    confirm_field: &str,
) -> Vec<FieldError> {
    let mut errors = vec![];
    let n = password.chars().count();
    if n < MIN_CHARS {
        errors.push(FieldError::new(
            field,
            td_string!(locale, auth.password_too_short, min = MIN_CHARS).to_string(),
        ));
    } else if n > MAX_CHARS {
        errors.push(FieldError::new(
            field,
            td_string!(locale, auth.password_too_long, max = MAX_CHARS).to_string(),
        ));
    } else if password != confirm {
        errors.push(FieldError::new(
            confirm_field,
            td_string!(locale, auth.passwords_differ),
        ));
    }
    errors
}

/// Hashes a password (on a blocking thread: it takes tens of milliseconds by design).
pub async fn hash(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .await
    .map_err(|_| AppError::Internal)?
    .map_err(|e| {
        tracing::error!(error = %e, "password hashing failed");
        AppError::Internal
    })
}

/// Verifies a password against a stored hash. With no hash (unknown user, invitation not yet
/// accepted) it still does the same work, so the answer time does not tell whether the
/// account exists.
pub async fn verify(password: String, stored: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let dummy;
        let (hash, real) = match stored.as_deref() {
            Some(h) => (h, true),
            None => {
                dummy = dummy_hash();
                (dummy.as_str(), false)
            }
        };
        let Ok(parsed) = PasswordHash::new(hash) else {
            return false;
        };
        let ok = argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        ok && real
    })
    .await
    .unwrap_or(false)
}

fn dummy_hash() -> String {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY
        .get_or_init(|| {
            let salt = SaltString::generate(&mut OsRng);
            argon2()
                .hash_password(b"not a real password, only for timing", &salt)
                .map(|h| h.to_string())
                .unwrap_or_default()
        })
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_passwords_are_refused_and_long_passphrases_accepted() {
        assert_eq!(
            validate_new(Locale::en, "short", "short", "p", "c").len(),
            1
        );
        assert!(validate_new(
            Locale::en,
            "correct horse battery staple",
            "correct horse battery staple",
            "p",
            "c"
        )
        .is_empty());
        assert!(
            validate_new(Locale::en, "aaaaaaaaaaaa", "aaaaaaaaaaaa", "p", "c").is_empty(),
            "no composition rules"
        );
        let long = "ü".repeat(MAX_CHARS + 1);
        assert_eq!(
            validate_new(Locale::en, &long, &long, "p", "c")[0].field,
            "p"
        );
    }

    #[test]
    fn twelve_characters_count_characters_not_bytes() {
        let p = "ééééééééééé"; // 11 characters, 22 bytes
        assert_eq!(validate_new(Locale::en, p, p, "p", "c").len(), 1);
    }

    #[test]
    fn a_mismatched_confirmation_is_reported_on_the_confirmation_field() {
        let errors = validate_new(
            Locale::en,
            "a long passphrase",
            "a long passphrasf",
            "p",
            "c",
        );
        assert_eq!(
            errors,
            vec![FieldError::new("c", "The two passwords do not match.")]
        );
    }

    #[test]
    fn password_rules_are_explained_in_the_callers_language() {
        let fr = validate_new(Locale::fr, "court", "court", "p", "c");
        assert_eq!(
            fr[0].message,
            "Choisissez un mot de passe d'au moins 12 caractères. Quelques mots à la suite en font un bon."
        );
        let de = validate_new(
            Locale::de,
            "ein langes Passwort",
            "ein anderes Passwort",
            "p",
            "c",
        );
        assert_eq!(
            de[0].message,
            "Die beiden Passwörter stimmen nicht überein."
        );
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let h = hash("a long passphrase".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("a long passphrase".into(), Some(h.clone())).await);
        assert!(!verify("a long passphrasE".into(), Some(h)).await);
        assert!(!verify("anything".into(), None).await);
    }
}
