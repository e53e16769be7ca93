//! The demo data set, server only: `server demo-data` fills an empty database with a clearly
//! synthetic picture of Europe, so a newcomer sees full dashboards at once. Four half-year
//! periods (three closed, the newest open), reports for the 53 countries whose statuses climb
//! the scale over time (every narrative starts "Demo —", every link goes to example.org), four
//! indicators with values, and one account per role whose random password is printed once. It
//! refuses a database that already has reports, and writes everything in one transaction.
//! `plan` draws the data set from a fixed seed (pure, tested without a database); `service`
//! writes it through the features' own repos; `repo` holds the few statements only synthetic
//! data needs. Only the command line calls it.

pub mod plan;
pub mod repo;
pub mod service;
pub mod surveys;

pub use service::{fill, has_reports, DemoAccount, DemoData};
