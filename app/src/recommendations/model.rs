use serde::{Deserialize, Serialize};

/// One of the seven recommendations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recommendation {
    /// 1 to 7, in the order of the source text.
    pub number: i64,
    pub title: String,
    pub description: String,
}
