//! The demo data set's surveys: synthetic network members across countries and member types,
//! one closed survey with a few hundred responses (so the results pages have something to
//! show at once) and one open survey with an open link. Answers are drawn from the seed and
//! checked by the surveys' own rules before they are stored.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::db::Tx;
use crate::error::AppError;
use crate::surveys::model::answers::{self, Raw};
use crate::surveys::model::definition::{
    default_likert_scale, Choice, Definition, Kind, Question, Section, Text,
};
use crate::surveys::model::{Comparison, Condition, Op, SurveyStatus};
use crate::surveys::repo::{self, NewResponse, Settings};

/// Synthetic members invited to the closed survey.
pub const MEMBERS: usize = 320;

/// Share of the invited members who answered the closed survey (in percent).
const ANSWERED_PERCENT: u32 = 80;

const MEMBER_TYPES: [&str; 4] = [
    "professional-society",
    "patient-organisation",
    "research",
    "other",
];

fn t(en: &str, fr: &str, de: &str) -> Text {
    let mut text = Text::new("en", en);
    text.set("fr", fr);
    text.set("de", de);
    text
}

fn choice(code: &str, en: &str, fr: &str, de: &str) -> Choice {
    Choice {
        code: code.into(),
        label: t(en, fr, de),
    }
}

fn question(code: &str, kind: Kind, text: Text, required: bool) -> Question {
    Question {
        code: code.into(),
        kind,
        text,
        help: Text::default(),
        required,
        hidden: false,
        show_if: None,
    }
}

/// The closed survey: backlog, shortages and workforce, in English, French and German.
pub fn closed_survey() -> Definition {
    let mut d = Definition::new("en", "");
    d.languages = vec!["en".into(), "fr".into(), "de".into()];
    d.title = t(
        "Demo — Cancer care after COVID-19: member survey 2025",
        "Démo — Les soins contre le cancer après la COVID-19 : enquête auprès des membres 2025",
        "Demo — Krebsversorgung nach COVID-19: Mitgliederumfrage 2025",
    );
    d.intro = t(
        "Synthetic demo survey: the answers are generated, not real.",
        "Enquête de démonstration : les réponses sont générées, pas réelles.",
        "Demo-Umfrage: Die Antworten sind erzeugt, nicht echt.",
    );
    let yes_no = Kind::Single {
        choices: vec![
            choice("yes", "Yes", "Oui", "Ja"),
            choice("no", "No", "Non", "Nein"),
            choice("unsure", "Not sure", "Je ne sais pas", "Weiß nicht"),
        ],
    };
    let mut backlog_months = question(
        "B2",
        Kind::Number {
            min: Some(0.0),
            max: Some(60.0),
            integer: true,
        },
        t(
            "How many months of delay remain, by your estimate?",
            "Combien de mois de retard restent, selon votre estimation ?",
            "Wie viele Monate Rückstand bestehen Ihrer Schätzung nach noch?",
        ),
        true,
    );
    backlog_months.show_if = Some(Condition::Compare(Comparison {
        question: "B1".into(),
        op: Op::Equals,
        value: "yes".into(),
    }));
    let shortages = Kind::Multiple {
        choices: vec![
            choice("drugs", "Medicines", "Médicaments", "Arzneimittel"),
            choice("staff", "Staff", "Personnel", "Personal"),
            choice("equipment", "Equipment", "Équipements", "Geräte"),
            choice(
                "beds",
                "Hospital beds",
                "Lits d’hôpital",
                "Krankenhausbetten",
            ),
        ],
        other: true,
    };
    let matrix = Kind::Matrix {
        rows: vec![
            choice("screening", "Screening", "Dépistage", "Früherkennung"),
            choice("diagnosis", "Diagnosis", "Diagnostic", "Diagnose"),
            choice("treatment", "Treatment", "Traitement", "Behandlung"),
        ],
        scale: vec![
            choice(
                "worse",
                "Worse than before 2020",
                "Pire qu’avant 2020",
                "Schlechter als vor 2020",
            ),
            choice("same", "As before 2020", "Comme avant 2020", "Wie vor 2020"),
            choice(
                "better",
                "Better than before 2020",
                "Meilleur qu’avant 2020",
                "Besser als vor 2020",
            ),
        ],
    };
    d.sections = vec![
        Section {
            code: "S1".into(),
            title: t("Backlog", "Retards", "Rückstau"),
            intro: Text::default(),
            show_if: None,
            questions: vec![
                question(
                    "B1",
                    yes_no,
                    t(
                        "Is there still a backlog of cancer care in your country?",
                        "Existe-t-il encore un retard de soins contre le cancer dans votre pays ?",
                        "Gibt es in Ihrem Land noch einen Rückstau in der Krebsversorgung?",
                    ),
                    true,
                ),
                backlog_months,
                question(
                    "B3",
                    matrix,
                    t(
                        "Compared with before 2020, how are these services now?",
                        "Par rapport à avant 2020, comment se portent ces services ?",
                        "Wie stehen diese Leistungen im Vergleich zu vor 2020 da?",
                    ),
                    false,
                ),
            ],
        },
        Section {
            code: "S2".into(),
            title: t(
                "Shortages and workforce",
                "Pénuries et personnel",
                "Engpässe und Personal",
            ),
            intro: Text::default(),
            show_if: None,
            questions: vec![
                question(
                    "W1",
                    shortages,
                    t(
                        "Which shortages affect cancer care now?",
                        "Quelles pénuries touchent les soins contre le cancer aujourd’hui ?",
                        "Welche Engpässe betreffen die Krebsversorgung derzeit?",
                    ),
                    false,
                ),
                question(
                    "W2",
                    Kind::Likert {
                        scale: default_likert_scale(),
                    },
                    t(
                        "The cancer workforce is sufficient to meet demand.",
                        "Les effectifs en cancérologie suffisent à répondre à la demande.",
                        "Das Personal in der Krebsversorgung reicht aus, um den Bedarf zu decken.",
                    ),
                    true,
                ),
                question(
                    "W3",
                    Kind::LongText,
                    t(
                        "What would help most?",
                        "Qu’est-ce qui aiderait le plus ?",
                        "Was würde am meisten helfen?",
                    ),
                    false,
                ),
            ],
        },
    ];
    d
}

/// The open survey: short, with an open link.
pub fn open_survey() -> Definition {
    let mut d = Definition::new("en", "");
    d.languages = vec!["en".into(), "fr".into(), "de".into()];
    d.title = t(
        "Demo — Workforce pulse 2026",
        "Démo — Baromètre du personnel 2026",
        "Demo — Personal-Stimmungsbild 2026",
    );
    d.sections[0].title = t("Your view", "Votre avis", "Ihre Sicht");
    d.sections[0].questions = vec![
        question(
            "P1",
            Kind::Likert {
                scale: default_likert_scale(),
            },
            t(
                "Staffing in cancer care has improved over the last year.",
                "Les effectifs en cancérologie se sont améliorés depuis un an.",
                "Die Personalsituation in der Krebsversorgung hat sich im letzten Jahr verbessert.",
            ),
            true,
        ),
        question(
            "P2",
            Kind::Date,
            t(
                "When did your organisation last report shortages?",
                "Quand votre organisation a-t-elle signalé des pénuries pour la dernière fois ?",
                "Wann hat Ihre Organisation zuletzt Engpässe gemeldet?",
            ),
            false,
        ),
        question(
            "P3",
            Kind::ShortText,
            t(
                "Your organisation's country or region",
                "Pays ou région de votre organisation",
                "Land oder Region Ihrer Organisation",
            ),
            false,
        ),
    ];
    d
}

/// One synthetic respondent's answers to the closed survey, as a form would post them.
fn closed_answers(rng: &mut StdRng) -> Raw {
    let mut raw = Raw::new();
    let mut put = |k: &str, v: &str| raw.entry(k.to_string()).or_default().push(v.to_string());
    let backlog = ["yes", "yes", "yes", "no", "unsure"][rng.gen_range(0..5)];
    put("q.B1", backlog);
    if backlog == "yes" {
        put("q.B2", &rng.gen_range(1..=24).to_string());
    }
    if rng.gen_bool(0.8) {
        for row in ["screening", "diagnosis", "treatment"] {
            put(
                &format!("q.B3.{row}"),
                ["worse", "worse", "same", "better"][rng.gen_range(0..4)],
            );
        }
    }
    for c in ["drugs", "staff", "equipment", "beds"] {
        if rng.gen_bool(if c == "staff" { 0.7 } else { 0.35 }) {
            put("q.W1", c);
        }
    }
    if rng.gen_bool(0.05) {
        put("q.W1", answers::OTHER);
        put("q.W1.other", "Demo — radiotherapy slots");
    }
    put("q.W2", &rng.gen_range(1..=5).to_string());
    if rng.gen_bool(0.3) {
        put(
            "q.W3",
            [
                "Demo — more training places",
                "Demo — shared procurement of medicines",
                "Demo — data on waiting times",
            ][rng.gen_range(0..3)],
        );
    }
    raw
}

/// What the surveys part wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SurveyCounts {
    pub surveys: i64,
    pub members: i64,
    pub responses: i64,
}

/// Writes the members, both surveys, invitations and responses inside the data set's
/// transaction. `countries`: ISO codes to spread members over; `admin`: who created them;
/// `demo_member`: the demo member account (invited to the open survey).
pub async fn write(
    tx: &mut Tx,
    countries: &[String],
    admin: i64,
    demo_member: i64,
    seed: u64,
) -> Result<SurveyCounts, AppError> {
    let mut rng = StdRng::seed_from_u64(seed);
    let now = crate::clock::now();
    let mut members = Vec::with_capacity(MEMBERS);
    for i in 0..MEMBERS {
        let country = &countries[(i * 7 + i / 13) % countries.len()];
        let member_type = MEMBER_TYPES[(i * 3 + i / 5) % MEMBER_TYPES.len()];
        let rows: Vec<(i64,)> = sqlx::query_as(
            "INSERT INTO users (email, display_name, role, active, password_hash, organisation, member_type, \
             member_country, sessions_valid_after, created_at, updated_at) \
             VALUES ($1, $2, 'member', 1, NULL, $3, $4, $5, $6, $6, $6) RETURNING id",
        )
        .bind(format!("demo-member-{:03}@demo.invalid", i + 1))
        .bind(format!("Demo Member {:03}", i + 1))
        .bind(format!("Demo Organisation {:03}", i + 1))
        .bind(member_type.to_string())
        .bind(country.clone())
        .bind(now.clone())
        .fetch_all(&mut **tx)
        .await?;
        let id = rows.first().map(|r| r.0).ok_or(AppError::Internal)?;
        members.push((id, country.clone(), member_type));
    }

    let closed = closed_survey();
    let closed_id = repo::create(tx, &closed, admin).await?;
    let today = time::OffsetDateTime::now_utc().date();
    let day = |offset: i64| super::plan::iso_date(today + time::Duration::days(offset));
    repo::save_settings(
        tx,
        closed_id,
        &Settings {
            status: SurveyStatus::Closed,
            opens_on: Some(day(-60)),
            closes_on: Some(day(-10)),
            anonymous: false,
            open_token: None,
            one_per_browser: false,
            recommendations: vec![1, 3, 4],
        },
    )
    .await?;
    let mut responses = 0;
    for (id, country, member_type) in &members {
        let token = crate::auth::token::generate();
        repo::invite(tx, closed_id, *id, &token).await?;
        if rng.gen_range(0..100) >= ANSWERED_PERCENT {
            continue;
        }
        let raw = closed_answers(&mut rng);
        let walk = answers::walk(&closed, &raw);
        if !walk.errors.is_empty() {
            tracing::error!(errors = ?walk.errors, "demo answers do not pass the survey's checks");
            return Err(AppError::Internal);
        }
        let inv = repo::invitation_by_token(tx, &token)
            .await?
            .ok_or(AppError::Internal)?;
        repo::mark_answered(tx, inv.id).await?;
        let language = ["en", "en", "fr", "de"][rng.gen_range(0..4)];
        repo::insert_response(
            tx,
            &NewResponse {
                survey_id: closed_id,
                invitation_id: Some(inv.id),
                user_id: Some(*id),
                country: Some(country),
                member_type: Some(member_type),
                language,
                answers: &walk.answers,
                receipt_hash: &crate::auth::token::digest(&crate::auth::token::generate()),
            },
        )
        .await?;
        responses += 1;
    }

    let open = open_survey();
    let open_id = repo::create(tx, &open, admin).await?;
    repo::save_settings(
        tx,
        open_id,
        &Settings {
            status: SurveyStatus::Open,
            opens_on: Some(day(-3)),
            closes_on: Some(day(60)),
            anonymous: true,
            open_token: Some(crate::auth::token::generate()),
            one_per_browser: false,
            recommendations: vec![4],
        },
    )
    .await?;
    repo::invite(tx, open_id, demo_member, &crate::auth::token::generate()).await?;
    Ok(SurveyCounts {
        surveys: 2,
        members: members.len() as i64,
        responses,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_surveys_are_valid_and_their_answers_pass_the_checks() {
        assert!(
            closed_survey().problems().is_empty(),
            "{:?}",
            closed_survey().problems()
        );
        assert!(
            open_survey().problems().is_empty(),
            "{:?}",
            open_survey().problems()
        );
        assert!(closed_survey()
            .untranslated()
            .iter()
            .all(|u| u.missing.is_empty()));
        let mut rng = StdRng::seed_from_u64(1);
        for _ in 0..200 {
            let walk = answers::walk(&closed_survey(), &closed_answers(&mut rng));
            assert!(walk.errors.is_empty(), "{:?}", walk.errors);
        }
    }
}
