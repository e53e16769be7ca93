//! Legacy imports on the database: the dry run ([`prepare`]: the plan, with the countries
//! checked against the database) and the import ([`import_responses`]: admins only, one
//! transaction, one audit entry).
//!
//! **Which surveys.** Open and closed surveys take imports; drafts do not. Past results
//! usually go into a closed survey (close a draft directly: it then shows its results without
//! ever taking answers), and paper answers can join an open one. A draft is refused because
//! its questions are still being built, and answers lock them (answered questions can no
//! longer be deleted or change kind), while a survey with responses cannot go back to draft.

use super::{messages, Plan, Planned, Problem};
use crate::audit::{
    model::AuditEvent,
    repo::{Actor, AuditedTx},
};
use crate::auth::token;
use crate::caller::CurrentUser;
use crate::clock;
use crate::db::Db;
use crate::error::AppError;
use crate::i18n::*;
use crate::lang::Locale;
use crate::spreadsheet::grid::{column_letters, Workbook};
use crate::spreadsheet::read::{self, Limits};
use crate::surveys::model::{Survey, SurveyStatus};
use crate::surveys::policy;
use crate::surveys::repo::{self, ImportedResponse};

fn refuse_draft(survey: &Survey, locale: Locale) -> Result<(), AppError> {
    if survey.status == SurveyStatus::Draft {
        return Err(AppError::Rejected(
            td_string!(locale, imports.legacy_draft).to_string(),
        ));
    }
    Ok(())
}

/// The dry run: reads `wb` for survey `survey_id` and checks the countries it names. `Ok(Err)`
/// lists the file's problems (nothing can be imported); `Ok(Ok(plan))` is what
/// [`import_responses`] would write. `plan` is CPU work (about a second for 50,000 rows): a
/// caller on a busy server may run this on a blocking thread.
pub async fn prepare(
    db: &Db,
    admin: &CurrentUser,
    survey_id: i64,
    wb: &Workbook,
    locale: Locale,
) -> Result<Result<Plan, Vec<Problem>>, AppError> {
    policy::may_manage(Some(admin))?;
    let mut c = db.conn().await?;
    let survey = repo::get(&mut c, survey_id).await?;
    refuse_draft(&survey, locale)?;
    let plan = match super::plan(&survey.definition, wb, locale) {
        Ok(plan) => plan,
        Err(problems) => return Ok(Err(problems)),
    };
    let known = crate::countries::repo::list(&mut c).await?;
    Ok(plan.countries(&known, locale).map(|_| plan))
}

/// Imports the plan's responses into survey `survey_id`, all or nothing; returns how many.
/// Messages in the language of the current request (English outside one).
pub async fn import_responses(
    db: &Db,
    admin: &CurrentUser,
    ip: &str,
    survey_id: i64,
    plan: &Plan,
) -> Result<usize, AppError> {
    let locale = crate::lang::use_locale();
    import_responses_with_progress(db, admin, ip, survey_id, plan, locale, &|_| {}).await
}

/// [`import_responses`], telling `progress` how many responses are written so far (every
/// [`repo::IMPORT_BATCH`] rows; they are committed together at the end), for a progress bar.
///
/// In one transaction: the survey is read again (and on PostgreSQL locked), must not be a
/// draft and must have the questions the plan was checked against (`Conflict` otherwise: check
/// the file again); the countries are checked; the responses are inserted in multi-row batches;
/// one audit entry records the import.
pub async fn import_responses_with_progress(
    db: &Db,
    admin: &CurrentUser,
    ip: &str,
    survey_id: i64,
    plan: &Plan,
    locale: Locale,
    progress: &(dyn Fn(usize) + Send + Sync),
) -> Result<usize, AppError> {
    policy::may_manage(Some(admin))?;
    if plan.rows.is_empty() {
        return Err(AppError::Rejected(
            td_string!(locale, imports.legacy_nothing).to_string(),
        ));
    }
    let mut w = AuditedTx::begin(db, Actor::of(admin, ip)).await?;
    let survey = repo::get_locked(&mut w.tx, db.engine, survey_id).await?;
    refuse_draft(&survey, locale)?;
    if survey.definition != plan.definition {
        return Err(AppError::Conflict {
            message: td_string!(locale, imports.legacy_changed).to_string(),
            current: vec![],
            version: Some(survey.version),
        });
    }
    let known = crate::countries::repo::list(&mut w.tx).await?;
    let countries = plan.countries(&known, locale).map_err(|problems| {
        let mut cells: Vec<String> = problems
            .iter()
            .filter_map(|p| p.place.as_ref())
            .take(5)
            .map(|p| match (p.column, p.row) {
                (Some(c), Some(r)) => format!("{}{r}", column_letters(c)),
                (_, Some(r)) => r.to_string(),
                _ => p.sheet.clone(),
            })
            .collect();
        if problems.len() > cells.len() {
            cells.push("…".into());
        }
        AppError::Rejected(
            td_string!(
                locale,
                imports.legacy_countries_refused,
                places = cells.join(", ")
            )
            .to_string(),
        )
    })?;
    let done = insert_planned(&mut w, db, survey_id, plan, countries, progress).await?;
    w.commit(
        AuditEvent::SurveyResponsesImported,
        format!("survey:{survey_id}"),
        Some(format!("{done} responses from sheet \"{}\"", plan.sheet)),
    )
    .await?;
    Ok(done)
}

/// Inserts a plan's rows with their countries (as [`Plan::countries`] gave them).
async fn insert_planned(
    w: &mut AuditedTx<'_>,
    db: &Db,
    survey_id: i64,
    plan: &Plan,
    countries: Vec<Option<String>>,
    progress: &(dyn Fn(usize) + Send + Sync),
) -> Result<usize, AppError> {
    let stamp = Stamp::new();
    let mut done = 0;
    for (rows, countries) in plan
        .rows
        .chunks(repo::IMPORT_BATCH)
        .zip(countries.chunks(repo::IMPORT_BATCH))
    {
        let batch = rows
            .iter()
            .zip(countries)
            .map(|(r, country)| stamp.row(r.clone(), country.clone()))
            .collect::<Result<Vec<_>, _>>()?;
        repo::insert_imported(&mut w.tx, db.engine, survey_id, batch).await?;
        done += rows.len();
        progress(done);
    }
    Ok(done)
}

/// What one import's rows have in common as they are stored.
pub(crate) struct Stamp {
    /// `imported:<32 random hexadecimal digits>:`, then each row's number.
    receipts: String,
    /// The day a row is submitted on when the file does not say.
    today: String,
}

impl Stamp {
    /// Imported responses have no receipt, but their receipt column is unique: it holds
    /// `imported:<import>:<row>` (a random key per import, then the sheet's row number), which
    /// no receipt's digest (64 hexadecimal digits) equals, so no receipt opens them. One
    /// import's keys follow each other, so the column's index grows at one place instead of
    /// at random ones (a receipt digest per row made a large import a third slower).
    pub(crate) fn new() -> Self {
        Self {
            receipts: format!("imported:{}:", token::random_hex(16)),
            today: clock::today(),
        }
    }

    /// A planned row as stored, with its country's code.
    pub(crate) fn row(
        &self,
        row: Planned,
        country: Option<String>,
    ) -> Result<ImportedResponse, AppError> {
        Ok(ImportedResponse {
            country,
            answers: repo::answers_json(&row.answers)?,
            receipt_hash: format!("{}{:07}", self.receipts, row.row),
            member_type: row.member_type,
            language: row.language,
            submitted_on: row.submitted_on.unwrap_or_else(|| self.today.clone()),
        })
    }
}

/// Imports the past responses in the workbook `bytes` into survey `survey_id`, all or
/// nothing, as the person applies a checked file: `Ok(Err)` lists the file's problems (then
/// nothing is written), `Ok(Ok(n))` is how many responses were imported. `progress` hears how
/// many are written so far (every [`repo::IMPORT_BATCH`] rows; committed together at the end).
///
/// One transaction, as [`import_responses_with_progress`]: the survey read again (and on
/// PostgreSQL locked) and not a draft, the file checked against its questions as they are
/// now, the countries checked, one audit entry. An XLSX is read, checked and written at the
/// same time ([`crate::spreadsheet::read::stream`]): a thread reads the rows, another checks
/// them and prepares them as stored, and this task inserts them as they come, so a large
/// archive takes about the time of its slowest step rather than the sum of the three and
/// never sits whole in memory. The first problem stops the writing (the file is still read to
/// the end, to list every problem), and the transaction is then dropped. Other files (XLS,
/// ODS, XLSX with merged cells) are read whole first, then checked and written.
pub async fn import_file(
    db: &Db,
    admin: &CurrentUser,
    ip: &str,
    survey_id: i64,
    bytes: Vec<u8>,
    locale: Locale,
    progress: &(dyn Fn(usize) + Send + Sync),
) -> Result<Result<usize, Vec<Problem>>, AppError> {
    policy::may_manage(Some(admin))?;
    let mut w = AuditedTx::begin(db, Actor::of(admin, ip)).await?;
    let survey = repo::get_locked(&mut w.tx, db.engine, survey_id).await?;
    refuse_draft(&survey, locale)?;
    let known = crate::countries::repo::list(&mut w.tx).await?;
    let definition = std::sync::Arc::new(survey.definition);
    let bytes = std::sync::Arc::new(bytes);
    // A few batches in flight: the checks run ahead of the inserts, memory stays bounded.
    let (sender, mut batches) = tokio::sync::mpsc::channel::<Vec<ImportedResponse>>(4);
    let checking = {
        let (definition, bytes, known) = (definition.clone(), bytes.clone(), known.clone());
        tokio::task::spawn_blocking(move || {
            streamed::check(&definition, &bytes, &known, locale, &sender)
        })
    };
    let mut done = 0;
    while let Some(batch) = batches.recv().await {
        let count = batch.len();
        repo::insert_imported(&mut w.tx, db.engine, survey_id, batch).await?;
        done += count;
        progress(done);
    }
    let (done, sheet) = match checking.await.map_err(|_| AppError::Internal)? {
        streamed::Outcome::Refused(problems) => return Ok(Err(problems)),
        streamed::Outcome::Failed => return Err(AppError::Internal),
        streamed::Outcome::Checked { sheet } if done > 0 => (done, sheet),
        streamed::Outcome::Checked { .. } => {
            return Ok(Err(vec![Problem::file(
                td_string!(locale, imports.legacy_nothing).to_string(),
            )]))
        }
        streamed::Outcome::Whole => {
            let (definition, owned) = (definition.clone(), bytes.clone());
            let planned = tokio::task::spawn_blocking(move || {
                let read = read::read(&owned, &Limits::default(), locale)?;
                super::plan(&definition, &read.workbook, locale)
            })
            .await
            .map_err(|_| AppError::Internal)?;
            let plan = match planned {
                Ok(plan) => plan,
                Err(problems) => return Ok(Err(problems)),
            };
            let countries = match plan.countries(&known, locale) {
                Ok(countries) => countries,
                Err(problems) => return Ok(Err(problems)),
            };
            let done = insert_planned(&mut w, db, survey_id, &plan, countries, progress).await?;
            (done, plan.sheet)
        }
    };
    w.commit(
        AuditEvent::SurveyResponsesImported,
        format!("survey:{survey_id}"),
        Some(format!("{done} responses from sheet \"{sheet}\"")),
    )
    .await?;
    Ok(Ok(done))
}

/// The checking side of [`import_file`] (blocking: threads of its own).
mod streamed {
    use std::collections::BTreeMap;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::mpsc::Receiver;
    use std::sync::{Mutex, OnceLock};

    use tokio::sync::mpsc::Sender;

    use super::super::{pick_sheet, Countries, Found, Problems, Reader};
    use super::{messages, Problem, Stamp};
    use crate::countries::model::Country;
    use crate::lang::Locale;
    use crate::spreadsheet::grid::Cell;
    use crate::spreadsheet::read::{self, Limits, Rows, Streamed};
    use crate::surveys::model::Definition;
    use crate::surveys::repo::ImportedResponse;

    pub(super) enum Outcome {
        /// Every row checked and handed over to be written.
        Checked { sheet: String },
        /// Nothing may be written.
        Refused(Vec<Problem>),
        /// The file cannot be streamed: read it whole.
        Whole,
        /// A checked row could not be prepared for the database (logged).
        Failed,
    }

    /// Reads the rows of `bytes` on a thread of its own and checks them on this one, sending
    /// each chunk, ready to store, to `out` while no problem was found.
    pub(super) fn check(
        def: &Definition,
        bytes: &[u8],
        known: &[Country],
        locale: Locale,
        out: &Sender<Vec<ImportedResponse>>,
    ) -> Outcome {
        let name = OnceLock::new();
        let (rows_in, rows) = std::sync::mpsc::sync_channel::<Rows>(4);
        std::thread::scope(|scope| {
            let name = &name;
            let reading = scope.spawn(move || {
                read::stream(
                    bytes,
                    &Limits::default(),
                    locale,
                    |sheets| {
                        let i = pick_sheet(sheets.iter().map(|s| (s.name.as_str(), s.hidden)))?;
                        let _ = name.set(sheets[i].name.clone());
                        Some(i)
                    },
                    |chunk| rows_in.send(chunk).is_ok(),
                )
            });
            let checked = check_rows(def, name, known, locale, rows, out);
            let read = reading
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e));
            let merged = match read {
                Err(problems) => return Outcome::Refused(problems),
                Ok(Streamed::Unsupported) => return Outcome::Whole,
                Ok(Streamed::NoSheet) => {
                    return Outcome::Refused(vec![Problem::file(messages::no_sheet(locale))])
                }
                Ok(Streamed::Done { merged, .. }) => merged,
            };
            let Checked {
                mut reader,
                countries,
                failed,
            } = checked;
            reader.note_merged(&merged);
            if let Err(problems) = reader.finish() {
                return Outcome::Refused(problems);
            }
            if !countries.is_empty() {
                return Outcome::Refused(countries.finish(locale));
            }
            if failed {
                return Outcome::Failed;
            }
            Outcome::Checked {
                sheet: name.get().cloned().unwrap_or_default(),
            }
        })
    }

    /// What checking one chunk of rows gave.
    struct Chunk {
        /// The rows' problems and notices (their planned rows are in `batch`).
        found: Found,
        /// The rows as stored, unless the import is already refused.
        batch: Vec<ImportedResponse>,
        countries: Problems,
        /// A row could not be prepared for the database.
        failed: bool,
    }

    /// What the rows gave once all are checked: the reader (to finish once the sheet's
    /// merged areas are known), the countries' problems, and whether a row could not be
    /// prepared for the database.
    struct Checked<'a> {
        reader: Reader<'a>,
        countries: Problems,
        failed: bool,
    }

    /// Checks the chunks of rows as they come, on as many threads as the machine has (the
    /// chunks taken back in the rows' order: the same problems, in the same order, as one
    /// reader); sends them to `out` while no problem was found.
    fn check_rows<'a>(
        def: &'a Definition,
        name: &'a OnceLock<String>,
        known: &[Country],
        locale: Locale,
        rows: Receiver<Rows>,
        out: &Sender<Vec<ImportedResponse>>,
    ) -> Checked<'a> {
        let Ok(first) = rows.recv() else {
            // No row at all: the header's problems.
            let sheet = name.get().map_or("", String::as_str);
            let mut reader = Reader::new(def, sheet, locale);
            reader.read_header(&[] as &[Cell], &[], &[]);
            return Checked {
                reader,
                countries: Problems::default(),
                failed: false,
            };
        };
        let sheet = name.get().map_or("", String::as_str);
        // The first chunk begins with rows 1 and 2 when the sheet has them.
        let row = |n: u32| {
            first
                .iter()
                .find(|(r, _)| *r == n)
                .map_or(&[][..], |(_, cells)| cells.as_slice())
        };
        let mut reader = Reader::new(def, sheet, locale);
        reader.read_header(row(1), row(2), &[]);
        let countries = Countries::new(known);
        let stamp = Stamp::new();
        let column = reader.country_column();
        // Once refused, the rows are still checked (every problem is listed) but no longer
        // prepared for the database.
        let refused = AtomicBool::new(reader.has_problems());
        let check_chunk = |chunk: &Rows| -> Chunk {
            let mut found = reader.read_some(chunk.iter().map(|(r, c)| (*r, c.as_slice())));
            let planned = std::mem::take(&mut found.rows);
            let mut chunk = Chunk {
                batch: Vec::new(),
                countries: Problems::default(),
                failed: false,
                found,
            };
            if chunk.found.has_problems() || refused.load(Ordering::Relaxed) {
                return chunk;
            }
            chunk.batch.reserve(planned.len());
            for row in planned {
                match countries.of(&row, sheet, column, locale) {
                    Ok(country) => match stamp.row(row, country.map(str::to_string)) {
                        Ok(stored) => chunk.batch.push(stored),
                        Err(_) => chunk.failed = true,
                    },
                    Err(problem) => chunk.countries.push(problem),
                }
            }
            chunk
        };

        let mut rows_found = Found::default();
        let mut country_problems = Problems::default();
        let mut failed = false;
        let mut writing = !refused.load(Ordering::Relaxed);
        let mut take = |chunk: Chunk| {
            rows_found.join(chunk.found);
            country_problems.join(chunk.countries);
            failed |= chunk.failed;
            if rows_found.has_problems() || !country_problems.is_empty() || failed {
                writing = false;
            }
            // A refused import writes nothing more; nobody left to write to, neither.
            if writing && !chunk.batch.is_empty() && out.blocking_send(chunk.batch).is_err() {
                writing = false;
            }
            if !writing {
                refused.store(true, Ordering::Relaxed);
            }
        };
        take(check_chunk(&first));
        drop(first);

        let workers = std::thread::available_parallelism()
            .map_or(1, usize::from)
            .clamp(1, 4);
        // Chunks numbered as they are taken, results put back in that order.
        let queue = Mutex::new((rows, 0usize));
        let (done_in, done) = std::sync::mpsc::sync_channel::<(usize, Chunk)>(workers * 2);
        std::thread::scope(|scope| {
            for _ in 0..workers {
                let (queue, done_in, check_chunk) = (&queue, done_in.clone(), &check_chunk);
                scope.spawn(move || loop {
                    let (number, chunk) = {
                        let Ok(mut q) = queue.lock() else { return };
                        let Ok(chunk) = q.0.recv() else { return };
                        q.1 += 1;
                        (q.1, chunk)
                    };
                    if done_in.send((number, check_chunk(&chunk))).is_err() {
                        return;
                    }
                });
            }
            drop(done_in);
            let mut waiting = BTreeMap::new();
            let mut next = 1;
            for (number, chunk) in done {
                waiting.insert(number, chunk);
                while let Some(chunk) = waiting.remove(&next) {
                    take(chunk);
                    next += 1;
                }
            }
        });
        reader.add(rows_found);
        Checked {
            reader,
            countries: country_problems,
            failed,
        }
    }
}
