//! The one error type of the application.
//!
//! Every server function and route returns [`AppError`]. Its variants are the ones a user can
//! act on; anything else becomes [`AppError::Internal`], whose details are logged on the server
//! and never sent to the browser.

use serde::{Deserialize, Serialize};
use server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};

/// A problem with one input field, shown next to that field and in the error summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The `name` of the form field (also the id prefix of its input), e.g. `email` or
    /// `entries[3][narrative]`.
    pub field: String,
    /// A sentence the user can act on.
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// The application's error type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    #[error("The page or record you asked for does not exist.")]
    NotFound,
    #[error("Please sign in to continue.")]
    Unauthorized,
    #[error("You do not have permission to do this.")]
    Forbidden,
    /// Someone else changed the record first; `current` describes what they changed, and
    /// `version` is the record's version now (a save based on it would succeed).
    #[error("{message}")]
    Conflict {
        message: String,
        current: Vec<String>,
        version: Option<i64>,
    },
    /// One or more inputs are invalid.
    #[error("{}", summary(.0))]
    Invalid(Vec<FieldError>),
    /// A request that is well-formed but not allowed in the record's current state.
    #[error("{0}")]
    Rejected(String),
    #[error("{0}")]
    TooManyRequests(String),
    /// Details are in the server log.
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    /// The database cannot be reached (restarting, unreachable, every connection busy): the
    /// request did nothing and can be repeated in a moment. Answered 503 with `Retry-After`.
    #[error("The service is briefly unavailable. Please try again in a minute.")]
    Unavailable,
    /// The request could not reach the server function, or its arguments were malformed.
    #[error("The request could not be processed: {0}")]
    Transport(String),
}

fn summary(errors: &[FieldError]) -> String {
    match errors {
        [one] => one.message.clone(),
        many => format!("{} fields need attention.", many.len()),
    }
}

impl AppError {
    /// The message for the reader, in their language. Messages of the variants that carry
    /// one were written in the caller's language when the error was made.
    pub fn message(&self, locale: crate::lang::Locale) -> String {
        use crate::i18n::*;
        match self {
            Self::NotFound => td_string!(locale, common.error_not_found).to_string(),
            Self::Unauthorized => td_string!(locale, common.error_unauthorized).to_string(),
            Self::Forbidden => td_string!(locale, common.error_forbidden).to_string(),
            Self::Internal => td_string!(locale, common.error_internal).to_string(),
            Self::Unavailable => td_string!(locale, common.error_unavailable).to_string(),
            Self::Transport(detail) => {
                td_string!(locale, common.error_transport, detail = detail).to_string()
            }
            Self::Invalid(errors) => match errors.as_slice() {
                [one] => one.message.clone(),
                many => {
                    td_string!(locale, common.fields_need_attention, count = many.len()).to_string()
                }
            },
            Self::Conflict { message, .. } | Self::Rejected(message) => message.clone(),
            Self::TooManyRequests(message) => message.clone(),
        }
    }

    /// A single invalid field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid(vec![FieldError::new(field, message)])
    }

    /// The field errors, if this is a validation error.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            Self::Invalid(errors) => errors,
            _ => &[],
        }
    }

    /// The message for one field, if any.
    pub fn message_for(&self, field: &str) -> Option<String> {
        self.field_errors()
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.clone())
    }

    /// The HTTP status this error maps to.
    pub fn status_code(&self) -> u16 {
        match self {
            Self::NotFound => 404,
            Self::Unauthorized => 401,
            Self::Forbidden => 403,
            Self::Conflict { .. } | Self::Rejected(_) => 409,
            Self::Invalid(_) => 422,
            Self::TooManyRequests(_) => 429,
            Self::Internal => 500,
            Self::Unavailable => 503,
            Self::Transport(_) => 400,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(m) | ServerFnErrorErr::MissingArg(m) => Self::Transport(m),
            ServerFnErrorErr::Request(m) => Self::Transport(m),
            other => Self::Transport(other.to_string()),
        }
    }
}

/// Seconds a client is asked to wait before repeating a request refused with
/// [`AppError::Unavailable`].
pub const RETRY_AFTER_UNAVAILABLE: &str = "5";

#[cfg(feature = "ssr")]
pub use ssr::database_unreachable;

#[cfg(feature = "ssr")]
mod ssr {
    use super::AppError;

    impl From<sqlx::Error> for AppError {
        fn from(err: sqlx::Error) -> Self {
            match &err {
                sqlx::Error::RowNotFound => AppError::NotFound,
                sqlx::Error::Database(db) if db.is_unique_violation() => AppError::Conflict {
                    // In the caller's language (English outside a request).
                    message: crate::i18n::td_string!(
                        crate::lang::use_locale(),
                        common.error_duplicate
                    )
                    .to_string(),
                    current: vec![],
                    version: None,
                },
                _ if database_unreachable(&err) => {
                    tracing::warn!(error = %err, "database unavailable");
                    AppError::Unavailable
                }
                _ => {
                    tracing::error!(error = %err, "database error");
                    AppError::Internal
                }
            }
        }
    }

    /// Whether `err` says the database could not be reached or is going away (a restart, a
    /// network failure, every connection taken for too long), as opposed to a fault of the
    /// query: the same request will work once the database is back.
    pub fn database_unreachable(err: &sqlx::Error) -> bool {
        match err {
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed
            | sqlx::Error::Protocol(_) => true,
            sqlx::Error::Database(db) => {
                let Some(code) = db.code() else {
                    return false;
                };
                if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                    // Busy or locked for longer than the busy timeout (5, 6 and their
                    // extended codes).
                    matches!(code.parse::<i32>().map(|c| c & 0xff), Ok(5 | 6))
                } else {
                    // PostgreSQL: connection exceptions (class 08), shutting down or starting
                    // up (57P01-57P03), too many connections (53300).
                    code.starts_with("08")
                        || matches!(code.as_ref(), "57P01" | "57P02" | "57P03" | "53300")
                }
            }
            _ => false,
        }
    }

    impl axum::response::IntoResponse for AppError {
        fn into_response(self) -> axum::response::Response {
            let status = axum::http::StatusCode::from_u16(self.status_code())
                .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
            let body = serde_json::json!({ "error": self.to_string(), "status": status.as_u16() });
            let mut res = (status, axum::Json(body)).into_response();
            if self == AppError::Unavailable {
                res.headers_mut().insert(
                    axum::http::header::RETRY_AFTER,
                    axum::http::HeaderValue::from_static(super::RETRY_AFTER_UNAVAILABLE),
                );
            }
            res
        }
    }
}

/// Shorthand for results of this application.
pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_single_invalid_field_is_its_own_summary() {
        let e = AppError::invalid("email", "Enter an email address.");
        assert_eq!(e.to_string(), "Enter an email address.");
        assert_eq!(
            e.message_for("email").as_deref(),
            Some("Enter an email address.")
        );
        assert_eq!(e.message_for("password"), None);
        assert_eq!(e.status_code(), 422);
    }

    #[test]
    fn several_invalid_fields_are_counted_in_the_summary() {
        let e = AppError::Invalid(vec![FieldError::new("a", "x"), FieldError::new("b", "y")]);
        assert_eq!(e.to_string(), "2 fields need attention.");
    }

    #[test]
    fn errors_survive_the_json_round_trip_used_by_server_functions() {
        let e = AppError::Conflict {
            message: "changed".into(),
            current: vec!["a".into()],
            version: Some(3),
        };
        let bytes = e.ser();
        assert_eq!(AppError::de(bytes), e);
    }
}
