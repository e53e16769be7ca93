//! The legacy response import's benchmark (issue 13, "Done when"), driven by
//! `scripts/bench-import`:
//!
//! - `bench_import generate FILE ROWS` writes a workbook of ROWS past responses to a survey of
//!   24 questions (35 columns: labels in two languages, lists of choices, date cells, numbers,
//!   texts, a grid, countries by name), as a legacy file would hold them;
//! - `bench_import import FILE` imports it into a fresh SQLite database the way applying a
//!   checked file does (`legacy::service::import_file`: read with the zip-bomb checks,
//!   checked and inserted at once, in one transaction), then again into a second survey one
//!   step after the other (the whole workbook read, then checked, then inserted: the dry run's
//!   way, timed per step), and a third time as `server import responses` does (the dry run
//!   kept with the file, then applied), timed end to end; prints the times and the peak
//!   resident memory (of the first import) as JSON;
//! - `bench_import templates` fills a fresh database with the demo data (53 countries) and
//!   times the progress workbook of one country and the secretariat's bulk workbook of all.

use std::time::Instant;

use app::caller::{CurrentUser, Role};
use app::db::Db;
use app::lang::Locale;
use app::spreadsheet::read::{self as reader, Limits};
use app::surveys::legacy;
use app::surveys::model::definition::default_likert_scale;
use app::surveys::model::{Choice, Definition, Kind, Question, SurveyStatus, Text};
use app::surveys::service;

type Error = Box<dyn std::error::Error>;

// The server's allocator and settings (server/src/allocator.rs): the import runs in the
// server (page or `server import`), and allocation is a good part of reading a workbook.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[export_name = "_rjem_malloc_conf"]
#[allow(non_upper_case_globals)]
pub static malloc_conf: &u8 = &b"background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0\0"[0];

const QUESTIONS: usize = 24;
const COUNTRIES: [&str; 6] = ["Italy", "DE", "France", "PT", "Poland", "ES"];

fn text(en: &str, fr: &str) -> Text {
    let mut t = Text::new("en", en);
    t.set("fr", fr);
    t
}

fn choices(prefix: &str, n: usize) -> Vec<Choice> {
    (0..n)
        .map(|i| Choice {
            code: format!("{prefix}{i}"),
            label: text(&format!("Choice {i}"), &format!("Réponse {i}")),
        })
        .collect()
}

/// 24 questions, three of each kind.
fn definition() -> Definition {
    let mut d = Definition::new("en", "Benchmark: a past round");
    d.languages = vec!["en".into(), "fr".into()];
    d.sections[0].questions = (0..QUESTIONS)
        .map(|i| Question {
            code: format!("Q{}", i + 1),
            kind: match i % 8 {
                0 => Kind::Single {
                    choices: choices("c", 4),
                },
                1 => Kind::Multiple {
                    choices: choices("m", 5),
                    other: true,
                },
                2 => Kind::Likert {
                    scale: default_likert_scale(),
                },
                3 => Kind::Number {
                    min: Some(0.0),
                    max: Some(100_000.0),
                    integer: false,
                },
                4 => Kind::ShortText,
                5 => Kind::Date,
                6 => Kind::Matrix {
                    rows: choices("r", 3),
                    scale: choices("s", 4),
                },
                _ => Kind::LongText,
            },
            text: text(
                &format!("Question {}", i + 1),
                &format!("Question {}", i + 1),
            ),
            help: Text::default(),
            required: false,
            hidden: false,
            show_if: None,
        })
        .collect();
    d
}

/// A small deterministic generator (the same file every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn generate(path: &str, rows: u32) -> Result<(), Error> {
    use rust_xlsxwriter::{ExcelDateTime, Format as XFormat, Workbook as XWorkbook};
    let def = definition();
    let mut book = XWorkbook::new();
    let sheet = book.add_worksheet_with_constant_memory()?;
    sheet.set_name("Responses")?;
    let date = XFormat::new().set_num_format("yyyy-mm-dd");
    let mut headers: Vec<String> = Vec::new();
    for q in def.questions() {
        match &q.kind {
            Kind::Multiple { .. } => {
                headers.push(q.code.clone());
                headers.push(format!("{}._other", q.code));
            }
            Kind::Matrix { rows, .. } => {
                headers.extend(rows.iter().map(|r| format!("{}.{}", q.code, r.code)))
            }
            _ => headers.push(q.code.clone()),
        }
    }
    headers.push("country".into());
    headers.push("submitted_on".into());
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, h)?;
    }
    let mut rnd = Lcg(7);
    for r in 1..=rows {
        let mut c: u16 = 0;
        let fr = r % 2 == 0;
        for q in def.questions() {
            match &q.kind {
                Kind::Single { choices } => {
                    let choice = &choices[rnd.next(4) as usize];
                    sheet.write_string(
                        r,
                        c,
                        choice.label.get(if fr { "fr" } else { "en" }, "en"),
                    )?;
                    c += 1;
                }
                Kind::Multiple { choices, .. } => {
                    let a = rnd.next(5) as usize;
                    let b = (a + 1 + rnd.next(4) as usize) % 5;
                    let list = format!(
                        "{}; {}",
                        choices[a].label.get("en", "en"),
                        choices[b].label.get("en", "en")
                    );
                    sheet.write_string(r, c, &list)?;
                    if rnd.next(100) == 0 {
                        sheet.write_string(r, c + 1, "Something else entirely")?;
                    }
                    c += 2;
                }
                Kind::Likert { .. } => {
                    sheet.write_number(r, c, (1 + rnd.next(5)) as f64)?;
                    c += 1;
                }
                Kind::Number { .. } => {
                    sheet.write_number(r, c, rnd.next(1_000_000) as f64 / 10.0)?;
                    c += 1;
                }
                Kind::ShortText => {
                    let answer = format!(
                        "Answer {} about staffing and waiting times",
                        rnd.next(1_000_000)
                    );
                    sheet.write_string(r, c, &answer)?;
                    c += 1;
                }
                Kind::Date => {
                    let d = ExcelDateTime::from_ymd(
                        2019,
                        1 + rnd.next(12) as u8,
                        1 + rnd.next(28) as u8,
                    )?;
                    sheet.write_datetime_with_format(r, c, &d, &date)?;
                    c += 1;
                }
                Kind::Matrix { rows, scale } => {
                    for _ in rows {
                        let point = &scale[rnd.next(4) as usize];
                        sheet.write_string(r, c, &point.code)?;
                        c += 1;
                    }
                }
                Kind::LongText => {
                    let answer = format!(
                        "Waiting lists grew in {} districts; the service recruited {} nurses and \
                         opened {} evening clinics, which shortened the wait for most patients.",
                        rnd.next(40),
                        rnd.next(300),
                        rnd.next(12)
                    );
                    sheet.write_string(r, c, &answer)?;
                    c += 1;
                }
            }
        }
        sheet.write_string(r, c, COUNTRIES[rnd.next(6) as usize])?;
        let d = ExcelDateTime::from_ymd(2019, 7, 1 + rnd.next(28) as u8)?;
        sheet.write_datetime_with_format(r, c + 1, &d, &date)?;
    }
    book.save(path)?;
    Ok(())
}

/// The first sheet as the importers' grid (what `spreadsheet::read` gives, without its
/// checks of the file).
fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

async fn import(path: &str) -> Result<(), Error> {
    let dir = tempfile::tempdir()?;
    let db = Db::connect(&format!("sqlite://{}/bench.db", dir.path().display()), 5).await?;
    db.migrate().await?;
    let input = app::users::model::UserInput {
        email: "bench@bench.invalid".into(),
        display_name: "Bench".into(),
        role: "admin".into(),
        countries: vec![],
        organisation: String::new(),
        member_type: String::new(),
        member_country: String::new(),
    };
    let id = app::users::cli::add_user(&db, input, "a long benchmark passphrase".into()).await?;
    let admin = CurrentUser {
        id,
        email: "bench@bench.invalid".into(),
        display_name: "Bench".into(),
        role: Role::Admin,
        countries: vec![],
    };
    let survey = closed_survey(&db, &admin).await?;

    let bytes = std::fs::read(path)?;
    let file_bytes = bytes.len();

    // The import as applying a checked file runs it: read, checked and inserted at once.
    let start = Instant::now();
    let rows = match legacy::service::import_file(
        &db,
        &admin,
        "local",
        survey,
        bytes.clone(),
        Locale::en,
        &|_| {},
    )
    .await?
    {
        Ok(rows) => rows,
        Err(problems) => {
            for p in problems.iter().take(10) {
                eprintln!("{p}");
            }
            return Err("the file was refused".into());
        }
    };
    let total = start.elapsed().as_secs_f64();
    let (stored,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM survey_responses WHERE survey_id = $1")
            .bind(survey)
            .fetch_one(&db.pool)
            .await?;
    let step_rss = peak_rss_mb();

    // The same file the way the dry run reads it, one step after the other (the whole
    // workbook read, then every row checked, then inserted): the steps' times.
    let whole = closed_survey(&db, &admin).await?;
    let start = Instant::now();
    let wb = match reader::read(&bytes, &Limits::default(), Locale::en) {
        Ok(read) => read.workbook,
        Err(_) => return Err("the file was refused".into()),
    };
    let read = start.elapsed().as_secs_f64();
    let plan = match legacy::service::prepare(&db, &admin, whole, &wb, Locale::en).await? {
        Ok(plan) => plan,
        Err(_) => return Err("the file was refused".into()),
    };
    drop(wb);
    let planned = start.elapsed().as_secs_f64() - read;
    legacy::service::import_responses(&db, &admin, "local", whole, &plan).await?;
    let inserted = start.elapsed().as_secs_f64() - read - planned;
    drop(plan);

    // As the command line runs it: upload (read, check, keep), then apply (read and check
    // again, insert).
    let second = closed_survey(&db, &admin).await?;
    let start = Instant::now();
    let outcome = app::imports::cli::import_responses(
        &db,
        "bench@bench.invalid",
        second,
        "responses.xlsx",
        bytes,
        false,
    )
    .await?;
    let cli = start.elapsed().as_secs_f64();
    if !outcome.ok {
        eprintln!("{}", outcome.text);
        return Err("the command line refused the file".into());
    }
    println!(
        "{}",
        serde_json::json!({
            "rows": rows,
            "stored": stored,
            "file_bytes": file_bytes,
            "total_seconds": total,
            "read_seconds": read,
            "plan_seconds": planned,
            "insert_seconds": inserted,
            "steps_seconds": read + planned + inserted,
            "rows_per_second": rows as f64 / total,
            "peak_rss_mb": step_rss,
            "cli_seconds": cli,
            "cli_peak_rss_mb": peak_rss_mb(),
        })
    );
    Ok(())
}

/// A closed survey of [`definition`]'s questions.
async fn closed_survey(db: &Db, admin: &CurrentUser) -> Result<i64, Error> {
    let survey = service::create(db, admin, "local", "Benchmark", "en").await?;
    service::edit(db, admin, "local", survey, 1, "questions", |d| {
        *d = definition();
        Ok(())
    })
    .await?;
    service::set_status(db, admin, "local", survey, SurveyStatus::Closed).await?;
    Ok(survey)
}

/// The median of `runs` timings of `f`, in seconds, and the last result's size.
async fn median_of<F, Fut>(runs: usize, mut f: F) -> Result<(f64, usize), Error>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<Vec<u8>, app::error::AppError>>,
{
    let mut times = Vec::with_capacity(runs);
    let mut size = 0;
    for _ in 0..runs {
        let start = Instant::now();
        size = f().await?.len();
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    Ok((times[runs / 2], size))
}

async fn templates() -> Result<(), Error> {
    use app::progress::service::{self as progress, Scope};
    let dir = tempfile::tempdir()?;
    let db = Db::connect(&format!("sqlite://{}/bench.db", dir.path().display()), 5).await?;
    db.migrate().await?;
    app::demo::fill(&db, time::OffsetDateTime::now_utc()).await?;
    let (admin_id,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE role = 'admin' LIMIT 1")
        .fetch_one(&db.pool)
        .await?;
    let admin = CurrentUser {
        id: admin_id,
        email: "admin@demo.invalid".into(),
        display_name: "Admin".into(),
        role: Role::Admin,
        countries: vec![],
    };
    let (period,): (i64,) = sqlx::query_as("SELECT MAX(id) FROM reporting_periods")
        .fetch_one(&db.pool)
        .await?;
    let (countries,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM countries")
        .fetch_one(&db.pool)
        .await?;
    // France's focal point downloads France's; the secretariat every country's.
    let focal_point = CurrentUser {
        role: Role::FocalPoint,
        countries: vec!["FR".into()],
        ..admin.clone()
    };
    let runs = 9;
    let (one, one_bytes) = median_of(runs, || async {
        Ok(
            progress::template(&db, &focal_point, Scope::Country("FR"), period, Locale::en)
                .await?
                .0,
        )
    })
    .await?;
    let (all, all_bytes) = median_of(runs, || async {
        Ok(
            progress::template(&db, &admin, Scope::Bulk, period, Locale::en)
                .await?
                .0,
        )
    })
    .await?;
    println!(
        "{}",
        serde_json::json!({
            "countries": countries,
            "runs": runs,
            "country_seconds": one,
            "country_bytes": one_bytes,
            "bulk_seconds": all,
            "bulk_bytes": all_bytes,
            "peak_rss_mb": peak_rss_mb(),
        })
    );
    Ok(())
}

fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [_, "generate", path, rows] => generate(path, rows.parse()?),
        [_, "import", path] => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?
            .block_on(import(path)),
        [_, "templates"] => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?
            .block_on(templates()),
        _ => Err(
            "usage: bench_import generate FILE ROWS | bench_import import FILE | bench_import templates"
                .into(),
        ),
    }
}
