use serde::{Deserialize, Serialize};

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    /// The email of who did it (or who tried to sign in), if known.
    pub actor: Option<String>,
    pub action: String,
    pub subject: Option<String>,
    pub details: Option<String>,
    pub ip: Option<String>,
}

/// A page of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// The id to ask for older entries with, if there are more.
    pub older_than: Option<i64>,
    /// The actions that occur in the log, for the filter.
    pub actions: Vec<String>,
}
