//! The server function of the import pages.

use leptos::prelude::*;

use super::model::ImportView;
use crate::error::AppError;

/// An import's dry run and state. Only the person who uploaded it, while still allowed to
/// import into what it is for.
#[server(endpoint = "get_import")]
pub async fn get_import(id: i64) -> Result<ImportView, AppError> {
    let user = crate::context::require_user()?;
    let db = crate::context::db()?;
    let locale = crate::lang::use_locale();
    super::service::view(&db, &user, id, locale).await
}
