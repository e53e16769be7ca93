//! Server functions of the countries. Reference data is public.

use leptos::prelude::*;

use super::model::Country;
use crate::error::AppError;

/// All 53 countries, by name. Public.
#[server(endpoint = "list_countries")]
pub async fn list_countries() -> Result<Vec<Country>, AppError> {
    let db = crate::context::db()?;
    let _anyone = crate::context::public_caller();
    super::repo::list(&mut *db.conn().await?).await
}
