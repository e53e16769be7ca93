//! Small XLSForms written for the tests: each supported feature, each refusal (with the row,
//! column and message it names), and the round trip export → import.

use super::export::to_workbook;
use super::import::{from_workbook, Imported};
use crate::lang::Locale;
use crate::spreadsheet::grid::{Cell, Format, Place, Problem, Sheet, Workbook};
use crate::surveys::model::{Comparison, Condition, Kind, Op, Text};

fn sheet(name: &str, rows: &[&[&str]]) -> Sheet {
    Sheet {
        name: name.into(),
        rows: rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|t| {
                        if t.is_empty() {
                            Cell::Empty
                        } else {
                            Cell::Text(t.to_string())
                        }
                    })
                    .collect()
            })
            .collect(),
        ..Sheet::default()
    }
}

fn book(sheets: Vec<Sheet>) -> Workbook {
    Workbook {
        format: Format::Xlsx,
        sheets,
    }
}

const SETTINGS: &[&[&str]] = &[
    &["form_title", "default_language"],
    &["Test", "English (en)"],
];
const YES_NO: &[&[&str]] = &[
    &["list_name", "name", "label"],
    &["yn", "yes", "Yes"],
    &["yn", "no", "No"],
];

/// A form with `survey` rows under the headers `type, name, label, <extra…>`, the yes/no
/// list and a title.
fn form(extra: &[&str], rows: &[&[&str]]) -> Workbook {
    let header: Vec<&str> = ["type", "name", "label"]
        .iter()
        .chain(extra)
        .copied()
        .collect();
    let mut all: Vec<&[&str]> = vec![&header];
    all.extend(rows);
    book(vec![
        sheet("survey", &all),
        sheet("choices", YES_NO),
        sheet("settings", SETTINGS),
    ])
}

fn import(wb: &Workbook) -> Imported {
    match from_workbook(wb, Locale::en) {
        Ok(i) => i,
        Err(p) => panic!("refused: {p:#?}"),
    }
}

fn refused(wb: &Workbook) -> Vec<Problem> {
    match from_workbook(wb, Locale::en) {
        Ok(i) => panic!("imported: {:#?}", i.definition),
        Err(p) => p,
    }
}

/// The problems as `(place, message)` strings, for readable assertions.
fn said(problems: &[Problem]) -> Vec<String> {
    problems.iter().map(|p| p.to_string()).collect()
}

fn cmp(q: &str, op: Op, v: &str) -> Condition {
    Condition::Compare(Comparison {
        question: q.into(),
        op,
        value: v.into(),
    })
}

fn en_fr(en: &str, fr: &str) -> Text {
    let mut t = Text::new("en", en);
    t.set("fr", fr);
    t
}

#[test]
fn a_form_with_every_supported_feature_is_imported() {
    let survey: &[&[&str]] = &[
        &[
            "type",
            "name",
            "label::English (en)",
            "label::Français (fr)",
            "hint::English (en)",
            "required",
            "relevant",
            "constraint",
            "appearance",
        ],
        &["start", "start"],
        &["note", "welcome", "Welcome", "Bienvenue"],
        &[
            "text",
            "org",
            "Organisation",
            "Organisation",
            "Full name",
            "yes",
        ],
        &["begin_group", "S1", "Backlog", "Retards"],
        &["select_one yn", "B1", "Backlog?", "Retard ?", "", "TRUE"],
        &[
            "integer",
            "B2",
            "Months",
            "Mois",
            "",
            "",
            "${B1} = 'yes'",
            ". >= 0 and . <= 60",
        ],
        &[
            "select_multiple short or_other",
            "B3",
            "Shortages",
            "Pénuries",
            "",
            "",
            "selected(${B1}, 'yes') or ${B2} >= 3",
        ],
        &["end_group"],
        &[
            "begin group",
            "S2",
            "Views",
            "Avis",
            "",
            "",
            "${B1} != 'no'",
            "",
            "field-list",
        ],
        &["note", "s2intro", "Tell us", "Dites-nous"],
        &[
            "select_one agree",
            "V1",
            "Staff suffice",
            "Assez de personnel",
            "",
            "",
            "",
            "",
            "likert",
        ],
        &[
            "begin_group",
            "V2",
            "Services",
            "Services",
            "How now",
            "",
            "",
            "",
            "table-list",
        ],
        &[
            "select_one better",
            "screening",
            "Screening",
            "Dépistage",
            "",
            "yes",
        ],
        &[
            "select_one better",
            "treatment",
            "Treatment",
            "Traitement",
            "",
            "yes",
        ],
        &["end_group"],
        &["text", "V3", "More", "Plus", "", "", "", "", "multiline"],
        &["decimal", "V4", "Share", "Part", "", "", "", ". <= 1"],
        &[
            "date",
            "V5",
            "When",
            "Quand",
            "",
            "",
            "(${V1} > 2 and ${B2} < 10) or selected(${B3}, 'staff')",
        ],
        &["end_group"],
    ];
    let choices: &[&[&str]] = &[
        &[
            "list_name",
            "name",
            "label::English (en)",
            "label::Français (fr)",
        ],
        &["yn", "yes", "Yes", "Oui"],
        &["yn", "no", "No", "Non"],
        &["short", "drugs", "Medicines", "Médicaments"],
        &["short", "staff", "Staff", "Personnel"],
        &["agree", "1", "Disagree", "Pas d’accord"],
        &["agree", "2", "Neutral", "Neutre"],
        &["agree", "3", "Agree", "D’accord"],
        &["better", "worse", "Worse", "Pire"],
        &["better", "same", "Same", "Pareil"],
    ];
    let settings: &[&[&str]] = &[
        &[
            "form_title",
            "form_title::Français (fr)",
            "form_id",
            "default_language",
        ],
        &["Workforce", "Personnel", "wf", "English (en)"],
    ];
    let imported = import(&book(vec![
        sheet("survey", survey),
        sheet("choices", choices),
        sheet("settings", settings),
    ]));
    let d = &imported.definition;
    assert_eq!(imported.title, "Workforce");
    assert_eq!(d.title, en_fr("Workforce", "Personnel"));
    assert_eq!(
        (d.default_language.as_str(), d.languages.clone()),
        ("en", vec!["en".to_string(), "fr".into()])
    );
    assert_eq!(d.intro, en_fr("Welcome", "Bienvenue"));
    // The question outside any group has a section of its own, coded after the groups'.
    let codes: Vec<&str> = d.sections.iter().map(|s| s.code.as_str()).collect();
    assert_eq!(codes, ["S3", "S1", "S2"]);
    assert!(d.sections[0].title.is_empty());
    assert_eq!(d.sections[1].title, en_fr("Backlog", "Retards"));
    assert_eq!(d.sections[2].intro, en_fr("Tell us", "Dites-nous"));
    assert_eq!(d.sections[2].show_if, Some(cmp("B1", Op::NotEquals, "no")));

    let q = |code: &str| d.question(code).expect(code);
    assert_eq!(q("org").kind, Kind::ShortText);
    assert!(q("org").required);
    assert_eq!(q("org").help, Text::new("en", "Full name"));
    assert!(
        matches!(&q("B1").kind, Kind::Single { choices } if choices.len() == 2 && choices[0].label == en_fr("Yes", "Oui"))
    );
    assert!(q("B1").required);
    assert_eq!(
        q("B2").kind,
        Kind::Number {
            min: Some(0.0),
            max: Some(60.0),
            integer: true
        }
    );
    assert_eq!(q("B2").show_if, Some(cmp("B1", Op::Equals, "yes")));
    assert!(matches!(&q("B3").kind, Kind::Multiple { other: true, choices } if choices.len() == 2));
    assert_eq!(
        q("B3").show_if,
        Some(Condition::Any(vec![
            cmp("B1", Op::Includes, "yes"),
            Condition::Any(vec![
                cmp("B2", Op::Greater, "3"),
                cmp("B2", Op::Equals, "3")
            ]),
        ]))
    );
    assert!(
        matches!(&q("V1").kind, Kind::Likert { scale } if scale.len() == 3 && scale[2] == en_fr("Agree", "D’accord"))
    );
    match &q("V2").kind {
        Kind::Matrix { rows, scale } => {
            assert_eq!(
                rows.iter().map(|r| r.code.as_str()).collect::<Vec<_>>(),
                ["screening", "treatment"]
            );
            assert_eq!(rows[0].label, en_fr("Screening", "Dépistage"));
            assert_eq!(scale.len(), 2);
        }
        other => panic!("{other:?}"),
    }
    assert!(q("V2").required);
    assert_eq!(q("V2").text, en_fr("Services", "Services"));
    assert_eq!(q("V2").help, Text::new("en", "How now"));
    assert_eq!(q("V3").kind, Kind::LongText);
    assert_eq!(
        q("V4").kind,
        Kind::Number {
            min: None,
            max: Some(1.0),
            integer: false
        }
    );
    assert_eq!(q("V5").kind, Kind::Date);
    assert_eq!(
        q("V5").show_if,
        Some(Condition::Any(vec![
            Condition::All(vec![cmp("V1", Op::Greater, "2"), cmp("B2", Op::Less, "10")]),
            cmp("B3", Op::Includes, "staff"),
        ]))
    );
    // The metadata row is left out, and said so.
    assert_eq!(
        said(&imported.notices),
        ["sheet \"survey\", cell A2 (row 2, column A): “start” records data about the interview, not an answer: it is left out."]
    );
    assert!(d.problems().is_empty(), "{:?}", d.problems());
}

#[test]
fn untranslated_columns_take_the_settings_default_language_or_the_readers() {
    let wb = form(&["hint"], &[&["text", "q1", "Name?", "Your name"]]);
    let d = import(&wb).definition;
    assert_eq!(d.languages, ["en"]);
    assert_eq!(
        d.question("q1").map(|q| q.help.clone()),
        Some(Text::new("en", "Your name"))
    );

    // No default language in the settings: the reader's, said in a notice.
    let mut wb = form(&[], &[&["text", "q1", "Nom ?"]]);
    wb.sheets[2] = sheet("settings", &[&["form_title"], &["Essai"]]);
    let imported = from_workbook(&wb, Locale::fr).expect("imported");
    assert_eq!(imported.definition.default_language, "fr");
    assert_eq!(imported.definition.title, Text::new("fr", "Essai"));
    assert_eq!(imported.notices.len(), 1, "{:?}", imported.notices);
    assert!(
        imported.notices[0].message.contains("Français"),
        "{:?}",
        imported.notices
    );
}

#[test]
fn likert_choices_named_otherwise_are_renumbered_and_conditions_follow() {
    let wb = book(vec![
        sheet(
            "survey",
            &[
                &["type", "name", "label", "appearance", "relevant"],
                &["select_one ag", "a", "Agree?", "likert"],
                &["text", "why", "Why?", "", "${a} = 'sa'"],
            ],
        ),
        sheet(
            "choices",
            &[
                &["list_name", "name", "label"],
                &["ag", "sd", "Strongly disagree"],
                &["ag", "d", "Disagree"],
                &["ag", "sa", "Strongly agree"],
            ],
        ),
        sheet("settings", SETTINGS),
    ]);
    let imported = import(&wb);
    assert_eq!(
        imported
            .definition
            .question("why")
            .and_then(|q| q.show_if.clone()),
        Some(cmp("a", Op::Equals, "3"))
    );
    assert_eq!(imported.notices.len(), 1);
    assert!(imported.notices[0].message.contains("1 to 3"));
}

#[test]
fn equals_on_a_multiple_choice_is_imported_as_includes_with_a_notice() {
    let wb = form(
        &["relevant"],
        &[
            &["select_multiple yn", "m", "Which?"],
            &["text", "t", "More?", "${m} = 'yes'"],
        ],
    );
    let imported = import(&wb);
    assert_eq!(
        said(&imported.notices),
        ["sheet \"survey\", cell D3 (row 3, column D): ${m} is a select_multiple: “=” is read as “includes” and “!=” as “does not include”."]
    );
}

#[test]
fn a_note_after_questions_joins_the_section_introduction() {
    let wb = form(
        &[],
        &[
            &["begin_group", "S1", "One"],
            &["note", "n1", "First."],
            &["text", "q1", "Q?"],
            &["note", "n2", "Second."],
            &["end_group"],
        ],
    );
    let imported = import(&wb);
    assert_eq!(
        imported.definition.sections[0].intro,
        Text::new("en", "First.\n\nSecond.")
    );
    assert_eq!(imported.notices.len(), 1);
    assert_eq!(imported.notices[0].place, Some(Place::cell("survey", 5, 0)));
}

#[test]
fn every_unsupported_type_is_refused_on_its_row_and_all_are_reported() {
    let wb = form(
        &[],
        &[
            &["text", "ok", "Fine"],
            &["begin_repeat", "r", "Repeat"],
            &["end_repeat"],
            &["calculate", "c", ""],
            &["geopoint", "g", "Where?"],
            &["image", "i", "Photo"],
            &["barcode", "b", "Scan"],
            &["select_one_from_file places.csv", "f", "Place"],
            &["rank yn", "rk", "Rank"],
            &["range", "rg", "Slide"],
            &["acknowledge", "ack", "OK?"],
            &["hidden", "h", ""],
            &["time", "tm", "When?"],
            &["teleport", "tp", "Go"],
        ],
    );
    let problems = refused(&wb);
    let rows: Vec<Option<u32>> = problems
        .iter()
        .map(|p| p.place.as_ref().and_then(|p| p.row))
        .collect();
    assert_eq!(
        rows,
        [3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]
            .map(Some)
            .to_vec()
    );
    assert!(problems
        .iter()
        .all(|p| p.place.as_ref().and_then(|p| p.column) == Some(0)));
    let said = said(&problems);
    assert_eq!(said[0], "sheet \"survey\", cell A3 (row 3, column A): “begin_repeat” cannot be imported: surveys have no repeated groups.");
    assert!(said[1].ends_with("“calculate” cannot be imported: surveys do not compute values."));
    assert!(said[2].contains("do not record locations"));
    assert!(said[3].contains("photos"));
    assert!(said[4].contains("barcodes"));
    assert!(said[5].contains("external file"));
    assert!(said[6].contains("ranking"));
    assert!(said[7].contains("sliders"));
    assert!(said[8].contains("acknowledgement"));
    assert!(said[9].contains("hidden values"));
    assert!(said[10].contains("not times"));
    assert!(said[11].contains("not known"));
}

/// The one problem of `wb`, as text.
fn one_problem(wb: &Workbook) -> String {
    let problems = refused(wb);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    problems[0].to_string()
}

#[test]
fn names_must_be_codes_given_once_and_rows_need_labels() {
    assert_eq!(
        one_problem(&form(&[], &[&["text", "q1", "A"], &["integer", "q1", "B"]])),
        "sheet \"survey\", cell B3 (row 3, column B): The name “q1” is already used in row 2."
    );
    assert_eq!(
        one_problem(&form(&[], &[&["text", "my question", "A"], &["text", "ok", "B"]])),
        "sheet \"survey\", cell B2 (row 2, column B): The name “my question” is not valid: use 1 to 32 letters, digits, - or _, starting with a letter or a digit."
    );
    assert_eq!(
        one_problem(&form(&[], &[&["text", "q1", ""]])),
        "sheet \"survey\", cell C2 (row 2, column C): This row has no label."
    );
    assert_eq!(
        one_problem(&form(&[], &[&["text", "", "A"], &["text", "ok", "B"]])),
        "sheet \"survey\", cell B2 (row 2, column B): This row has no name."
    );
    assert_eq!(
        one_problem(&form(&[], &[&["", "q1", "A"], &["text", "ok", "B"]])),
        "sheet \"survey\", cell A2 (row 2, column A): This row has no type."
    );
}

#[test]
fn lists_must_exist_and_selects_need_one() {
    assert_eq!(
        one_problem(&form(&[], &[&["select_one colours", "q1", "Colour?"], &["text", "ok", "B"]])),
        "sheet \"survey\", cell A2 (row 2, column A): There is no list “colours” in the choices sheet."
    );
    assert_eq!(
        one_problem(&form(&[], &[&["select_one", "q1", "Colour?"], &["text", "ok", "B"]])),
        "sheet \"survey\", cell A2 (row 2, column A): “select_one” needs the name of a choice list after it, for example select_one yes_no."
    );
    assert_eq!(
        one_problem(&form(&[], &[&["select_one yn or_other", "q1", "Yes?"]])),
        "sheet \"survey\", cell A2 (row 2, column A): or_other can be imported only with select_multiple: a survey’s “Other, please specify” belongs to multiple choices."
    );
    let mut wb = form(
        &[],
        &[&["select_one yn", "q1", "Yes?"], &["text", "ok", "B"]],
    );
    wb.sheets.remove(1);
    assert_eq!(
        one_problem(&wb),
        "sheet \"choices\": The workbook has no sheet named “choices”, but the survey uses select questions."
    );
    let mut wb = form(&[], &[&["select_one yn", "q1", "Yes?"]]);
    wb.sheets[1] = sheet(
        "choices",
        &[
            &["list_name", "name", "label"],
            &["yn", "yes", "Yes"],
            &["yn", "yes", "Oui"],
            &["yn", "no", ""],
        ],
    );
    assert_eq!(
        said(&refused(&wb)),
        [
            "sheet \"choices\", cell B3 (row 3, column B): The choice “yes” is already in the list “yn” (row 2).",
            "sheet \"choices\", cell C4 (row 4, column C): This row has no label.",
        ]
    );
}

#[test]
fn choice_filters_and_other_constraints_are_refused() {
    assert_eq!(
        one_problem(&form(&["choice_filter"], &[&["select_one yn", "q1", "Yes?", "country = 'IT'"]])),
        "sheet \"survey\", cell D2 (row 2, column D): Choice filters cannot be imported: every choice of a survey question is always offered."
    );
    assert_eq!(
        one_problem(&form(&["constraint"], &[&["integer", "q1", "How many?", ". > 0"]])),
        "sheet \"survey\", cell D2 (row 2, column D): Only bounds can be imported as a constraint, for example . >= 0 and . <= 100."
    );
    assert_eq!(
        one_problem(&form(
            &["constraint"],
            &[&["integer", "q1", "How many?", ". >= 9 and . <= 1"]]
        )),
        "sheet \"survey\", cell D2 (row 2, column D): The minimum is above the maximum."
    );
    assert_eq!(
        one_problem(&form(&["constraint"], &[&["text", "q1", "Code?", "regex(., '^[A-Z]+$')"]])),
        "sheet \"survey\", cell D2 (row 2, column D): A constraint can be imported only on integer and decimal questions (as bounds)."
    );
}

#[test]
fn conditions_surveys_cannot_express_are_refused_with_the_reason() {
    let relevant = |expr: &str| {
        one_problem(&form(
            &["relevant"],
            &[
                &["select_one yn", "q1", "Yes?"],
                &["text", "q2", "Why?", expr],
                &["text", "q3", "Later"],
            ],
        ))
    };
    let at = "sheet \"survey\", cell D3 (row 3, column D): ";
    assert_eq!(
        relevant("${q1} != ''"),
        format!("{at}The condition cannot be imported: whether ${{q1}} was answered (= '' or != '') cannot be tested.")
    );
    assert_eq!(
        relevant("${q3} = 'x'"),
        format!("{at}The condition cannot be imported: ${{q3}} is not an earlier question.")
    );
    assert_eq!(
        relevant("count-selected(${q1}) > 0"),
        format!(
            "{at}The condition cannot be imported: the function count-selected() is not supported."
        )
    );
    assert_eq!(
        relevant("${q1} = 'yes' and"),
        format!("{at}The condition cannot be read: it ends too early.")
    );
    assert_eq!(
        relevant("${q1} = 'maybe'"),
        format!("{at}The condition cannot be imported: “maybe” is not a choice of ${{q1}}.")
    );
}

#[test]
fn groups_must_open_and_close_once_and_not_nest() {
    assert_eq!(
        one_problem(&form(&[], &[&["begin_group", "S1", "One"], &["text", "q1", "A"]])),
        "sheet \"survey\", cell A2 (row 2, column A): This group is never closed: add an end_group row after its questions."
    );
    assert_eq!(
        one_problem(&form(&[], &[&["text", "q1", "A"], &["end_group"]])),
        "sheet \"survey\", cell A3 (row 3, column A): “end_group” closes a group that was not opened here."
    );
    assert_eq!(
        one_problem(&form(
            &[],
            &[
                &["begin_group", "S1", "One"],
                &["begin_group", "S2", "Two"],
                &["text", "q1", "A"],
                &["end_group"],
                &["end_group"],
            ]
        )),
        "sheet \"survey\", cell A3 (row 3, column A): A group inside a group cannot be imported: surveys have one level of sections (only a table-list group may stand inside a section)."
    );
    assert_eq!(
        one_problem(&form(
            &["appearance"],
            &[
                &["begin_group", "t", "Table", "table-list"],
                &["select_one yn", "r1", "Row 1"],
                &["text", "r2", "Row 2"],
                &["end_group"],
            ]
        )),
        "sheet \"survey\", cell A4 (row 4, column A): A table-list group can hold only select_one questions of one choice list."
    );
}

#[test]
fn the_sheets_and_columns_an_xlsform_needs_are_named_when_missing() {
    let problems = refused(&book(vec![sheet("Sheet1", &[&["type"]])]));
    assert_eq!(
        said(&problems),
        ["sheet \"survey\": The workbook has no sheet named “survey”: an XLSForm needs one."]
    );
    let problems = refused(&book(vec![sheet(
        "survey",
        &[&["type", "label"], &["text", "A"]],
    )]));
    assert_eq!(
        said(&problems),
        ["sheet \"survey\", row 1: The column “name” is missing."]
    );
    let mut wb = form(&[], &[&["text", "q1", "A"]]);
    wb.sheets.remove(2);
    assert_eq!(
        one_problem(&wb),
        "sheet \"settings\": The form has no title: fill in form_title in the settings sheet."
    );
    let wb = book(vec![
        sheet(
            "survey",
            &[
                &["type", "name", "label", "label::Klingon"],
                &["text", "q1", "A"],
            ],
        ),
        sheet("settings", SETTINGS),
    ]);
    assert_eq!(
        one_problem(&wb),
        "sheet \"survey\", cell D1 (row 1, column D): “label::Klingon”: the language is not known. Write it as Language (code), for example label::Français (fr)."
    );
}

#[test]
fn messages_are_in_the_readers_language() {
    let wb = form(&[], &[&["calculate", "c", ""]]);
    let fr = from_workbook(&wb, Locale::fr).expect_err("refused");
    assert_eq!(
        fr[0].message,
        "« calculate » ne peut pas être importé : les enquêtes ne calculent pas de valeurs."
    );
    let de = from_workbook(&wb, Locale::de).expect_err("refused");
    assert_eq!(
        de[0].message,
        "„calculate“ kann nicht importiert werden: Umfragen berechnen keine Werte."
    );
}

/// A survey using everything the definition can hold, in three languages.
fn everything() -> crate::surveys::model::Definition {
    use crate::surveys::model::{Choice, Question, Section};
    let mut d = crate::demo::surveys::closed_survey();
    d.sections[0].intro = en_fr("About the backlog.", "À propos des retards.");
    d.sections[1].show_if = Some(cmp("B1", Op::NotEquals, "no"));
    let w1 = d.question_mut("W1").expect("W1");
    w1.help = en_fr("Tick all that apply", "Cochez tout ce qui s’applique");
    w1.hidden = true;
    d.sections.push(Section {
        code: "S3".into(),
        title: Text::default(),
        intro: Text::default(),
        show_if: None,
        questions: vec![
            Question {
                code: "D1".into(),
                kind: Kind::Date,
                text: Text::new("en", "=Since when?"),
                help: Text::default(),
                required: false,
                hidden: false,
                show_if: Some(Condition::All(vec![
                    cmp("B1", Op::Equals, "yes"),
                    Condition::Any(vec![
                        cmp("B2", Op::Greater, "12"),
                        cmp("B2", Op::Equals, "12"),
                    ]),
                    cmp("W1", Op::Includes, "staff"),
                    cmp("W1", Op::NotEquals, "drugs"),
                ])),
            },
            Question {
                code: "D2".into(),
                kind: Kind::Number {
                    min: Some(-1.5),
                    max: None,
                    integer: false,
                },
                text: Text::new("en", "Change?"),
                help: Text::default(),
                required: true,
                hidden: false,
                show_if: Some(Condition::Any(vec![
                    cmp("D1", Op::Less, "2026-01-01"),
                    cmp("W2", Op::Greater, "3"),
                ])),
            },
            Question {
                code: "D3".into(),
                kind: Kind::Single {
                    choices: vec![
                        Choice {
                            code: "1".into(),
                            label: Text::new("en", "One"),
                        },
                        Choice {
                            code: "2".into(),
                            label: Text::new("en", "Two"),
                        },
                    ],
                },
                text: Text::new("en", "Which?"),
                help: Text::default(),
                required: false,
                hidden: false,
                show_if: Some(cmp("W3", Op::NotEquals, "it's")),
            },
        ],
    });
    d
}

#[test]
fn exporting_then_importing_gives_the_same_survey() {
    for def in [
        crate::demo::surveys::closed_survey(),
        crate::demo::surveys::open_survey(),
        everything(),
    ] {
        assert!(def.problems().is_empty(), "{:?}", def.problems());
        let wb = to_workbook(&def, "survey_1").expect("written");
        let imported = import(&wb);
        assert_eq!(imported.definition, def);
        assert!(imported.notices.is_empty(), "{:?}", imported.notices);
    }
}

/// An XLSX file read back the way the reader will: calamine's cells as grid cells.
#[cfg(feature = "ssr")]
fn read_xlsx(bytes: Vec<u8>) -> Workbook {
    use calamine::{Data, Reader};
    let mut x = calamine::Xlsx::new(std::io::Cursor::new(bytes)).expect("an XLSX file");
    let names = x.sheet_names();
    let sheets = names
        .iter()
        .map(|name| {
            let range = x.worksheet_range(name).expect("a sheet");
            let (r0, c0) = range.start().unwrap_or((0, 0));
            let mut rows = vec![Vec::new(); r0 as usize];
            for row in range.rows() {
                let mut cells = vec![Cell::Empty; c0 as usize];
                cells.extend(row.iter().map(|d| match d {
                    Data::String(s) => Cell::Text(s.clone()),
                    Data::Float(f) => Cell::Number(*f),
                    Data::Int(i) => Cell::Number(*i as f64),
                    Data::Bool(b) => Cell::Bool(*b),
                    Data::Empty => Cell::Empty,
                    other => Cell::Text(other.to_string()),
                }));
                rows.push(cells);
            }
            Sheet {
                name: name.clone(),
                rows,
                ..Sheet::default()
            }
        })
        .collect();
    Workbook {
        format: Format::Xlsx,
        sheets,
    }
}

#[cfg(feature = "ssr")]
#[test]
fn the_xlsx_file_reads_back_as_the_same_survey() {
    let def = everything();
    let bytes = super::export::to_xlsx(&def, "survey_7", Locale::en).expect("an XLSX file");
    let wb = read_xlsx(bytes);
    assert_eq!(
        wb.sheets
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>(),
        ["survey", "choices", "settings"]
    );
    assert_eq!(import(&wb).definition, def);
}

#[cfg(feature = "ssr")]
#[test]
fn a_value_with_both_quotes_cannot_be_exported() {
    let mut def = everything();
    if let Some(q) = def.question_mut("D3") {
        q.show_if = Some(cmp("W3", Op::Equals, "it's \"x\""));
    }
    let e = super::export::to_xlsx(&def, "s", Locale::en).expect_err("refused");
    assert!(e
        .message(Locale::en)
        .contains("both kinds of quotation mark"));
}
