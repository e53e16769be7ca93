//! The audit log: sign-ins, failed sign-ins, user changes and workflow transitions, with who,
//! when and from where. Written by the features in the same transaction as the change it
//! records; readable by admins at `/admin/audit`.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
