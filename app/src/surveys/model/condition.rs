//! When a question or section is shown: a small typed expression over earlier answers — one
//! comparison, or comparisons joined by "and" / "or" — stored as data and evaluated here,
//! never as code. The same evaluation runs on the server (moving between sections without
//! JavaScript) and in the browser (the answering island shows and hides questions at once).

use serde::{Deserialize, Serialize};

/// How an answer is compared with the condition's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Op {
    /// The answer is the value (a choice's code, a number, a text).
    Equals,
    /// The answer is not the value (also true when the question was not answered).
    NotEquals,
    /// A multiple-choice answer includes the choice.
    Includes,
    /// A number (or date) answer is greater than the value.
    Greater,
    /// A number (or date) answer is less than the value.
    Less,
}

impl Op {
    pub const ALL: [Op; 5] = [
        Op::Equals,
        Op::NotEquals,
        Op::Includes,
        Op::Greater,
        Op::Less,
    ];

    /// The stored and posted form.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Equals => "equals",
            Op::NotEquals => "not-equals",
            Op::Includes => "includes",
            Op::Greater => "greater",
            Op::Less => "less",
        }
    }

    pub fn parse(s: &str) -> Option<Op> {
        Op::ALL.into_iter().find(|op| op.as_str() == s)
    }
}

/// One comparison: `question` `op` `value`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// The code of an earlier question.
    pub question: String,
    pub op: Op,
    /// A choice code, a number or a text, as the question's kind wants.
    pub value: String,
}

/// A condition: one comparison, or several joined by "and" or "or" (which may nest).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Condition {
    Compare(Comparison),
    All(Vec<Condition>),
    Any(Vec<Condition>),
}

/// An answer as conditions see it: one value, or the chosen codes of a multiple choice.
#[derive(Debug, Clone, PartialEq)]
pub enum Seen<'a> {
    One(&'a str),
    Many(Vec<&'a str>),
}

impl Condition {
    /// Does the condition hold? `answer(code)` gives the answer to a question, or `None` when
    /// it was not answered or is not shown (an answer to a hidden question never counts).
    pub fn holds<'a>(&self, answer: &impl Fn(&str) -> Option<Seen<'a>>) -> bool {
        match self {
            Condition::Compare(c) => c.holds(answer(&c.question)),
            Condition::All(all) => all.iter().all(|c| c.holds(answer)),
            Condition::Any(any) => any.iter().any(|c| c.holds(answer)),
        }
    }

    /// Every question the condition reads.
    pub fn questions(&self) -> Vec<&str> {
        match self {
            Condition::Compare(c) => vec![c.question.as_str()],
            Condition::All(list) | Condition::Any(list) => {
                list.iter().flat_map(|c| c.questions()).collect()
            }
        }
    }

    /// The comparisons, in order, with the joiner the builder's form shows ("all" when there
    /// is one): the builder edits a flat list joined by one "and" or "or".
    pub fn flat(&self) -> (bool, Vec<&Comparison>) {
        fn collect<'c>(c: &'c Condition, out: &mut Vec<&'c Comparison>) {
            match c {
                Condition::Compare(c) => out.push(c),
                Condition::All(l) | Condition::Any(l) => l.iter().for_each(|c| collect(c, out)),
            }
        }
        let mut out = Vec::new();
        collect(self, &mut out);
        (!matches!(self, Condition::Any(_)), out)
    }

    /// Comparisons joined by "and" (`all`) or "or"; one comparison stays itself.
    pub fn join(all: bool, mut list: Vec<Comparison>) -> Option<Condition> {
        match list.len() {
            0 => None,
            1 => list.pop().map(Condition::Compare),
            _ => {
                let list = list.into_iter().map(Condition::Compare).collect();
                Some(if all {
                    Condition::All(list)
                } else {
                    Condition::Any(list)
                })
            }
        }
    }
}

fn number(s: &str) -> Option<f64> {
    s.trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite())
}

/// Equal as numbers when both are numbers ("3" and "3.0"), otherwise as trimmed text.
fn same(a: &str, b: &str) -> bool {
    match (number(a), number(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a.trim() == b.trim(),
    }
}

/// `a` compared with `b`: as numbers when both are, otherwise as text (dates `YYYY-MM-DD`
/// sort as text).
fn order(a: &str, b: &str) -> Option<std::cmp::Ordering> {
    match (number(a), number(b)) {
        (Some(x), Some(y)) => x.partial_cmp(&y),
        (None, None) if !a.trim().is_empty() => Some(a.trim().cmp(b.trim())),
        _ => None,
    }
}

impl Comparison {
    fn holds(&self, answer: Option<Seen<'_>>) -> bool {
        use std::cmp::Ordering;
        let v = self.value.as_str();
        match (self.op, answer) {
            (Op::NotEquals, None) => true,
            (_, None) => false,
            (Op::Equals, Some(Seen::One(a))) => same(a, v),
            (Op::NotEquals, Some(Seen::One(a))) => !same(a, v),
            (Op::Includes, Some(Seen::One(a))) => same(a, v),
            (Op::Equals | Op::Includes, Some(Seen::Many(list))) => list.iter().any(|a| same(a, v)),
            (Op::NotEquals, Some(Seen::Many(list))) => !list.iter().any(|a| same(a, v)),
            (Op::Greater, Some(Seen::One(a))) => order(a, v) == Some(Ordering::Greater),
            (Op::Less, Some(Seen::One(a))) => order(a, v) == Some(Ordering::Less),
            (Op::Greater | Op::Less, Some(Seen::Many(_))) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(q: &str, op: Op, v: &str) -> Condition {
        Condition::Compare(Comparison {
            question: q.into(),
            op,
            value: v.into(),
        })
    }

    fn answers<'a>(list: &'a [(&'a str, Seen<'a>)]) -> impl Fn(&str) -> Option<Seen<'a>> + 'a {
        move |code| {
            list.iter()
                .find(|(c, _)| *c == code)
                .map(|(_, s)| s.clone())
        }
    }

    #[test]
    fn equals_compares_choice_codes_and_numbers_by_value() {
        let a = [("q1", Seen::One("yes")), ("q2", Seen::One("3.0"))];
        assert!(cmp("q1", Op::Equals, "yes").holds(&answers(&a)));
        assert!(!cmp("q1", Op::Equals, "no").holds(&answers(&a)));
        assert!(cmp("q2", Op::Equals, "3").holds(&answers(&a)));
        assert!(cmp("q1", Op::NotEquals, "no").holds(&answers(&a)));
    }

    #[test]
    fn an_unanswered_question_satisfies_only_not_equals() {
        let none: [(&str, Seen); 0] = [];
        assert!(!cmp("q1", Op::Equals, "yes").holds(&answers(&none)));
        assert!(cmp("q1", Op::NotEquals, "yes").holds(&answers(&none)));
        assert!(!cmp("q1", Op::Includes, "a").holds(&answers(&none)));
        assert!(!cmp("q1", Op::Greater, "1").holds(&answers(&none)));
        assert!(!cmp("q1", Op::Less, "1").holds(&answers(&none)));
    }

    #[test]
    fn includes_looks_inside_a_multiple_choice_answer() {
        let a = [("q", Seen::Many(vec!["a", "c"]))];
        assert!(cmp("q", Op::Includes, "c").holds(&answers(&a)));
        assert!(!cmp("q", Op::Includes, "b").holds(&answers(&a)));
        assert!(cmp("q", Op::NotEquals, "b").holds(&answers(&a)));
        assert!(!cmp("q", Op::Greater, "1").holds(&answers(&a)));
    }

    #[test]
    fn greater_and_less_compare_numbers_not_text() {
        let a = [("n", Seen::One("10")), ("d", Seen::One("2026-03-01"))];
        assert!(cmp("n", Op::Greater, "9").holds(&answers(&a)));
        assert!(!cmp("n", Op::Less, "9").holds(&answers(&a)));
        assert!(cmp("n", Op::Less, "10,5").holds(&answers(&a)));
        assert!(cmp("d", Op::Greater, "2026-01-31").holds(&answers(&a)));
    }

    #[test]
    fn and_needs_every_comparison_or_needs_one() {
        let a = [("q1", Seen::One("yes")), ("q2", Seen::One("5"))];
        let both = Condition::join(
            true,
            vec![
                Comparison {
                    question: "q1".into(),
                    op: Op::Equals,
                    value: "yes".into(),
                },
                Comparison {
                    question: "q2".into(),
                    op: Op::Greater,
                    value: "7".into(),
                },
            ],
        )
        .unwrap();
        assert!(!both.holds(&answers(&a)));
        let (all, list) = both.flat();
        assert!(all);
        let either = Condition::join(false, list.into_iter().cloned().collect()).unwrap();
        assert!(either.holds(&answers(&a)));
        assert_eq!(either.questions(), vec!["q1", "q2"]);
    }

    #[test]
    fn a_condition_is_stored_as_data() {
        let c = cmp("q1", Op::Includes, "x");
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(
            json,
            r#"{"compare":{"question":"q1","op":"includes","value":"x"}}"#
        );
        assert_eq!(serde_json::from_str::<Condition>(&json).unwrap(), c);
    }
}
