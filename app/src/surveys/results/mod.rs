//! What happens after answering: personal invitations and their links (admins), the results
//! with a chart and a table per question and the response rate (admins and viewers), the
//! exports (CSV and XLSX, streamed), the list of responses and deleting one (admins), a
//! member's own data, and the headline results a recommendation's page shows.
//!
//! - Shared with the browser: the views the pages render ([`ResultsQuery`] and the `*View`
//!   types here).
//! - Server only: `aggregate` (the sums, pure), `answer_text` (an answer in words), `figures`
//!   (a question's chart and table), `service` (load once, then build the views), `export`
//!   (the export's columns and the streaming writers), `downloads` (the plain GET routes).

use serde::{Deserialize, Serialize};

use crate::dashboard::model::Figure;
use crate::ui::Table;

#[cfg(feature = "ssr")]
pub mod aggregate;
#[cfg(feature = "ssr")]
pub mod answer_text;
#[cfg(feature = "ssr")]
pub mod downloads;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod figures;
#[cfg(feature = "ssr")]
pub mod service;

/// The filters of the results and the exports, as the URL carries them
/// (`?country=IT&member_type=research&language=fr&q=waiting`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultsQuery {
    pub country: String,
    pub member_type: String,
    pub language: String,
    /// Words searched for in the written answers (results only).
    pub q: String,
}

impl ResultsQuery {
    /// Reads a query string; unknown keys are ignored, values trimmed and bounded.
    pub fn from_query(query: &str) -> Self {
        let mut out = Self::default();
        for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
            let v: String = v.trim().chars().take(200).collect();
            match k.as_ref() {
                "country" => out.country = v.to_ascii_uppercase(),
                "member_type" => out.member_type = v,
                "language" => out.language = v,
                "q" => out.q = v,
                _ => {}
            }
        }
        out
    }

    /// The query string (without `?`), empty values left out; `with_q` keeps the search.
    pub fn query(&self, with_q: bool) -> String {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("country", &self.country),
            ("member_type", &self.member_type),
            ("language", &self.language),
        ] {
            if !v.is_empty() {
                s.append_pair(k, v);
            }
        }
        if with_q && !self.q.is_empty() {
            s.append_pair("q", &self.q);
        }
        s.finish()
    }

    /// `path` with the filters.
    pub fn href(&self, path: &str, with_q: bool) -> String {
        let q = self.query(with_q);
        if q.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{q}")
        }
    }

    /// The filter of the database's responses.
    #[cfg(feature = "ssr")]
    pub fn filter(&self) -> crate::surveys::repo::ResponseFilter {
        crate::surveys::repo::ResponseFilter {
            country: self.country.clone(),
            member_type: self.member_type.clone(),
            language: self.language.clone(),
        }
    }
}

/// A choice of a filter: its value and its label.
pub type FilterChoice = (String, String);

/// Written answers to one question (or the "Other" texts of a multiple choice).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrittenAnswers {
    /// Answers given.
    pub total: usize,
    /// Answers matching the search.
    pub matching: usize,
    /// The first matching answers (at most [`WRITTEN_SHOWN`]).
    pub shown: Vec<String>,
}

/// The most written answers a question lists on the page (the export has them all).
pub const WRITTEN_SHOWN: usize = 200;

/// One question's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionResult {
    pub code: String,
    /// In the reader's language (or the survey's default).
    pub text: String,
    /// The kind, in words.
    pub kind: String,
    /// Hidden from respondents by an admin (its answers still count).
    pub hidden: bool,
    /// Respondents who answered it, of the responses selected.
    pub answered: usize,
    /// Lines such as "Median 42 · least 3 · most 97 · 120 answers".
    pub summary: Vec<String>,
    pub figure: Option<Figure>,
    pub written: Option<WrittenAnswers>,
}

/// The results page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultsView {
    pub survey_id: i64,
    pub title: String,
    pub status: crate::surveys::model::SurveyStatus,
    pub anonymous: bool,
    /// Responses the filters select, and all responses.
    pub selected: usize,
    pub total: usize,
    pub filters: ResultsQuery,
    pub countries: Vec<FilterChoice>,
    pub member_types: Vec<FilterChoice>,
    pub languages: Vec<FilterChoice>,
    /// Invited and answered: overall, by country, by member type.
    pub rates: Vec<Table>,
    pub questions: Vec<QuestionResult>,
    pub export_csv: String,
    pub export_xlsx: String,
    /// The caller may open the list of responses (admins).
    pub may_manage: bool,
}

/// A member who may be invited, as the invitations page lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub organisation: String,
    pub member_type: String,
    pub country: String,
    pub invited: bool,
}

/// One personal link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationLine {
    pub name: String,
    pub email: String,
    pub organisation: String,
    pub member_type: String,
    pub country: String,
    pub link: String,
    /// The day answered, formatted.
    pub answered_on: Option<String>,
}

/// The invitations page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationsView {
    pub survey_id: i64,
    pub title: String,
    pub closed: bool,
    pub open_link: Option<String>,
    /// The member filter (`country`, `member_type`, `organisation`) and "not answered only".
    pub country: String,
    pub member_type: String,
    pub organisation: String,
    pub pending_only: bool,
    pub countries: Vec<FilterChoice>,
    pub member_types: Vec<FilterChoice>,
    pub candidates: Vec<Candidate>,
    pub invited: usize,
    pub answered: usize,
    pub invitations: Vec<InvitationLine>,
    pub csv_href: String,
}

/// An answer in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerLine {
    pub question: String,
    pub answer: String,
}

/// One response as a list line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseLine {
    pub id: i64,
    pub submitted_on: String,
    pub country: String,
    pub member_type: String,
    pub language: String,
    /// The member, for a named response.
    pub respondent: Option<String>,
}

/// The list of responses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponsesView {
    pub survey_id: i64,
    pub title: String,
    pub anonymous: bool,
    pub responses: Vec<ResponseLine>,
}

/// One response with its answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseView {
    pub survey_id: i64,
    pub title: String,
    pub line: ResponseLine,
    pub answers: Vec<AnswerLine>,
}

/// A survey invitation of the member's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyInvitationLine {
    pub title: String,
    pub link: String,
    pub invited_on: String,
    pub answered_on: Option<String>,
    pub started: bool,
}

/// A named response of the member's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyResponse {
    pub title: String,
    pub submitted_on: String,
    pub answers: Vec<AnswerLine>,
}

/// Everything stored about the signed-in user (`/account/data`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyDataView {
    /// Account fields: label and value, in the reader's language.
    pub account: Vec<(String, String)>,
    pub invitations: Vec<MyInvitationLine>,
    pub responses: Vec<MyResponse>,
}

/// The headline of one question: its most chosen answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Headline {
    pub question: String,
    pub answer: String,
    pub percent: i64,
    pub count: usize,
    pub answered: usize,
}

/// A closed survey linked to a recommendation, as evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub title: String,
    pub responses: i64,
    /// The closing day, formatted.
    pub closed_on: String,
    pub headlines: Vec<Headline>,
}
