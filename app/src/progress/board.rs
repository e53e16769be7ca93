//! Where reports stand, server only: the completeness board of a period (admins and viewers)
//! and a focal point's list of their countries' reports.

use strum::VariantArray;

use super::repo;
use super::view::{Board, BoardRow, MyReport};
use super::workflow::ReportState;
use crate::caller::CurrentUser;
use crate::countries::model::CountryGroup;
use crate::db::Db;
use crate::error::AppError;
use crate::lang::Locale;
use crate::{clock, countries, periods};

/// Every country's report state in a period, of the countries in `group`, with the count of
/// each state ("Not started" first, labelled in `locale`).
pub async fn board(
    db: &Db,
    period_id: i64,
    group: CountryGroup,
    locale: Locale,
) -> Result<Board, AppError> {
    let mut conn = db.conn().await?;
    let period = periods::repo::get(&mut conn, period_id).await?;
    let rows: Vec<BoardRow> = repo::board(&mut conn, period.id)
        .await?
        .into_iter()
        .filter(|r| match group {
            CountryGroup::All => true,
            CountryGroup::Eu27 => r.eu_member,
            CountryGroup::NonEu => !r.eu_member,
        })
        .collect();
    let counts = std::iter::once(None)
        .chain(ReportState::VARIANTS.iter().copied().map(Some))
        .map(|state| {
            (
                ReportState::label_or_not_started(state, locale).to_string(),
                rows.iter().filter(|r| r.state == state).count(),
            )
        })
        .collect();
    let phase = period.phase;
    let closing_date_passed = period.closes_on < clock::today();
    Ok(Board {
        period,
        phase,
        rows,
        counts,
        closing_date_passed,
    })
}

/// `user`'s countries' reports, every period, newest period first.
pub async fn my_reports(db: &Db, user: &CurrentUser) -> Result<Vec<MyReport>, AppError> {
    let mut conn = db.conn().await?;
    let periods = periods::repo::list(&mut conn).await?;
    let countries = countries::repo::list(&mut conn).await?;
    let states = repo::all_states(&mut conn).await?;
    let mut out = vec![];
    for p in &periods {
        for iso2 in &user.countries {
            let state = states
                .iter()
                .find(|s| &s.iso2 == iso2 && s.period_id == p.id);
            out.push(MyReport {
                iso2: iso2.clone(),
                country: countries
                    .iter()
                    .find(|c| &c.iso2 == iso2)
                    .map(|c| c.name.clone())
                    .unwrap_or_default(),
                period_id: p.id,
                period: p.name.clone(),
                phase: p.phase,
                state: state.map(|s| s.state),
                updated_at: state.map(|s| s.updated_at.clone()),
            });
        }
    }
    Ok(out)
}
