//! Pages of surveys: the builder and its preview (admins), invitations and results (admins,
//! viewers for results), answering (`/s/{token}`, anyone with a link) and a member's own data.

pub mod answer;
pub mod builder;
pub mod results;
