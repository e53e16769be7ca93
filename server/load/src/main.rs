//! `rt-load`, the load and fault tool of `scripts/load-mixed` and `scripts/fault-kill` (issue 14's
//! "Faults and load"): HTTP clients on loopback that do what readers, focal points and network
//! members do, through the same requests as the browser without JavaScript.
//!
//! - `mixed`: N concurrent clients for S seconds, each repeating one of: a public page, a
//!   sign-in (then a signed-in page), a report save by a focal point (read the report, save it
//!   at that version), a survey answered through its open link (start, answer, submit). Prints
//!   p50/p99 per kind and every status class; exits non-zero on any 5xx or transport error.
//! - `writes`: report saves and survey submissions in a loop until killed, appending each write
//!   the server acknowledged to a log (flushed to disk before the next request): what a client
//!   was promised.
//! - `verify`: after a restart, checks every acknowledged write of the log against the server:
//!   each report holds a version at least as new as acknowledged, with its last acknowledged
//!   text in all seven entries (a save is all or nothing), and each submitted response exists
//!   with its answer (the respondent's copy).
//!
//! Accounts come from a file of `email password country` lines (focal points, one country
//! each), written by the scripts with `server user add`.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};
use reqwest::{redirect, Client, StatusCode};
use tokio::sync::Mutex;

#[derive(Parser)]
struct Cli {
    /// The site, e.g. http://127.0.0.1:3400.
    #[arg(long)]
    base: String,
    /// `email password country` per line: focal points the clients sign in as.
    #[arg(long)]
    accounts: std::path::PathBuf,
    /// The reporting period the focal points save into.
    #[arg(long)]
    period: i64,
    /// The open link token of a survey with questions P1 (Likert) and P3 (short text).
    #[arg(long)]
    survey: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Concurrent mixed load; prints the figures as Markdown.
    Mixed {
        #[arg(long, default_value_t = 500)]
        clients: usize,
        #[arg(long, default_value_t = 60)]
        seconds: u64,
    },
    /// The baseline of the same run: every client asks for /health (no database work beyond
    /// one query, no page), as fast as it is answered.
    Health {
        #[arg(long, default_value_t = 500)]
        clients: usize,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
    },
    /// Saves and submissions until killed; acknowledged writes go to LOG.
    Writes {
        #[arg(long, default_value_t = 16)]
        clients: usize,
        #[arg(long)]
        log: std::path::PathBuf,
    },
    /// Checks the acknowledged writes of LOG (as focal points and through receipts).
    Verify {
        #[arg(long)]
        log: std::path::PathBuf,
    },
}

#[derive(Clone)]
struct Account {
    email: String,
    password: String,
    country: String,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
enum Kind {
    Health,
    PublicPage,
    SignIn,
    ReportSave,
    SurveyAnswer,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Health => "baseline: GET /health",
            Kind::PublicPage => "public page (GET)",
            Kind::SignIn => "sign-in (POST /api/login)",
            Kind::ReportSave => "report save (POST /api/save_report)",
            Kind::SurveyAnswer => "survey answer (POST /s/…/answers, 3 steps)",
        }
    }
}

/// What one request did.
struct Sample {
    kind: Kind,
    micros: u64,
    status: u16,
}

#[derive(Default)]
struct Tally {
    samples: Vec<Sample>,
    /// Transport errors (no HTTP answer at all), with a few examples.
    failures: usize,
    examples: Vec<String>,
}

impl Tally {
    fn record(&mut self, kind: Kind, started: Instant, status: u16) {
        self.samples.push(Sample {
            kind,
            micros: started.elapsed().as_micros() as u64,
            status,
        });
    }
    fn fail(&mut self, what: String) {
        self.failures += 1;
        if self.examples.len() < 5 {
            self.examples.push(what);
        }
    }
}

fn client() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .pool_max_idle_per_host(1)
        .build()
        .expect("an HTTP client")
}

struct Site {
    base: String,
    period: i64,
    survey: String,
}

impl Site {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A form post as the browser sends it (the origin the server expects).
    async fn post(
        &self,
        c: &Client,
        path: &str,
        form: &[(String, String)],
    ) -> reqwest::Result<reqwest::Response> {
        c.post(self.url(path))
            .header("Origin", &self.base)
            .header("Sec-Fetch-Site", "same-origin")
            .form(form)
            .send()
            .await
    }

    async fn sign_in(&self, c: &Client, a: &Account) -> reqwest::Result<StatusCode> {
        let form = pairs(&[("email", &a.email), ("password", &a.password)]);
        Ok(self.post(c, "/api/login", &form).await?.status())
    }

    /// The report's version as its focal point sees it.
    async fn report_version(&self, c: &Client, country: &str) -> Result<i64, String> {
        let form = pairs(&[("country", country), ("period", &self.period.to_string())]);
        let res = self
            .post(c, "/api/get_report", &form)
            .await
            .map_err(|e| e.to_string())?;
        let status = res.status();
        let body = res.text().await.map_err(|e| e.to_string())?;
        if status != StatusCode::OK {
            return Err(format!("get_report {country}: {status} {body}"));
        }
        let json: serde_json::Value = serde_json::from_str(&body).map_err(|e| e.to_string())?;
        json["version"]
            .as_i64()
            .ok_or_else(|| format!("get_report {country}: no version"))
    }

    /// Saves the whole report (seven entries, each carrying `marker`) at `version`.
    async fn save_report(
        &self,
        c: &Client,
        country: &str,
        version: i64,
        marker: &str,
    ) -> reqwest::Result<(StatusCode, Option<i64>)> {
        let mut form = pairs(&[
            ("country", country),
            ("period", &self.period.to_string()),
            ("version", &version.to_string()),
            ("intent", "save"),
        ]);
        let yesterday = time::OffsetDateTime::now_utc().date() - time::Duration::days(1);
        for i in 0..7 {
            let mut put = |k: &str, v: String| form.push((format!("entries[{i}][{k}]"), v));
            put("recommendation", (i + 1).to_string());
            put("status", "in-progress".into());
            put(
                "narrative",
                format!("Load check {marker}, recommendation {}.", i + 1),
            );
            put("evidence", "https://www.example.gov/plan".into());
            put("as_of", yesterday.to_string());
        }
        let res = self.post(c, "/api/save_report", &form).await?;
        let status = res.status();
        let version = if status == StatusCode::OK {
            res.json::<serde_json::Value>()
                .await
                .ok()
                .and_then(|j| j["version"].as_i64())
        } else {
            None
        };
        Ok((status, version))
    }

    /// Answers the survey through its open link: start (a draft of one's own), review with
    /// the answers, submit. Returns each step's status and the receipt of a submission.
    async fn answer_survey(
        &self,
        c: &Client,
        marker: &str,
        tally: &mut Tally,
    ) -> Result<Option<String>, String> {
        let started = Instant::now();
        let res = self
            .post(
                c,
                &format!("/s/{}/answers", self.survey),
                &pairs(&[("_action", "start"), ("_lang", "en")]),
            )
            .await
            .map_err(|e| e.to_string())?;
        tally.record(Kind::SurveyAnswer, started, res.status().as_u16());
        let Some(own) = location(&res).and_then(|l| token_of(&l, "/s/")) else {
            return Ok(None);
        };
        let started = Instant::now();
        let res = self
            .post(
                c,
                &format!("/s/{own}/answers"),
                &pairs(&[
                    ("_action", "review"),
                    ("_section", "0"),
                    ("q.P1", "4"),
                    ("q.P3", marker),
                ]),
            )
            .await
            .map_err(|e| e.to_string())?;
        tally.record(Kind::SurveyAnswer, started, res.status().as_u16());
        let started = Instant::now();
        let res = self
            .post(
                c,
                &format!("/s/{own}/answers"),
                &pairs(&[("_action", "submit")]),
            )
            .await
            .map_err(|e| e.to_string())?;
        tally.record(Kind::SurveyAnswer, started, res.status().as_u16());
        Ok(location(&res).and_then(|l| token_of(&l, "/s/copy/")))
    }
}

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn location(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// `/s/TOKEN?...` → TOKEN.
fn token_of(location: &str, prefix: &str) -> Option<String> {
    let rest = location.strip_prefix(prefix)?;
    let token: String = rest
        .chars()
        .take_while(|c| *c != '?' && *c != '/')
        .collect();
    (!token.is_empty()).then_some(token)
}

fn read_accounts(path: &std::path::Path) -> Vec<Account> {
    let text = std::fs::read_to_string(path).expect("the accounts file");
    text.lines()
        .filter_map(|l| {
            let mut it = l.split_whitespace();
            Some(Account {
                email: it.next()?.to_string(),
                password: it.next()?.to_string(),
                country: it.next()?.to_string(),
            })
        })
        .collect()
}

const PUBLIC_PAGES: &[&str] = &[
    "/",
    "/dashboard",
    "/countries",
    "/countries/IT",
    "/countries/FR",
    "/recommendations/1",
    "/recommendations/4",
    "/dashboard/movement",
];

/// One client of the mixed load: kinds in turn, weighted 10 public pages : 1 sign-in :
/// 3 report saves : 2 survey answers.
async fn mixed_client(site: Arc<Site>, account: Account, index: usize, until: Instant) -> Tally {
    const PLAN: [Kind; 16] = [
        Kind::PublicPage,
        Kind::ReportSave,
        Kind::PublicPage,
        Kind::SurveyAnswer,
        Kind::PublicPage,
        Kind::PublicPage,
        Kind::ReportSave,
        Kind::PublicPage,
        Kind::SignIn,
        Kind::PublicPage,
        Kind::PublicPage,
        Kind::SurveyAnswer,
        Kind::PublicPage,
        Kind::ReportSave,
        Kind::PublicPage,
        Kind::PublicPage,
    ];
    let mut tally = Tally::default();
    let c = client();
    let mut signed_in = false;
    let mut step = index;
    let accept = "text/html,application/xhtml+xml";
    while Instant::now() < until {
        let kind = PLAN[step % PLAN.len()];
        step += 1;
        match kind {
            Kind::PublicPage => {
                // A reader: no session cookie, compression asked for as browsers do.
                let path = PUBLIC_PAGES[step % PUBLIC_PAGES.len()];
                let started = Instant::now();
                match client_for_reader()
                    .get(site.url(path))
                    .header("Accept", accept)
                    .header("Accept-Encoding", "gzip, br")
                    .send()
                    .await
                {
                    Ok(res) => {
                        let status = res.status().as_u16();
                        let _ = res.bytes().await;
                        tally.record(kind, started, status);
                    }
                    Err(e) => tally.fail(format!("GET {path}: {e}")),
                }
            }
            Kind::Health => {}
            Kind::SignIn => {
                let started = Instant::now();
                match site.sign_in(&c, &account).await {
                    Ok(status) => {
                        tally.record(kind, started, status.as_u16());
                        signed_in = status == StatusCode::OK;
                    }
                    Err(e) => tally.fail(format!("sign-in: {e}")),
                }
            }
            Kind::ReportSave => {
                if !signed_in {
                    let started = Instant::now();
                    match site.sign_in(&c, &account).await {
                        Ok(status) => {
                            tally.record(Kind::SignIn, started, status.as_u16());
                            signed_in = status == StatusCode::OK;
                        }
                        Err(e) => tally.fail(format!("sign-in: {e}")),
                    }
                    if !signed_in {
                        continue;
                    }
                }
                let version = match site.report_version(&c, &account.country).await {
                    Ok(v) => v,
                    Err(e) => {
                        tally.fail(e);
                        continue;
                    }
                };
                let started = Instant::now();
                let marker = format!("c{index}s{step}");
                match site
                    .save_report(&c, &account.country, version, &marker)
                    .await
                {
                    Ok((status, _)) => tally.record(kind, started, status.as_u16()),
                    Err(e) => tally.fail(format!("save: {e}")),
                }
            }
            Kind::SurveyAnswer => {
                let marker = format!("c{index}s{step}");
                if let Err(e) = site.answer_survey(&client(), &marker, &mut tally).await {
                    tally.fail(format!("survey: {e}"));
                }
            }
        }
    }
    tally
}

/// Readers share one connection pool per task's client (a browser keeps its connections).
fn client_for_reader() -> &'static Client {
    static READER: std::sync::OnceLock<Client> = std::sync::OnceLock::new();
    READER.get_or_init(|| {
        Client::builder()
            .redirect(redirect::Policy::none())
            .timeout(Duration::from_secs(60))
            .build()
            .expect("an HTTP client")
    })
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

/// One client of the baseline.
async fn health_client(site: Arc<Site>, until: Instant) -> Tally {
    let mut tally = Tally::default();
    while Instant::now() < until {
        let started = Instant::now();
        match client_for_reader().get(site.url("/health")).send().await {
            Ok(res) => {
                let status = res.status().as_u16();
                let _ = res.bytes().await;
                tally.record(Kind::Health, started, status);
            }
            Err(e) => tally.fail(format!("GET /health: {e}")),
        }
    }
    tally
}

async fn mixed(
    site: Arc<Site>,
    accounts: Vec<Account>,
    clients: usize,
    seconds: u64,
    baseline: bool,
) -> bool {
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let tasks: Vec<_> = (0..clients)
        .map(|i| {
            let a = accounts[i % accounts.len()].clone();
            if baseline {
                tokio::spawn(health_client(site.clone(), until))
            } else {
                tokio::spawn(mixed_client(site.clone(), a, i, until))
            }
        })
        .collect();
    let mut all = Tally::default();
    for t in tasks {
        let tally = t.await.expect("a client task");
        all.samples.extend(tally.samples);
        all.failures += tally.failures;
        for e in tally.examples {
            if all.examples.len() < 10 {
                all.examples.push(e);
            }
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let mut by_kind: HashMap<Kind, Vec<&Sample>> = HashMap::new();
    for s in &all.samples {
        by_kind.entry(s.kind).or_default().push(s);
    }
    let mut kinds: Vec<_> = by_kind.keys().copied().collect();
    kinds.sort();
    println!(
        "{clients} clients, {elapsed:.0} s, {} requests ({:.0}/s), {} without an answer",
        all.samples.len(),
        all.samples.len() as f64 / elapsed,
        all.failures
    );
    println!();
    println!(
        "| kind | requests | p50 ms | p99 ms | max ms | 2xx/3xx | 409 | 429 | other 4xx | 5xx |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut server_errors = 0;
    for k in kinds {
        let samples = &by_kind[&k];
        let mut micros: Vec<u64> = samples.iter().map(|s| s.micros).collect();
        micros.sort_unstable();
        let count = |f: &dyn Fn(u16) -> bool| samples.iter().filter(|s| f(s.status)).count();
        let ok = count(&|s| (200..400).contains(&s));
        let conflict = count(&|s| s == 409);
        let throttled = count(&|s| s == 429);
        let other = count(&|s| (400..500).contains(&s) && s != 409 && s != 429);
        let fivexx = count(&|s| s >= 500);
        server_errors += fivexx;
        println!(
            "| {} | {} | {:.1} | {:.1} | {:.1} | {ok} | {conflict} | {throttled} | {other} | {fivexx} |",
            k.label(),
            samples.len(),
            percentile(&micros, 0.50),
            percentile(&micros, 0.99),
            percentile(&micros, 1.0),
        );
    }
    for e in &all.examples {
        println!("no answer: {e}");
    }
    server_errors == 0 && all.failures == 0
}

/// Saves and submissions until killed. Each acknowledged write is one line of the log,
/// written and synced before the client's next request:
/// `report COUNTRY VERSION MARKER` or `response RECEIPT MARKER`.
async fn writes(site: Arc<Site>, accounts: Vec<Account>, clients: usize, log: std::path::PathBuf) {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log)
        .expect("the log");
    let file = Arc::new(Mutex::new(file));
    let note = |file: Arc<Mutex<std::fs::File>>, line: String| async move {
        let mut f = file.lock().await;
        writeln!(f, "{line}").expect("write the log");
        f.sync_data().expect("sync the log");
    };
    let mut tasks = Vec::new();
    for i in 0..clients {
        let site = site.clone();
        let file = file.clone();
        // Half the clients save reports (one country each), half answer the survey.
        let account = accounts.get(i / 2).cloned();
        tasks.push(tokio::spawn(async move {
            let c = client();
            let mut n = 0u64;
            if i % 2 == 0 {
                let Some(a) = account else { return };
                while site
                    .sign_in(&c, &a)
                    .await
                    .map(|s| s != StatusCode::OK)
                    .unwrap_or(true)
                {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                loop {
                    n += 1;
                    let Ok(version) = site.report_version(&c, &a.country).await else {
                        continue;
                    };
                    let marker = format!("w{i}n{n}");
                    if let Ok((StatusCode::OK, Some(v))) =
                        site.save_report(&c, &a.country, version, &marker).await
                    {
                        note(file.clone(), format!("report {} {v} {marker}", a.country)).await;
                    }
                }
            } else {
                loop {
                    n += 1;
                    let marker = format!("w{i}n{n}");
                    let mut tally = Tally::default();
                    if let Ok(Some(receipt)) =
                        site.answer_survey(&client(), &marker, &mut tally).await
                    {
                        note(file.clone(), format!("response {receipt} {marker}")).await;
                    }
                }
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
}

/// Checks the log's acknowledged writes; prints what it found; false on any loss.
async fn verify(site: Arc<Site>, accounts: Vec<Account>, log: std::path::PathBuf) -> bool {
    let text = std::fs::read_to_string(&log).expect("the log");
    // The last acknowledged save of each report, and every receipt.
    let mut reports: HashMap<String, (i64, String)> = HashMap::new();
    let mut responses: Vec<(String, String)> = Vec::new();
    let mut saves = 0;
    for line in text.lines() {
        let f: Vec<&str> = line.split(' ').collect();
        match f.as_slice() {
            ["report", country, version, marker] => {
                saves += 1;
                let v: i64 = version.parse().expect("a version");
                let e = reports
                    .entry(country.to_string())
                    .or_insert((0, String::new()));
                if v > e.0 {
                    *e = (v, marker.to_string());
                }
            }
            ["response", receipt, marker] => {
                responses.push((receipt.to_string(), marker.to_string()))
            }
            _ => {}
        }
    }
    let mut lost = Vec::new();
    for (country, (version, marker)) in &reports {
        let Some(a) = accounts.iter().find(|a| &a.country == country) else {
            lost.push(format!("{country}: no account to read it"));
            continue;
        };
        let c = client();
        if site.sign_in(&c, a).await.ok() != Some(StatusCode::OK) {
            lost.push(format!("{country}: cannot sign in"));
            continue;
        }
        let form = pairs(&[("country", country), ("period", &site.period.to_string())]);
        let Ok(res) = site.post(&c, "/api/get_report", &form).await else {
            lost.push(format!("{country}: no answer"));
            continue;
        };
        let json: serde_json::Value = res.json().await.unwrap_or_default();
        let now = json["version"].as_i64().unwrap_or(-1);
        let narratives: Vec<String> = json["entries"]
            .as_array()
            .map(|e| {
                e.iter()
                    .map(|e| e["values"]["narrative"].as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default();
        let markers: Vec<&str> = narratives
            .iter()
            .map(|n| {
                n.strip_prefix("Load check ")
                    .and_then(|r| r.split(',').next())
                    .unwrap_or("")
            })
            .collect();
        if now < *version {
            lost.push(format!("{country}: version {now} < acknowledged {version}"));
        } else if markers.len() != 7 || markers.iter().any(|m| *m != markers[0]) {
            lost.push(format!(
                "{country}: entries from different saves: {markers:?}"
            ));
        } else if now == *version && markers[0] != marker {
            lost.push(format!(
                "{country}: version {now} holds {} not {marker}",
                markers[0]
            ));
        }
    }
    let c = client();
    for (receipt, marker) in &responses {
        match c
            .get(site.url(&format!("/s/copy/{receipt}/answers.csv")))
            .send()
            .await
        {
            Ok(res) if res.status() == StatusCode::OK => {
                let body = res.text().await.unwrap_or_default();
                if !body.contains(marker.as_str()) {
                    lost.push(format!(
                        "response {receipt}: its answer {marker} is missing"
                    ));
                }
            }
            Ok(res) => lost.push(format!("response {receipt}: {}", res.status())),
            Err(e) => lost.push(format!("response {receipt}: {e}")),
        }
    }
    println!(
        "acknowledged: {saves} report saves ({} reports, last versions checked), {} survey responses; lost or half-written: {}",
        reports.len(),
        responses.len(),
        lost.len()
    );
    for l in lost.iter().take(20) {
        println!("  {l}");
    }
    lost.is_empty()
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    let accounts = read_accounts(&cli.accounts);
    assert!(
        !accounts.is_empty(),
        "no accounts in {}",
        cli.accounts.display()
    );
    let site = Arc::new(Site {
        base: cli.base.trim_end_matches('/').to_string(),
        period: cli.period,
        survey: cli.survey,
    });
    let ok = match cli.command {
        Command::Mixed { clients, seconds } => mixed(site, accounts, clients, seconds, false).await,
        Command::Health { clients, seconds } => mixed(site, accounts, clients, seconds, true).await,
        Command::Writes { clients, log } => {
            writes(site, accounts, clients, log).await;
            true
        }
        Command::Verify { log } => verify(site, accounts, log).await,
    };
    std::process::exit(if ok { 0 } else { 1 });
}
