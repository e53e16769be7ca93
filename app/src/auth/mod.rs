//! Accounts, roles and sessions: who may sign in, and what each role may do.

pub mod model;
