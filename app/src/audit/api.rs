//! Server functions of the audit log: admins only.

use leptos::prelude::*;

use super::model::AuditPage;
use crate::error::AppError;

/// A page of the audit log, newest first. Admins only.
#[server(endpoint = "list_audit")]
pub async fn list_audit(
    #[server(default)] action: Option<String>,
    #[server(default)] older_than: Option<i64>,
) -> Result<AuditPage, AppError> {
    use crate::caller::Role;
    crate::context::require_role(&[Role::Admin])?;
    let db = crate::context::db()?;
    let action = action.filter(|a| !a.is_empty());
    super::repo::list(&mut *db.conn().await?, action.as_deref(), older_than).await
}
