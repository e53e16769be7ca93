//! Writing the demo data set: accounts, periods, indicators and reports, in one transaction.

use rand::distributions::{Alphanumeric, DistString};
use time::OffsetDateTime;

use super::plan::{self, iso_date, CountryName, Outcome, Plan};
use super::repo::{self, Counts};
use crate::audit::model::AuditEvent;
use crate::audit::repo::{record, NewEntry};
use crate::caller::{CurrentUser, Role};
use crate::clock;
use crate::db::{Db, Tx};
use crate::error::AppError;
use crate::indicators::model::Indicator;
use crate::lang::Locale;
use crate::periods::model::PeriodInput;
use crate::progress::checks::{check_entries, EntryInput, EntryValues};
use crate::progress::missing::carried_forward;
use crate::progress::service::write_entries;
use crate::progress::workflow::{ReportState, Transition};
use crate::users::model::UserInput;
use crate::{countries, indicators, periods, progress, users};

/// How long the printed passwords are (letters and digits: about 119 bits).
const PASSWORD_CHARS: usize = 20;

/// The audit log's details of everything the data set writes.
const DETAILS: &str = "demo data set (synthetic)";

/// What the data set wrote, with the accounts' passwords (to be shown once, then forgotten).
#[derive(Debug)]
pub struct DemoData {
    /// Rows in the database afterwards.
    pub counts: Counts,
    /// Period names, oldest first.
    pub periods: Vec<String>,
    pub accounts: Vec<DemoAccount>,
}

/// A demo account and its password.
pub struct DemoAccount {
    pub role: Role,
    pub email: String,
    pub password: String,
    /// What else to know (the focal point's country).
    pub note: String,
}

/// Never prints the password (errors and logs may show a `Debug` form).
impl std::fmt::Debug for DemoAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoAccount")
            .field("role", &self.role)
            .field("email", &self.email)
            .field("password", &"***")
            .finish()
    }
}

impl DemoData {
    /// What `server demo-data` prints: what was written, where to go, and the accounts as a
    /// small table.
    pub fn summary(&self, site: &str) -> String {
        let c = &self.counts;
        let mut out = format!(
            "Demo data written (synthetic; every narrative starts with \"Demo —\"):\n  \
             {} periods ({}), {} indicators\n  \
             {} reports: {} approved, {} submitted, {} draft; {} entries, {} indicator values, \
             {} history rows\n  \
             {} surveys with {} responses, {} network members\n\n\
             Open {site}/dashboard and sign in at {site}/login. The passwords are shown only \
             this once:\n\n",
            c.periods,
            self.periods.join(", "),
            c.indicators,
            c.reports,
            c.approved,
            c.submitted,
            c.drafts,
            c.entries,
            c.indicator_values,
            c.history,
            c.surveys,
            c.survey_responses,
            c.members,
        );
        let email_width = self
            .accounts
            .iter()
            .map(|a| a.email.len())
            .max()
            .unwrap_or(5);
        out.push_str(&format!(
            "  {:<12}  {:<email_width$}  {:<PASSWORD_CHARS$}  note\n",
            "role", "email", "password"
        ));
        for a in &self.accounts {
            let line = format!(
                "  {:<12}  {:<email_width$}  {:<PASSWORD_CHARS$}  {}",
                a.role.as_str(),
                a.email,
                a.password,
                a.note
            );
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// Does the database have any report (so that [`fill`] would refuse it)?
pub async fn has_reports(db: &Db) -> Result<bool, AppError> {
    Ok(repo::report_count(&mut *db.conn().await?).await? > 0)
}

/// Fills an empty database with the demo data set as of `now`: four half-year periods, the
/// 53 countries' reports, four indicators with values, and one account per role with a random
/// password. Refused (`Rejected`, nothing written) when the database has any report. Written
/// in one transaction: on any error nothing is.
///
/// The reports go through the progress feature's own writes (`repo::create`, the save's
/// `write_entries`, `repo::transition`), so entries, indicator values and history look
/// exactly as if focal points had saved, copied forward and submitted them, and admins had
/// approved them. Not through `save_report`/`review_report`: those open a transaction each
/// and refuse closed periods, and three of the four periods are closed.
pub async fn fill(db: &Db, now: OffsetDateTime) -> Result<DemoData, AppError> {
    // The command line speaks English.
    let locale = Locale::en;
    let countries = countries::repo::list(&mut *db.conn().await?).await?;
    let names: Vec<CountryName> = countries
        .iter()
        .map(|c| CountryName {
            iso2: c.iso2.clone(),
            name: c.name.clone(),
        })
        .collect();
    let known: Vec<String> = names.iter().map(|c| c.iso2.clone()).collect();
    let plan = plan::plan(&names, now, plan::SEED);
    let focal_country = plan
        .reports
        .iter()
        .find(|r| r.outcome == Outcome::Draft)
        .or(plan.reports.first())
        .map(|r| r.iso2.clone())
        .ok_or(AppError::Internal)?;
    let focal_name = names
        .iter()
        .find(|c| c.iso2 == focal_country)
        .map(|c| c.name.clone())
        .unwrap_or_default();

    // Hashed before the transaction: Argon2 takes its time by design.
    let mut accounts = vec![];
    for (role, name, countries) in [
        (Role::Admin, "Demo Administrator", vec![]),
        (
            Role::FocalPoint,
            "Demo Focal Point",
            vec![focal_country.clone()],
        ),
        (Role::Member, "Demo Member", vec![]),
        (Role::Viewer, "Demo Viewer", vec![]),
    ] {
        let member = role == Role::Member;
        let input = UserInput {
            email: format!("demo-{}@demo.invalid", role.as_str()),
            display_name: name.to_string(),
            role: role.as_str().to_string(),
            countries,
            organisation: if member { "Demo Cancer Society" } else { "" }.into(),
            member_type: if member { "patient-organisation" } else { "" }.into(),
            member_country: if member { focal_country.as_str() } else { "" }.into(),
        };
        let valid = input
            .validate(locale, &known, true)
            .map_err(AppError::Invalid)?;
        // From the operating system's generator, not the seed: the data set is reproducible,
        // its passwords must not be.
        let password = Alphanumeric.sample_string(&mut rand::rngs::OsRng, PASSWORD_CHARS);
        let hash = crate::auth::password::hash(password.clone()).await?;
        let note = if role == Role::FocalPoint {
            format!("reports for {focal_name} ({focal_country})")
        } else {
            String::new()
        };
        accounts.push((valid, hash, password, note));
    }

    let mut tx = db.begin().await?;
    db.serialize_admin_changes(&mut tx).await?;
    if repo::report_count(&mut tx).await? > 0 {
        return Err(AppError::Rejected(
            "this database already has reports; the demo data set only goes into a database \
             without any (start one of its own, e.g. DATABASE_URL=sqlite://data/demo.db)"
                .into(),
        ));
    }

    let mut ids = vec![];
    for (valid, hash, _, _) in &accounts {
        if users::repo::email_taken(&mut tx, &valid.email).await? {
            return Err(AppError::Rejected(format!(
                "a user {} already exists; the demo data set needs a database of its own",
                valid.email
            )));
        }
        let id = users::repo::create(&mut tx, valid, Some(hash)).await?;
        audit(
            &mut tx,
            None,
            AuditEvent::UserCreatedCli,
            format!("user:{id} {}", valid.email),
        )
        .await?;
        ids.push(id);
    }
    let user = |i: usize, display_name: &str| CurrentUser {
        id: ids[i],
        email: accounts[i].0.email.clone(),
        display_name: display_name.to_string(),
        role: accounts[i].0.role,
        countries: accounts[i].0.countries.clone(),
    };
    let admin = user(0, "Demo Administrator");
    let focal_point = user(1, "Demo Focal Point");
    // The other countries' reports have no focal point account; their history names the data
    // set, on the administrator's account.
    let generator = user(0, "Demo data (synthetic)");

    let period_ids = write_periods(&mut tx, &plan, locale).await?;
    let defs = write_indicators(&mut tx).await?;
    let indicator_ids: Vec<i64> = defs.iter().map(|d| d.id).collect();

    let today = iso_date(now.date());
    // (country, period index) → report id, for copying forward.
    let mut written: Vec<(String, usize, i64)> = vec![];
    for r in &plan.reports {
        let period = &plan.periods[r.period];
        let period_id = period_ids[r.period];
        let author = if r.iso2 == focal_country {
            &focal_point
        } else {
            &generator
        };
        let inputs: Vec<EntryInput> = r.entries.iter().map(|e| e.input(&indicator_ids)).collect();
        let values = check_entries(&inputs, &defs, &today, locale).map_err(AppError::Invalid)?;
        let previous = r.period.checked_sub(1).and_then(|p| {
            written
                .iter()
                .find(|(iso2, period, _)| *iso2 == r.iso2 && *period == p)
                .map(|w| w.2)
        });
        let report_id =
            progress::repo::create(&mut tx, &r.iso2, period_id, author, previous, locale).await?;
        let mut version = 0;
        if let Some(source) = previous {
            // As `copy_forward` does: the last approved report, then this period's changes.
            let copied: Vec<EntryValues> = progress::repo::entries(&mut tx, source)
                .await?
                .into_iter()
                .map(|e| EntryValues {
                    indicators: carried_forward(&e.stored_values, &defs),
                    ..e.values
                })
                .collect();
            version = write_entries(&mut tx, report_id, &r.iso2, 0, &copied, &defs, author)
                .await?
                .ok_or(AppError::Internal)?;
        }
        version = write_entries(&mut tx, report_id, &r.iso2, version, &values, &defs, author)
            .await?
            .ok_or(AppError::Internal)?;
        let subject = format!("report:{}/{}", r.iso2, period.name);
        let mut state = ReportState::Draft;
        for (happened, transition, by) in [
            (r.submitted.is_some(), Transition::Submit, author),
            (r.approved.is_some(), Transition::Approve, &admin),
        ] {
            if !happened {
                continue;
            }
            let to = transition.apply(state).ok_or(AppError::Internal)?;
            version = progress::repo::transition(
                &mut tx,
                report_id,
                Some(version),
                state,
                to,
                None,
                by,
                locale,
            )
            .await?;
            audit(&mut tx, Some(by), transition.audit_event(), subject.clone()).await?;
            state = to;
        }
        let stamp = clock::format_timestamp;
        let last = r.approved.or(r.submitted).unwrap_or(r.saved);
        repo::set_report_times(
            &mut tx,
            report_id,
            &stamp(r.created),
            &stamp(last),
            r.submitted.map(stamp).as_deref(),
            r.approved.map(stamp).as_deref(),
        )
        .await?;
        let first_save = if previous.is_some() {
            r.created
        } else {
            r.saved
        };
        repo::set_history_times(&mut tx, report_id, &stamp(first_save), &stamp(r.saved)).await?;
        written.push((r.iso2.clone(), r.period, report_id));
    }
    let member = ids[2];
    let survey_counts =
        super::surveys::write(&mut tx, &known, admin.id, member, plan::SEED).await?;
    audit(
        &mut tx,
        None,
        AuditEvent::SurveyCreated,
        format!(
            "{} surveys, {} synthetic members, {} responses",
            survey_counts.surveys, survey_counts.members, survey_counts.responses
        ),
    )
    .await?;
    let counts = repo::counts(&mut tx).await?;
    tx.commit().await?;
    Ok(DemoData {
        counts,
        periods: plan.periods.iter().map(|p| p.name.clone()).collect(),
        accounts: accounts
            .into_iter()
            .map(|(valid, _, password, note)| DemoAccount {
                role: valid.role,
                email: valid.email,
                password,
                note,
            })
            .collect(),
    })
}

/// Creates the plan's periods (after the checks of the admin's period form); their ids,
/// oldest first.
async fn write_periods(tx: &mut Tx, plan: &Plan, locale: Locale) -> Result<Vec<i64>, AppError> {
    let mut ids = vec![];
    for p in &plan.periods {
        let input = PeriodInput {
            name: p.name.clone(),
            starts_on: iso_date(p.starts_on),
            ends_on: iso_date(p.ends_on),
            opens_on: iso_date(p.opens_on),
            closes_on: iso_date(p.closes_on),
        }
        .validate(locale)
        .map_err(AppError::Invalid)?;
        match periods::repo::get_by_name(&mut *tx, &input.name).await {
            Err(AppError::NotFound) => {}
            Ok(_) => {
                return Err(AppError::Rejected(format!(
                    "a period named {} already exists; the demo data set needs a database of \
                     its own",
                    input.name
                )))
            }
            Err(e) => return Err(e),
        }
        if let Some(other) = periods::repo::overlapping(&mut *tx, None, &input).await? {
            return Err(AppError::Rejected(format!(
                "the period {other} takes submissions at the same time as the demo period {}; \
                 the demo data set needs a database of its own",
                input.name
            )));
        }
        let id = periods::repo::create(&mut *tx, &input).await?;
        audit(
            tx,
            None,
            AuditEvent::PeriodSaved,
            format!("period:{id} {}", input.name),
        )
        .await?;
        ids.push(id);
    }
    Ok(ids)
}

/// Creates the demo indicators; returns them with their ids, in the plan's order.
async fn write_indicators(tx: &mut Tx) -> Result<Vec<Indicator>, AppError> {
    let existing = indicators::repo::list(&mut *tx).await?;
    let mut defs = plan::indicators();
    for def in &mut defs {
        if existing
            .iter()
            .any(|e| e.recommendation == def.recommendation && e.name == def.name)
        {
            return Err(AppError::Rejected(format!(
                "an indicator named {} already exists; the demo data set needs a database of \
                 its own",
                def.name
            )));
        }
        def.id = indicators::repo::create(&mut *tx, def).await?;
        audit(
            tx,
            None,
            AuditEvent::IndicatorSaved,
            format!("indicator:{} {}", def.id, def.name),
        )
        .await?;
    }
    Ok(defs)
}

/// Records a step of the data set in the audit log: by a demo account, or (`None`) by the
/// command line.
async fn audit(
    tx: &mut Tx,
    by: Option<&CurrentUser>,
    action: AuditEvent,
    subject: String,
) -> Result<(), AppError> {
    record(
        &mut *tx,
        NewEntry {
            actor_id: by.map(|u| u.id),
            actor_email: Some(by.map_or("command line (demo-data)", |u| u.email.as_str())),
            subject: Some(subject),
            details: Some(DETAILS.to_string()),
            ip: Some("local"),
            ..NewEntry::new(action)
        },
    )
    .await
}
