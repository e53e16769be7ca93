use std::collections::BTreeMap;

use super::*;
use crate::surveys::model::condition::{Comparison, Condition, Op};
use crate::surveys::model::definition::default_likert_scale;
use crate::surveys::model::{Answer, Choice, Text};

fn labelled(code: &str, en: &str, fr: &str) -> Choice {
    Choice {
        code: code.into(),
        label: Text(BTreeMap::from([
            ("en".to_string(), en.to_string()),
            ("fr".to_string(), fr.to_string()),
        ])),
    }
}

fn question(code: &str, kind: Kind) -> Question {
    Question {
        code: code.into(),
        kind,
        text: Text::new("en", format!("Question {code}")),
        help: Text::default(),
        required: false,
        hidden: false,
        show_if: None,
    }
}

/// A survey in English and French with a question of every kind.
fn survey() -> Definition {
    let mut d = Definition::new("en", "Legacy");
    d.languages = vec!["en".into(), "fr".into()];
    d.sections[0].questions = vec![
        question(
            "S",
            Kind::Single {
                choices: vec![labelled("yes", "Yes", "Oui"), labelled("no", "No", "Non")],
            },
        ),
        question(
            "M",
            Kind::Multiple {
                choices: vec![
                    labelled("a", "Apples", "Pommes"),
                    labelled("b", "Bread", "Pain"),
                    labelled("c", "Cheese", "Fromage"),
                ],
                other: true,
            },
        ),
        question(
            "L",
            Kind::Likert {
                scale: default_likert_scale(),
            },
        ),
        question(
            "N",
            Kind::Number {
                min: Some(0.0),
                max: Some(100.0),
                integer: false,
            },
        ),
        question("T", Kind::ShortText),
        question("D", Kind::Date),
        question(
            "G",
            Kind::Matrix {
                rows: vec![
                    labelled("r1", "Row 1", "Ligne 1"),
                    labelled("r2", "Row 2", "Ligne 2"),
                ],
                scale: vec![labelled("lo", "Low", "Bas"), labelled("hi", "High", "Haut")],
            },
        ),
    ];
    d
}

fn text(s: &str) -> Cell {
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s.into())
    }
}

fn book(name: &str, rows: Vec<Vec<Cell>>) -> Workbook {
    Workbook {
        format: crate::spreadsheet::grid::Format::Xlsx,
        sheets: vec![Sheet {
            name: name.into(),
            rows,
            ..Default::default()
        }],
    }
}

fn texts(rows: &[&[&str]]) -> Vec<Vec<Cell>> {
    rows.iter()
        .map(|r| r.iter().map(|s| text(s)).collect())
        .collect()
}

fn en() -> Locale {
    Locale::en
}

fn ok(def: &Definition, wb: &Workbook) -> Plan {
    plan(def, wb, en()).unwrap_or_else(|p| panic!("refused: {p:#?}"))
}

fn refused(def: &Definition, wb: &Workbook) -> Vec<String> {
    match plan(def, wb, en()) {
        Ok(p) => panic!("accepted: {p:#?}"),
        Err(problems) => problems.iter().map(Problem::to_string).collect(),
    }
}

#[test]
fn choices_are_matched_by_code_or_by_label_in_any_of_the_surveys_languages() {
    let wb = book(
        "Responses",
        texts(&[
            &["s", "L", "G.r1", "g.R2"],
            &["yes", "4", "lo", "High"],
            &["NO", "5", "Ligne 1", "lo"],
            &["yes", "", "lo", ""],
        ]),
    );
    let problems = refused(&survey(), &wb);
    // A row's label is not a scale point; a grid answered in part.
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(
        problems[0].starts_with("sheet \"Responses\", cell C3"),
        "{problems:#?}"
    );
    assert!(
        problems[0].contains("“Ligne 1” is not an answer of question G"),
        "{problems:#?}"
    );
    assert!(
        problems[1].contains("cell D4") && problems[1].contains("answered in part"),
        "{problems:#?}"
    );

    let wb = book(
        "Responses",
        texts(&[
            &["s", "L", "G.r1", "g.R2"],
            &["yes", "4", "lo", "High"],
            &[" Oui ", "Agree", "BAS", "haut"],
            &["NO", "tout à fait d’accord", "", ""],
        ]),
    );
    let p = ok(&survey(), &wb);
    let a = |i: usize, code: &str| p.rows[i].answers.get(code).cloned();
    assert_eq!(a(0, "S"), Some(Answer::Choice("yes".into())));
    assert_eq!(a(1, "S"), Some(Answer::Choice("yes".into())));
    assert_eq!(a(2, "S"), Some(Answer::Choice("no".into())));
    assert_eq!(a(0, "L"), Some(Answer::Choice("4".into())));
    assert_eq!(a(1, "L"), Some(Answer::Choice("4".into())));
    assert_eq!(a(2, "L"), Some(Answer::Choice("5".into())));
    assert_eq!(
        a(1, "G"),
        Some(Answer::Matrix(BTreeMap::from([
            ("r1".into(), "lo".into()),
            ("r2".into(), "hi".into())
        ])))
    );
    assert_eq!(a(2, "G"), None, "an empty matrix is not answered");
    assert_eq!(p.rows.iter().map(|r| r.row).collect::<Vec<_>>(), [2, 3, 4]);
    assert!(p.notices.is_empty(), "{:#?}", p.notices);
}

#[test]
fn a_multiple_choice_reads_one_list_cell_or_a_column_per_choice_and_its_other_text() {
    let mut rows = texts(&[
        &["M", "M.a", "M.b", "M.c", "M._other"],
        &["Apples; Pain", "", "", "", ""],
        &["a, c", "", "", "", ""],
        &["", "1", "", "x", "Plums"],
        &["", "", "", "", "'=Pears"],
        &["b", "", "", "", ""],
    ]);
    rows[6 - 1][3] = Cell::Number(1.0);
    let wb = book("Responses", rows);
    let p = ok(&survey(), &wb);
    let m = |i: usize| p.rows[i].answers.get("M").cloned();
    let choices = |codes: &[&str], other: Option<&str>| {
        Some(Answer::Choices {
            codes: codes.iter().map(|c| c.to_string()).collect(),
            other: other.map(str::to_string),
        })
    };
    assert_eq!(m(0), choices(&["a", "b"], None));
    assert_eq!(m(1), choices(&["a", "c"], None));
    assert_eq!(m(2), choices(&["a", "c", OTHER], Some("Plums")));
    assert_eq!(
        m(3),
        choices(&[OTHER], Some("=Pears")),
        "the export's apostrophe goes"
    );
    assert_eq!(
        m(4),
        choices(&["b", "c"], None),
        "the list and a column together"
    );

    let wb = book(
        "Responses",
        texts(&[&["M", "M.b"], &["Apples; Plums", ""], &["", "maybe"]]),
    );
    let problems = refused(&survey(), &wb);
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(
        problems[0].contains("cell A2") && problems[0].contains("“Plums”"),
        "{problems:#?}"
    );
    assert!(
        problems[1].contains("cell B3") && problems[1].contains("Write 1"),
        "{problems:#?}"
    );
}

#[test]
fn dates_come_as_date_cells_serial_numbers_or_text() {
    let d = time::macros::date!(2024 - 03 - 01);
    let rows = vec![
        vec![text("D"), text("submitted_at")],
        vec![Cell::Date(d), Cell::DateTime(d.with_hms(9, 30, 0).unwrap())],
        vec![Cell::Number(45352.0), text("2024-03-01T09:30:00Z")],
        vec![text("01/03/2024"), text("")],
        vec![text("2024-03-01"), text("")],
    ];
    let p = ok(&survey(), &book("Responses", rows));
    for r in &p.rows {
        assert_eq!(
            r.answers.get("D"),
            Some(&Answer::Date("2024-03-01".into())),
            "row {}",
            r.row
        );
    }
    assert_eq!(p.rows[0].submitted_on.as_deref(), Some("2024-03-01"));
    assert_eq!(p.rows[1].submitted_on.as_deref(), Some("2024-03-01"));
    assert_eq!(p.rows[2].submitted_on, None);

    let rows = vec![
        vec![text("D")],
        vec![text("31/02/2024")],
        vec![Cell::Bool(true)],
    ];
    let problems = refused(&survey(), &book("Responses", rows));
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(
        problems[0].starts_with(
            "sheet \"Responses\", cell A2 (row 2, column A): “31/02/2024” is not a date"
        ),
        "{problems:#?}"
    );
}

#[test]
fn a_bad_number_is_a_problem_naming_its_row_and_column() {
    let wb = book(
        "Legacy",
        vec![
            vec![text("T"), text("N")],
            vec![text("fine"), Cell::Number(12.5)],
            vec![text("fine"), text("12,5")],
            vec![text("fine"), text("twelve")],
            vec![text("fine"), Cell::Number(101.0)],
            vec![text("fine"), Cell::Error("#DIV/0!".into())],
        ],
    );
    let problems = refused(&survey(), &wb);
    assert_eq!(
        problems,
        [
            "sheet \"Legacy\", cell B4 (row 4, column B): “twelve” is not a number (write 12 or 12.5).",
            "sheet \"Legacy\", cell B5 (row 5, column B): 101 is above the highest answer question N allows (100).",
            "sheet \"Legacy\", cell B6 (row 6, column B): The cell holds the error #DIV/0!: correct the formula or type the value.",
        ]
    );
    // The same file without its bad rows is read.
    let mut wb = wb;
    wb.sheets[0].rows.truncate(3);
    let p = ok(&survey(), &wb);
    assert_eq!(p.rows[0].answers.get("N"), Some(&Answer::Number(12.5)));
    assert_eq!(p.rows[1].answers.get("N"), Some(&Answer::Number(12.5)));
}

#[test]
fn unknown_doubled_and_unnamed_columns_are_problems_at_their_header() {
    let wb = book(
        "Responses",
        texts(&[
            &[
                "S",
                "Notes",
                "s",
                "M.z",
                "T.x",
                "G",
                "submitted_on",
                "Submitted_at",
                "",
                "N",
            ],
            &["yes", "x", "no", "", "", "", "", "", "stray", "1"],
        ]),
    );
    let problems = refused(&survey(), &wb);
    let expected = [
        ("B1", "“Notes” is neither a question code"),
        ("C1", "The column s appears twice."),
        ("D1", "Question M has no choice “z”"),
        ("E1", "Question T takes one column"),
        (
            "F1",
            "Question G is a grid: give one column per row, named G.ROW (for example G.r1)",
        ),
        ("H1", "the same information as column submitted_on"),
        ("I1", "Column I holds values but has no name in row 1"),
    ];
    assert_eq!(problems.len(), expected.len(), "{problems:#?}");
    for (p, (cell, words)) in problems.iter().zip(expected) {
        assert!(
            p.contains(&format!("cell {cell} ")) && p.contains(words),
            "{p}"
        );
    }
}

#[test]
fn answers_to_questions_a_condition_hides_are_dropped_and_counted() {
    let mut def = survey();
    let questions = &mut def.sections[0].questions;
    questions[4].show_if = Some(Condition::Compare(Comparison {
        question: "S".into(),
        op: Op::Equals,
        value: "yes".into(),
    }));
    questions[4].required = true;
    // Hidden by the admin: its answers are still imported.
    questions[3].hidden = true;
    let wb = book(
        "Responses",
        texts(&[
            &["S", "T", "N"],
            &["yes", "shown", "7"],
            &["no", "hidden answer", "8"],
            &["yes", "", ""],
            &["no", "again", "x"],
        ]),
    );
    let problems = refused(&def, &wb);
    assert_eq!(
        problems.len(),
        1,
        "an admin-hidden answer is still checked: {problems:#?}"
    );
    assert!(problems[0].contains("cell C5"), "{problems:#?}");

    let mut wb = wb;
    wb.sheets[0].rows.truncate(4);
    let p = ok(&def, &wb);
    assert_eq!(
        p.rows[0].answers.get("T"),
        Some(&Answer::Text("shown".into()))
    );
    assert_eq!(p.rows[1].answers.get("T"), None, "hidden by its condition");
    assert_eq!(p.rows[1].answers.get("N"), Some(&Answer::Number(8.0)));
    let notices: Vec<String> = p.notices.iter().map(Problem::to_string).collect();
    assert_eq!(notices.len(), 2, "{notices:#?}");
    assert!(
        notices[0].starts_with("sheet \"Responses\", column B: Question T is not shown"),
        "{notices:#?}"
    );
    assert!(notices[0].contains("1 responses, rows 3."), "{notices:#?}");
    assert!(
        notices[1].contains("Question T is required") && notices[1].contains("rows 4."),
        "{notices:#?}"
    );
}

#[test]
fn an_export_with_its_words_row_and_response_columns_is_read_back() {
    let wb = book(
        "Responses",
        vec![
            texts(&[&[
                "response_id",
                "submitted_on",
                "language",
                "country",
                "member_type",
                "respondent",
                "S",
                "M.a",
                "M.b",
                "M.c",
                "M._other",
                "L",
                "T",
            ]])
            .remove(0),
            texts(&[&[
                "Response",
                "Submitted on",
                "Language",
                "Country",
                "Member type",
                "Respondent",
                "Question S",
                "Question M — Apples",
                "Question M — Bread",
                "Question M — Cheese",
                "Question M — Other",
                "Question L (1 = Strongly disagree, …)",
                "Question T",
            ]])
            .remove(0),
            vec![
                Cell::Number(7.0),
                text("2026-05-01"),
                text("fr"),
                text("Italy"),
                text("research"),
                text("Ada"),
                text("Yes"),
                Cell::Empty,
                Cell::Number(1.0),
                Cell::Empty,
                text("'@cmd"),
                Cell::Number(4.0),
                text("'=SUM(1,2)"),
            ],
            vec![Cell::Empty; 13],
            vec![
                Cell::Number(8.0),
                text("2026-05-02"),
                text("EN"),
                Cell::Empty,
                text("Patient organisation"),
                Cell::Empty,
                text("No"),
            ],
        ],
    );
    let p = ok(&survey(), &wb);
    assert_eq!(
        p.rows.len(),
        2,
        "the words row and the blank row are skipped"
    );
    let first = &p.rows[0];
    assert_eq!((first.row, first.language.as_str()), (3, "fr"));
    assert_eq!(first.submitted_on.as_deref(), Some("2026-05-01"));
    assert_eq!(first.country.as_deref(), Some("Italy"));
    assert_eq!(first.member_type.as_deref(), Some("research"));
    assert_eq!(
        first.answers.get("T"),
        Some(&Answer::Text("=SUM(1,2)".into()))
    );
    assert_eq!(
        first.answers.get("M"),
        Some(&Answer::Choices {
            codes: vec!["b".into(), OTHER.into()],
            other: Some("@cmd".into())
        })
    );
    assert_eq!(p.rows[1].language, "en");
    assert_eq!(
        p.rows[1].member_type.as_deref(),
        Some("patient-organisation")
    );
    assert_eq!(p.country_column, Some(3));
    let notices: Vec<String> = p.notices.iter().map(Problem::to_string).collect();
    assert_eq!(notices.len(), 3, "{notices:#?}");
    assert!(notices[0].contains("column A") && notices[0].contains("numbered anew"));
    assert!(notices[1].contains("column F") && notices[1].contains("not linked to members"));
    assert!(notices[2].contains("row 2") && notices[2].contains("in words"));

    let countries = [
        Country {
            iso2: "IT".into(),
            iso3: "ITA".into(),
            name: "Italy".into(),
            eu_member: true,
        },
        Country {
            iso2: "FR".into(),
            iso3: "FRA".into(),
            name: "France".into(),
            eu_member: true,
        },
    ];
    assert_eq!(
        p.countries(&countries, en()),
        Ok(vec![Some("IT".into()), None])
    );
    let mut unknown = p.clone();
    unknown.rows[1].country = Some("Atlantis".into());
    let problems = unknown.countries(&countries, en()).unwrap_err();
    assert_eq!(problems.len(), 1);
    assert!(problems[0].to_string().contains("cell D5"), "{problems:?}");
}

#[test]
fn response_columns_with_values_they_cannot_take_are_problems() {
    let wb = book(
        "Responses",
        texts(&[
            &["S", "language", "member_type", "submitted_on"],
            &["yes", "klingon!", "alien", "soon"],
        ]),
    );
    let problems = refused(&survey(), &wb);
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(problems[0].contains("not a language code"));
    assert!(problems[1].contains("not a kind of member") && problems[1].contains("research"));
    assert!(problems[2].contains("not a date"));
}

#[test]
fn a_file_without_question_columns_or_responses_is_refused() {
    let problems = refused(
        &survey(),
        &book("Responses", texts(&[&["response_id"], &["1"]])),
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("No column of row 1 is a question code")),
        "{problems:#?}"
    );
    let problems = refused(
        &survey(),
        &book("Responses", texts(&[&["S", "T"], &["", ""]])),
    );
    assert_eq!(
        problems,
        ["sheet \"Responses\": The sheet has no responses below its column names."]
    );
    let problems = refused(&survey(), &book("Responses", texts(&[&[""], &["yes"]])));
    assert!(
        problems[0].contains("Row 1 must name the columns"),
        "{problems:#?}"
    );
    let empty = Workbook {
        format: crate::spreadsheet::grid::Format::Xlsx,
        sheets: vec![],
    };
    assert_eq!(refused(&survey(), &empty), ["The file has no sheet."]);
}

#[test]
fn the_responses_sheet_is_read_else_the_first_visible_one() {
    let mut wb = book("Notes", texts(&[&["x"]]));
    wb.sheets[0].hidden = true;
    wb.sheets.push(Sheet {
        name: "Data".into(),
        rows: texts(&[&["S"], &["yes"]]),
        ..Default::default()
    });
    assert_eq!(ok(&survey(), &wb).sheet, "Data");
    wb.sheets.push(Sheet {
        name: " responses ".into(),
        rows: texts(&[&["S"], &["no"]]),
        ..Default::default()
    });
    assert_eq!(ok(&survey(), &wb).sheet, " responses ");
}

#[test]
fn merged_cells_in_the_responses_are_problems() {
    let mut wb = book(
        "Responses",
        texts(&[&["S", "T"], &["yes", "x"], &["", ""], &["no", ""]]),
    );
    wb.sheets[0].merged = vec![(1, 0, 1, 1), (2, 1, 4, 1)];
    let problems = refused(&survey(), &wb);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(problems[0].contains("cell B2") && problems[0].contains("B2:B4 are merged"));
}

#[test]
fn every_problem_is_collected_and_the_list_stops_at_its_cap() {
    let mut rows = texts(&[&["N"]]);
    for _ in 0..250 {
        rows.push(vec![text("many")]);
    }
    let problems = refused(&survey(), &book("Responses", rows));
    assert_eq!(problems.len(), MAX_PROBLEMS + 1);
    assert_eq!(problems[MAX_PROBLEMS], "… and 50 more problems not listed.");
    assert!(problems[MAX_PROBLEMS - 1].contains("cell A201"));
}

#[test]
fn problems_are_written_in_the_readers_language() {
    let wb = book("Responses", texts(&[&["N"], &["beaucoup"]]));
    let problems = plan(&survey(), &wb, Locale::fr).unwrap_err();
    assert!(
        problems[0].message.contains("n’est pas un nombre"),
        "{problems:?}"
    );
}

#[test]
fn columns_are_named_like_the_exports_columns_ignoring_case() {
    use super::columns::{classify, Column, Meta, Refused};
    let mut def = survey();
    def.sections[0]
        .questions
        .push(question("country", Kind::ShortText));
    let qs: Vec<&Question> = def.questions().collect();
    let (m, g, country) = (1, 6, 7);
    assert_eq!(classify(&qs, "s"), Ok(Column::Answer(0)));
    assert_eq!(classify(&qs, "M"), Ok(Column::Answer(m)));
    assert_eq!(classify(&qs, "M.A"), Ok(Column::Chosen(m, "a".into())));
    assert_eq!(classify(&qs, "M._other"), Ok(Column::Other(m)));
    assert_eq!(classify(&qs, "m.Other"), Ok(Column::Other(m)));
    assert_eq!(classify(&qs, "G.r1"), Ok(Column::Row(g, "r1".into())));
    assert_eq!(
        classify(&qs, "Submitted_At"),
        Ok(Column::Meta(Meta::Submitted))
    );
    assert_eq!(
        classify(&qs, "country"),
        Ok(Column::Answer(country)),
        "a question wins"
    );
    assert_eq!(classify(&qs, "G"), Err(Refused::MatrixColumn(g)));
    assert_eq!(
        classify(&qs, "G.r9"),
        Err(Refused::NoSuchRow(g, "r9".into()))
    );
    assert_eq!(
        classify(&qs, "M.z"),
        Err(Refused::NoSuchChoice(m, "z".into()))
    );
    assert_eq!(classify(&qs, "T.x"), Err(Refused::SingleColumn(4)));
    assert_eq!(classify(&qs, "Q9"), Err(Refused::Unknown));
    assert_eq!(classify(&qs, "notes"), Err(Refused::Unknown));
}

#[test]
fn a_large_file_read_in_chunks_keeps_the_rows_order_in_rows_problems_and_notices() {
    // Enough rows for several reading threads (when the machine has them): the result must be
    // the one a single reader gives.
    let mut def = survey();
    def.sections[0].questions[4].show_if = Some(Condition::Compare(Comparison {
        question: "S".into(),
        op: Op::Equals,
        value: "yes".into(),
    }));
    let total = ROWS_PER_THREAD * 4 + 7;
    let mut rows = texts(&[&["S", "T", "N"]]);
    for i in 0..total {
        let s = if i % 1000 == 999 { "no" } else { "yes" };
        rows.push(vec![
            text(s),
            text(&format!("answer {i}")),
            text(&(i % 100).to_string()),
        ]);
    }
    let p = ok(&def, &book("Responses", rows.clone()));
    assert_eq!(p.rows.len(), total);
    assert!(p.rows.windows(2).all(|w| w[0].row + 1 == w[1].row));
    assert_eq!(
        p.rows[total - 1].answers.get("T"),
        Some(&Answer::Text(format!("answer {}", total - 1)))
    );
    let notices: Vec<String> = p.notices.iter().map(Problem::to_string).collect();
    assert_eq!(notices.len(), 1, "{notices:#?}");
    assert!(
        notices[0].contains("8 responses, rows 1001, 2001, 3001, 4001, 5001, …"),
        "{notices:#?}"
    );

    // Problems in every chunk: listed in row order up to the cap, the rest counted.
    for (i, row) in rows.iter_mut().enumerate().skip(1) {
        if i % 20 == 0 {
            row[2] = text("many");
        }
    }
    let problems = refused(&def, &book("Responses", rows));
    assert_eq!(problems.len(), MAX_PROBLEMS + 1);
    assert!(problems[0].contains("cell C21"), "{}", problems[0]);
    assert!(
        problems[MAX_PROBLEMS - 1].contains("cell C4001"),
        "{}",
        problems[MAX_PROBLEMS - 1]
    );
    let more = total / 20 - MAX_PROBLEMS;
    assert_eq!(
        problems[MAX_PROBLEMS],
        format!("… and {more} more problems not listed.")
    );
}
