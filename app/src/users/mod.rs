//! User administration (`/admin/users`), for admins only: list and filter users, invite a user
//! by a single-use link, change role and countries, deactivate (which ends their sessions),
//! and create password-reset links. No email server is needed: the admin copies the link.

pub mod api;
#[cfg(feature = "ssr")]
pub mod cli;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
