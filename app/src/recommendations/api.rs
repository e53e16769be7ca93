//! Server functions of the recommendations. Reference data is public: the caller is checked
//! against the public policy like every other call, and anyone passes it.

use leptos::prelude::*;

use super::model::Recommendation;
use crate::error::AppError;

/// The seven recommendations, in order. Public.
#[server(endpoint = "list_recommendations")]
pub async fn list_recommendations() -> Result<Vec<Recommendation>, AppError> {
    let db = crate::context::db()?;
    let _anyone = crate::context::public_caller();
    super::repo::list(&mut *db.conn().await?).await
}

/// One recommendation by its number. Public.
#[server(endpoint = "get_recommendation")]
pub async fn get_recommendation(number: i64) -> Result<Recommendation, AppError> {
    if !(1..=7).contains(&number) {
        return Err(AppError::NotFound);
    }
    let db = crate::context::db()?;
    let _anyone = crate::context::public_caller();
    super::repo::get(&mut *db.conn().await?, number).await
}
