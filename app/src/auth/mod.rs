//! Accounts, roles and sessions: signing in and out, invitation and password-reset links.
//! Sessions live in the database (tower-sessions), so any app instance serves any user; every
//! request resolves its caller once (`session::resolve_caller`), and every server function
//! checks the caller through `context::require_role` before it touches data.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod repo;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod token;
