//! Server functions of surveys, by who calls them: the builder (admins), results and
//! invitations (admins and viewers), answering (whoever holds a link).

pub mod answering;
pub mod builder;
pub mod results;
