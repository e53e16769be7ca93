//! XLSForm's expressions, the part of them surveys can hold: `relevant` read into a
//! [`Condition`] (comparisons of an earlier question with a value, `selected(…)`, `and`, `or`,
//! parentheses) and `constraint` read into number bounds (`. >= a and . <= b`); and the way
//! back, a condition written as a `relevant` expression.
//!
//! A small recursive-descent parser over XPath's tokens: anything else (other functions,
//! arithmetic, comparing two questions) is an error naming what and where, never guessed at.

use std::fmt::Write as _;

use crate::surveys::model::answers::parse_date;
use crate::surveys::model::{Comparison, Condition, Kind, Op};

/// What went wrong, with the character (from 1) where it did when that helps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExprError {
    /// A character or word that cannot stand there.
    Unexpected {
        at: usize,
        found: String,
    },
    /// The expression stops before it is complete.
    End,
    /// A text opened with a quote at `at` is never closed.
    UnclosedString {
        at: usize,
    },
    UnknownFunction {
        at: usize,
        name: String,
    },
    /// A comparison without a `${question}` on one side and a value on the other.
    NotComparison {
        at: usize,
    },
    /// `not(…)` around something else than `selected(…)`, `=` or `!=`.
    Negation,
    /// `${name}` is not an earlier question.
    UnknownQuestion(String),
    NotAChoice {
        question: String,
        value: String,
    },
    NotANumber {
        question: String,
        value: String,
    },
    NotADate {
        question: String,
        value: String,
    },
    /// The comparison `op` does not fit the question's kind.
    OpNotForKind {
        question: String,
        op: &'static str,
    },
    /// `= ''` or `!= ''`: whether a question was answered, which conditions cannot test.
    AnsweredTest {
        question: String,
    },
    /// Conditions cannot read a matrix.
    Matrix {
        question: String,
    },
    /// A constraint other than bounds.
    NotBounds,
    /// Parentheses (or `not(…)`) nested deeper than [`MAX_DEPTH`].
    TooDeep,
}

/// How deep parentheses may nest: far beyond any real form, and a file cannot make the
/// parser (or, later, a condition's evaluation) recurse without end.
pub const MAX_DEPTH: usize = 32;

/// A comparison operator as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawOp {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

impl RawOp {
    pub fn as_str(self) -> &'static str {
        match self {
            RawOp::Eq => "=",
            RawOp::Ne => "!=",
            RawOp::Gt => ">",
            RawOp::Ge => ">=",
            RawOp::Lt => "<",
            RawOp::Le => "<=",
        }
    }

    /// `a op b` is `b flipped a`.
    fn flipped(self) -> Self {
        match self {
            RawOp::Gt => RawOp::Lt,
            RawOp::Ge => RawOp::Le,
            RawOp::Lt => RawOp::Gt,
            RawOp::Le => RawOp::Ge,
            same => same,
        }
    }
}

/// One side of a comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operand {
    /// `${name}`.
    Ref(String),
    /// `.`: the question's own answer (constraints).
    Dot,
    /// `'text'` or `"text"`.
    Str(String),
    /// A number as written.
    Num(String),
    /// `date('YYYY-MM-DD')`.
    Date(String),
}

impl Operand {
    fn is_value(&self) -> bool {
        matches!(self, Operand::Str(_) | Operand::Num(_) | Operand::Date(_))
    }

    fn value(&self) -> &str {
        match self {
            Operand::Str(s) | Operand::Num(s) | Operand::Date(s) | Operand::Ref(s) => s,
            Operand::Dot => ".",
        }
    }
}

/// An expression as read, before it is checked against the survey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// A comparison; `at` is where its left side starts.
    Cmp {
        left: Operand,
        op: RawOp,
        right: Operand,
        at: usize,
    },
    /// `selected(${q}, 'v')`.
    Selected {
        question: Operand,
        value: Operand,
        at: usize,
    },
    Not(Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Operand(Operand),
    Op(RawOp),
    Open,
    Close,
    Comma,
    Word(String),
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Operand(Operand::Ref(r)) => format!("${{{r}}}"),
        Tok::Operand(Operand::Dot) => ".".into(),
        Tok::Operand(Operand::Str(s)) => format!("'{s}'"),
        Tok::Operand(Operand::Num(n)) => n.clone(),
        Tok::Operand(Operand::Date(d)) => format!("date('{d}')"),
        Tok::Op(op) => op.as_str().into(),
        Tok::Open => "(".into(),
        Tok::Close => ")".into(),
        Tok::Comma => ",".into(),
        Tok::Word(w) => w.clone(),
    }
}

/// The tokens with the character (from 1) each starts at.
fn lex(src: &str) -> Result<Vec<(Tok, usize)>, ExprError> {
    let chars: Vec<char> = src.chars().collect();
    let mut out: Vec<(Tok, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let at = i + 1;
        // A minus sign is part of a number where a value may start (not after a value).
        let value_may_start = !matches!(
            out.last(),
            Some((Tok::Operand(_) | Tok::Close | Tok::Word(_), _))
        );
        match c {
            c if c.is_whitespace() => i += 1,
            '$' if chars.get(i + 1) == Some(&'{') => {
                let end =
                    chars[i + 2..]
                        .iter()
                        .position(|&c| c == '}')
                        .ok_or(ExprError::Unexpected {
                            at,
                            found: "${".into(),
                        })?;
                let name: String = chars[i + 2..i + 2 + end].iter().collect();
                out.push((Tok::Operand(Operand::Ref(name.trim().to_string())), at));
                i += end + 3;
            }
            '\'' | '"' => {
                let end = chars[i + 1..]
                    .iter()
                    .position(|&q| q == c)
                    .ok_or(ExprError::UnclosedString { at })?;
                let text: String = chars[i + 1..i + 1 + end].iter().collect();
                out.push((Tok::Operand(Operand::Str(text)), at));
                i += end + 2;
            }
            c if c.is_ascii_digit()
                || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
                || (c == '-'
                    && value_may_start
                    && chars
                        .get(i + 1)
                        .is_some_and(|n| n.is_ascii_digit() || *n == '.')) =>
            {
                let start = i;
                i += 1;
                while chars
                    .get(i)
                    .is_some_and(|c| c.is_ascii_digit() || *c == '.')
                {
                    i += 1;
                }
                let text: String = chars[start..i].iter().collect();
                if text.parse::<f64>().is_err() {
                    return Err(ExprError::Unexpected { at, found: text });
                }
                out.push((Tok::Operand(Operand::Num(text)), at));
            }
            '.' => {
                out.push((Tok::Operand(Operand::Dot), at));
                i += 1;
            }
            '(' | ')' | ',' => {
                out.push((
                    match c {
                        '(' => Tok::Open,
                        ')' => Tok::Close,
                        _ => Tok::Comma,
                    },
                    at,
                ));
                i += 1;
            }
            '=' | '!' | '<' | '>' => {
                let next_eq = chars.get(i + 1) == Some(&'=');
                let op = match (c, next_eq) {
                    ('=', _) => RawOp::Eq,
                    ('!', true) => RawOp::Ne,
                    ('<', true) => RawOp::Le,
                    ('<', false) => RawOp::Lt,
                    ('>', true) => RawOp::Ge,
                    ('>', false) => RawOp::Gt,
                    _ => {
                        return Err(ExprError::Unexpected {
                            at,
                            found: c.to_string(),
                        })
                    }
                };
                i += if c != '=' && next_eq { 2 } else { 1 };
                // `==` is not XPath: the second `=` is reported where it stands.
                out.push((Tok::Op(op), at));
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                while chars
                    .get(i)
                    .is_some_and(|c| c.is_alphanumeric() || *c == '_' || *c == '-' || *c == ':')
                {
                    i += 1;
                }
                out.push((Tok::Word(chars[start..i].iter().collect()), at));
            }
            other => {
                return Err(ExprError::Unexpected {
                    at,
                    found: other.to_string(),
                })
            }
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(t, _)| t)
    }

    fn at(&self) -> usize {
        self.toks.get(self.pos).map_or(0, |(_, at)| *at)
    }

    fn next(&mut self) -> Result<(Tok, usize), ExprError> {
        let t = self.toks.get(self.pos).cloned().ok_or(ExprError::End)?;
        self.pos += 1;
        Ok(t)
    }

    fn unexpected(&self) -> ExprError {
        match self.toks.get(self.pos) {
            Some((t, at)) => ExprError::Unexpected {
                at: *at,
                found: describe(t),
            },
            None => ExprError::End,
        }
    }

    fn expect(&mut self, want: &Tok) -> Result<(), ExprError> {
        if self.peek() == Some(want) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(x)) if x == w)
    }

    /// `next (word next)*`: one item stays itself, several are joined by `make`.
    fn joined(
        &mut self,
        word: &str,
        next: fn(&mut Self) -> Result<Expr, ExprError>,
        make: fn(Vec<Expr>) -> Expr,
    ) -> Result<Expr, ExprError> {
        let mut list = vec![next(self)?];
        while self.is_word(word) {
            self.pos += 1;
            list.push(next(self)?);
        }
        Ok(if list.len() == 1 {
            list.remove(0)
        } else {
            make(list)
        })
    }

    /// `and` binds tighter than `or`, as in XPath.
    fn or(&mut self) -> Result<Expr, ExprError> {
        self.joined("or", Self::and, Expr::Or)
    }

    fn and(&mut self) -> Result<Expr, ExprError> {
        self.joined("and", Self::primary, Expr::And)
    }

    /// `( or )`, one level deeper.
    fn nested(&mut self) -> Result<Expr, ExprError> {
        self.expect(&Tok::Open)?;
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ExprError::TooDeep);
        }
        let inner = self.or()?;
        self.expect(&Tok::Close)?;
        self.depth -= 1;
        Ok(inner)
    }

    fn primary(&mut self) -> Result<Expr, ExprError> {
        let at = self.at();
        match self.peek() {
            Some(Tok::Open) => self.nested(),
            Some(Tok::Word(w)) if w == "not" => {
                self.pos += 1;
                Ok(Expr::Not(Box::new(self.nested()?)))
            }
            Some(Tok::Word(w)) if w == "selected" => {
                self.pos += 1;
                self.expect(&Tok::Open)?;
                let question = self.operand()?;
                self.expect(&Tok::Comma)?;
                let value = self.operand()?;
                self.expect(&Tok::Close)?;
                Ok(Expr::Selected {
                    question,
                    value,
                    at,
                })
            }
            _ => {
                let left = self.operand()?;
                let op = match self.next() {
                    Ok((Tok::Op(op), _)) => op,
                    Ok(_) => {
                        self.pos -= 1;
                        return Err(self.unexpected());
                    }
                    Err(e) => return Err(e),
                };
                let right = self.operand()?;
                Ok(Expr::Cmp {
                    left,
                    op,
                    right,
                    at,
                })
            }
        }
    }

    fn operand(&mut self) -> Result<Operand, ExprError> {
        let at = self.at();
        match self.next()? {
            (Tok::Operand(o), _) => Ok(o),
            (Tok::Word(w), _) if w == "date" => {
                self.expect(&Tok::Open)?;
                let inner = match self.next()? {
                    (Tok::Operand(Operand::Str(s)), _) => s,
                    _ => {
                        self.pos -= 1;
                        return Err(self.unexpected());
                    }
                };
                self.expect(&Tok::Close)?;
                Ok(Operand::Date(inner))
            }
            (Tok::Word(w), _) if self.peek() == Some(&Tok::Open) => {
                Err(ExprError::UnknownFunction { at, name: w })
            }
            (t, _) => Err(ExprError::Unexpected {
                at,
                found: describe(&t),
            }),
        }
    }
}

/// Reads an expression (the whole text, nothing left over).
pub fn parse(src: &str) -> Result<Expr, ExprError> {
    let mut p = Parser {
        toks: lex(src)?,
        pos: 0,
        depth: 0,
    };
    let e = p.or()?;
    if p.pos < p.toks.len() {
        return Err(p.unexpected());
    }
    Ok(e)
}

/// What a condition may know of an earlier question: its kind and, for a Likert scale read
/// from a choice list, the list's names in order (the scale's codes are `1`…`n`).
#[derive(Debug, Clone, Copy)]
pub struct Earlier<'a> {
    pub kind: &'a Kind,
    pub names: Option<&'a [String]>,
}

/// A condition read from a `relevant` expression, and the codes of the multiple-choice
/// questions compared with `=` or `!=` (read as "includes" and "does not include", which is
/// what surveys' conditions mean; the importer says so).
#[derive(Debug, Clone, PartialEq)]
pub struct Relevant {
    pub condition: Condition,
    pub multiple_equals: Vec<String>,
}

/// Reads a `relevant` expression into a condition on the questions `earlier` knows.
pub fn relevant<'a>(
    src: &str,
    earlier: &impl Fn(&str) -> Option<Earlier<'a>>,
) -> Result<Relevant, ExprError> {
    let mut multiple_equals = Vec::new();
    let condition = to_condition(&parse(src)?, earlier, &mut multiple_equals)?;
    Ok(Relevant {
        condition,
        multiple_equals,
    })
}

fn to_condition<'a>(
    e: &Expr,
    earlier: &impl Fn(&str) -> Option<Earlier<'a>>,
    multiple_equals: &mut Vec<String>,
) -> Result<Condition, ExprError> {
    let list = |l: &[Expr], m: &mut Vec<String>| -> Result<Vec<Condition>, ExprError> {
        l.iter().map(|e| to_condition(e, earlier, m)).collect()
    };
    match e {
        Expr::And(l) => Ok(Condition::All(list(l, multiple_equals)?)),
        Expr::Or(l) => Ok(Condition::Any(list(l, multiple_equals)?)),
        Expr::Selected {
            question,
            value,
            at,
        } => compare(
            question,
            Op::Includes,
            value,
            *at,
            false,
            earlier,
            multiple_equals,
        ),
        Expr::Not(inner) => match inner.as_ref() {
            Expr::Selected {
                question,
                value,
                at,
            } => compare(
                question,
                Op::NotEquals,
                value,
                *at,
                true,
                earlier,
                multiple_equals,
            ),
            Expr::Cmp {
                left,
                op: op @ (RawOp::Eq | RawOp::Ne),
                right,
                at,
            } => {
                let negated = if *op == RawOp::Eq {
                    RawOp::Ne
                } else {
                    RawOp::Eq
                };
                cmp(left, negated, right, *at, earlier, multiple_equals)
            }
            _ => Err(ExprError::Negation),
        },
        Expr::Cmp {
            left,
            op,
            right,
            at,
        } => cmp(left, *op, right, *at, earlier, multiple_equals),
    }
}

/// `left op right` with the question on either side; `>=` and `<=` become "greater or
/// equal" and "less or equal" (the surveys' conditions have `>` and `<` only).
fn cmp<'a>(
    left: &Operand,
    op: RawOp,
    right: &Operand,
    at: usize,
    earlier: &impl Fn(&str) -> Option<Earlier<'a>>,
    multiple_equals: &mut Vec<String>,
) -> Result<Condition, ExprError> {
    let (question, op, value) = match (left, right) {
        (Operand::Ref(_), v) if v.is_value() => (left, op, right),
        (v, Operand::Ref(_)) if v.is_value() => (right, op.flipped(), left),
        _ => return Err(ExprError::NotComparison { at }),
    };
    let one = |op: Op, m: &mut Vec<String>| compare(question, op, value, at, false, earlier, m);
    match op {
        RawOp::Eq => one(Op::Equals, multiple_equals),
        RawOp::Ne => one(Op::NotEquals, multiple_equals),
        RawOp::Gt => one(Op::Greater, multiple_equals),
        RawOp::Lt => one(Op::Less, multiple_equals),
        RawOp::Ge | RawOp::Le => {
            let strict = if op == RawOp::Ge {
                Op::Greater
            } else {
                Op::Less
            };
            // Checked as one comparison so that a misfit is named with the operator written.
            let (Operand::Ref(code), Some(q)) = (question, question_of(question, earlier)) else {
                return Err(ExprError::UnknownQuestion(question.value().into()));
            };
            if !matches!(
                q.kind,
                Kind::Number { .. } | Kind::Likert { .. } | Kind::Date
            ) {
                return Err(ExprError::OpNotForKind {
                    question: code.clone(),
                    op: op.as_str(),
                });
            }
            Ok(Condition::Any(vec![
                one(strict, multiple_equals)?,
                one(Op::Equals, multiple_equals)?,
            ]))
        }
    }
}

fn question_of<'a>(
    q: &Operand,
    earlier: &impl Fn(&str) -> Option<Earlier<'a>>,
) -> Option<Earlier<'a>> {
    match q {
        Operand::Ref(code) => earlier(code),
        _ => None,
    }
}

/// One comparison, checked against the question's kind.
fn compare<'a>(
    question: &Operand,
    op: Op,
    value: &Operand,
    at: usize,
    // `not(selected(…))`: only a multiple choice reads it as "does not include".
    negated_selected: bool,
    earlier: &impl Fn(&str) -> Option<Earlier<'a>>,
    multiple_equals: &mut Vec<String>,
) -> Result<Condition, ExprError> {
    let Operand::Ref(code) = question else {
        return Err(ExprError::NotComparison { at });
    };
    if !value.is_value() {
        return Err(ExprError::NotComparison { at });
    }
    let q = earlier(code).ok_or_else(|| ExprError::UnknownQuestion(code.clone()))?;
    let raw = value.value();
    if raw.trim().is_empty() {
        return Err(ExprError::AnsweredTest {
            question: code.clone(),
        });
    }
    let op_name = || -> &'static str {
        match op {
            Op::Equals => "=",
            Op::NotEquals if negated_selected => "not(selected())",
            Op::NotEquals => "!=",
            Op::Includes => "selected()",
            Op::Greater => ">",
            Op::Less => "<",
        }
    };
    let misfit = || ExprError::OpNotForKind {
        question: code.clone(),
        op: op_name(),
    };
    if let Kind::Matrix { .. } = q.kind {
        return Err(ExprError::Matrix {
            question: code.clone(),
        });
    }
    if negated_selected && !matches!(q.kind, Kind::Multiple { .. }) {
        return Err(ExprError::Negation);
    }
    let value = match (q.kind, op) {
        (Kind::Matrix { .. }, _) => return Err(misfit()),
        (Kind::Single { choices } | Kind::Multiple { choices, .. }, _) => {
            if matches!(op, Op::Greater | Op::Less) {
                return Err(misfit());
            }
            if matches!(q.kind, Kind::Multiple { .. })
                && matches!(op, Op::Equals | Op::NotEquals)
                && !negated_selected
            {
                multiple_equals.push(code.clone());
            }
            if !choices.iter().any(|c| c.code == raw) {
                return Err(ExprError::NotAChoice {
                    question: code.clone(),
                    value: raw.into(),
                });
            }
            raw.to_string()
        }
        (Kind::Likert { scale }, _) => {
            // A choice's name from the list, or the point's number.
            let by_name = q
                .names
                .and_then(|names| names.iter().position(|n| n == raw))
                .map(|i| (i + 1).to_string());
            let point = by_name.unwrap_or_else(|| raw.to_string());
            let fits = match op {
                Op::Greater | Op::Less => point.parse::<f64>().is_ok(),
                _ => point
                    .parse::<usize>()
                    .is_ok_and(|n| (1..=scale.len()).contains(&n)),
            };
            if !fits {
                return Err(ExprError::NotAChoice {
                    question: code.clone(),
                    value: raw.into(),
                });
            }
            point
        }
        (Kind::Number { .. }, Op::Includes) | (Kind::Date, Op::Includes) => return Err(misfit()),
        (Kind::Number { .. }, _) => {
            if !matches!(value, Operand::Num(_) | Operand::Str(_))
                || raw.trim().parse::<f64>().is_err()
            {
                return Err(ExprError::NotANumber {
                    question: code.clone(),
                    value: raw.into(),
                });
            }
            raw.to_string()
        }
        (Kind::Date, _) => {
            if parse_date(raw).is_none() {
                return Err(ExprError::NotADate {
                    question: code.clone(),
                    value: raw.into(),
                });
            }
            raw.to_string()
        }
        (Kind::ShortText | Kind::LongText, Op::Equals | Op::NotEquals) => raw.to_string(),
        (Kind::ShortText | Kind::LongText, _) => return Err(misfit()),
    };
    Ok(Condition::Compare(Comparison {
        question: code.clone(),
        op,
        value,
    }))
}

/// Number bounds read from a `constraint`: `. >= a`, `. <= b`, both joined by `and` (in
/// either order, either side of the comparison).
pub fn bounds(src: &str) -> Result<(Option<f64>, Option<f64>), ExprError> {
    fn walk(e: &Expr, min: &mut Option<f64>, max: &mut Option<f64>) -> Result<(), ExprError> {
        match e {
            Expr::And(list) => list.iter().try_for_each(|e| walk(e, min, max)),
            Expr::Cmp {
                left, op, right, ..
            } => {
                let (op, n) = match (left, right) {
                    (Operand::Dot, Operand::Num(n)) => (*op, n),
                    (Operand::Num(n), Operand::Dot) => (op.flipped(), n),
                    _ => return Err(ExprError::NotBounds),
                };
                let n = n
                    .parse::<f64>()
                    .ok()
                    .filter(|n| n.is_finite())
                    .ok_or(ExprError::NotBounds)?;
                let slot = match op {
                    RawOp::Ge => min,
                    RawOp::Le => max,
                    _ => return Err(ExprError::NotBounds),
                };
                if slot.is_some() {
                    return Err(ExprError::NotBounds);
                }
                *slot = Some(n);
                Ok(())
            }
            _ => Err(ExprError::NotBounds),
        }
    }
    let e = parse(src)?;
    let (mut min, mut max) = (None, None);
    walk(&e, &mut min, &mut max)?;
    Ok((min, max))
}

/// Bounds written as a `constraint` (`None` when there are none).
pub fn bounds_text(min: Option<f64>, max: Option<f64>) -> Option<String> {
    use crate::spreadsheet::grid::number_text;
    match (min, max) {
        (None, None) => None,
        (Some(a), None) => Some(format!(". >= {}", number_text(a))),
        (None, Some(b)) => Some(format!(". <= {}", number_text(b))),
        (Some(a), Some(b)) => Some(format!(
            ". >= {} and . <= {}",
            number_text(a),
            number_text(b)
        )),
    }
}

/// A value that cannot be written as an XPath literal (it holds both kinds of quote).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unwritable {
    pub question: String,
    pub value: String,
}

/// A condition written as a `relevant` expression, in the form [`relevant`] reads back into
/// the same condition. `kind(code)` gives the kind of the question compared (dates are
/// written `date('…')`, numbers without quotes). An "and"/"or" of one comparison is written
/// as that comparison, and of none as no expression at all (`None`): both mean the same.
pub fn relevant_text<'a>(
    c: &Condition,
    kind: &impl Fn(&str) -> Option<&'a Kind>,
) -> Result<Option<String>, Unwritable> {
    let mut out = String::new();
    if write_condition(c, kind, &mut out, false)? {
        Ok(Some(out))
    } else {
        Ok(None)
    }
}

/// Writes `c`; returns false when it wrote nothing (an empty list).
fn write_condition<'a>(
    c: &Condition,
    kind: &impl Fn(&str) -> Option<&'a Kind>,
    out: &mut String,
    nested: bool,
) -> Result<bool, Unwritable> {
    let (list, joiner) = match c {
        Condition::Compare(cmp) => {
            write_comparison(cmp, kind(&cmp.question), out)?;
            return Ok(true);
        }
        Condition::All(l) => (l, " and "),
        Condition::Any(l) => (l, " or "),
    };
    let mut parts = Vec::new();
    for item in list {
        let mut s = String::new();
        if write_condition(item, kind, &mut s, true)? {
            parts.push(s);
        }
    }
    match parts.len() {
        0 => Ok(false),
        1 => {
            out.push_str(&parts[0]);
            Ok(true)
        }
        _ => {
            let joined = parts.join(joiner);
            if nested {
                let _ = write!(out, "({joined})");
            } else {
                out.push_str(&joined);
            }
            Ok(true)
        }
    }
}

fn write_comparison(
    cmp: &Comparison,
    kind: Option<&Kind>,
    out: &mut String,
) -> Result<(), Unwritable> {
    let q = &cmp.question;
    let v = literal(cmp, kind)?;
    let _ = match (cmp.op, kind) {
        (Op::Includes, _) => write!(out, "selected(${{{q}}}, {v})"),
        (Op::NotEquals, Some(Kind::Multiple { .. })) => {
            write!(out, "not(selected(${{{q}}}, {v}))")
        }
        (Op::Equals, _) => write!(out, "${{{q}}} = {v}"),
        (Op::NotEquals, _) => write!(out, "${{{q}}} != {v}"),
        (Op::Greater, _) => write!(out, "${{{q}}} > {v}"),
        (Op::Less, _) => write!(out, "${{{q}}} < {v}"),
    };
    Ok(())
}

/// Is `s` a plain decimal number (`12`, `-0.5`), written as XPath writes numbers?
fn plain_number(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or_default();
    let frac = parts.next();
    !whole.is_empty()
        && whole.chars().all(|c| c.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()))
}

fn literal(cmp: &Comparison, kind: Option<&Kind>) -> Result<String, Unwritable> {
    let v = &cmp.value;
    let quoted = || {
        if !v.contains('\'') {
            Ok(format!("'{v}'"))
        } else if !v.contains('"') {
            Ok(format!("\"{v}\""))
        } else {
            Err(Unwritable {
                question: cmp.question.clone(),
                value: v.clone(),
            })
        }
    };
    match kind {
        Some(Kind::Date) if parse_date(v).is_some() => Ok(format!("date({})", quoted()?)),
        Some(Kind::Number { .. } | Kind::Likert { .. })
            if plain_number(v) && cmp.op != Op::Includes =>
        {
            Ok(v.clone())
        }
        _ => quoted(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::surveys::model::{Choice, Text};

    fn choices(codes: &[&str]) -> Vec<Choice> {
        codes
            .iter()
            .map(|c| Choice {
                code: c.to_string(),
                label: Text::new("en", *c),
            })
            .collect()
    }

    struct Known {
        single: Kind,
        multiple: Kind,
        number: Kind,
        likert: Kind,
        date: Kind,
        text: Kind,
        matrix: Kind,
        likert_names: Vec<String>,
    }

    fn known() -> Known {
        Known {
            single: Kind::Single {
                choices: choices(&["yes", "no"]),
            },
            multiple: Kind::Multiple {
                choices: choices(&["a", "b", "c"]),
                other: false,
            },
            number: Kind::Number {
                min: None,
                max: None,
                integer: true,
            },
            likert: Kind::Likert {
                scale: vec![
                    Text::new("en", "Low"),
                    Text::new("en", "Mid"),
                    Text::new("en", "High"),
                ],
            },
            date: Kind::Date,
            text: Kind::ShortText,
            matrix: Kind::Matrix {
                rows: choices(&["r1"]),
                scale: choices(&["x", "y"]),
            },
            likert_names: vec!["low".into(), "mid".into(), "high".into()],
        }
    }

    fn lookup<'k>(k: &'k Known) -> impl Fn(&str) -> Option<Earlier<'k>> + 'k {
        move |code| {
            let kind = match code {
                "s" => &k.single,
                "m" => &k.multiple,
                "n" => &k.number,
                "l" => &k.likert,
                "d" => &k.date,
                "t" => &k.text,
                "x" => &k.matrix,
                _ => return None,
            };
            Some(Earlier {
                kind,
                names: (code == "l").then_some(k.likert_names.as_slice()),
            })
        }
    }

    fn c(q: &str, op: Op, v: &str) -> Condition {
        Condition::Compare(Comparison {
            question: q.into(),
            op,
            value: v.into(),
        })
    }

    fn read(src: &str) -> Result<Condition, ExprError> {
        let k = known();
        let read = relevant(src, &lookup(&k)).map(|r| r.condition);
        read
    }

    #[test]
    fn comparisons_become_conditions() {
        assert_eq!(read("${s} = 'yes'"), Ok(c("s", Op::Equals, "yes")));
        assert_eq!(read("${s}='yes'"), Ok(c("s", Op::Equals, "yes")));
        assert_eq!(read("${s} != \"no\""), Ok(c("s", Op::NotEquals, "no")));
        assert_eq!(read("'yes' = ${s}"), Ok(c("s", Op::Equals, "yes")));
        assert_eq!(read("${n} > 5"), Ok(c("n", Op::Greater, "5")));
        assert_eq!(read("${n} < -2.5"), Ok(c("n", Op::Less, "-2.5")));
        assert_eq!(read("3 < ${n}"), Ok(c("n", Op::Greater, "3")));
        assert_eq!(read("selected(${m}, 'b')"), Ok(c("m", Op::Includes, "b")));
        assert_eq!(
            read("not(selected(${m}, 'b'))"),
            Ok(c("m", Op::NotEquals, "b"))
        );
        assert_eq!(read("not(${s} = 'yes')"), Ok(c("s", Op::NotEquals, "yes")));
        assert_eq!(
            read("${d} > date('2026-01-31')"),
            Ok(c("d", Op::Greater, "2026-01-31"))
        );
        assert_eq!(read("${t} = 'Paris'"), Ok(c("t", Op::Equals, "Paris")));
    }

    #[test]
    fn greater_or_equal_is_greater_or_equal() {
        assert_eq!(
            read("${n} >= 18"),
            Ok(Condition::Any(vec![
                c("n", Op::Greater, "18"),
                c("n", Op::Equals, "18")
            ]))
        );
        assert_eq!(
            read("${n} <= 1"),
            Ok(Condition::Any(vec![
                c("n", Op::Less, "1"),
                c("n", Op::Equals, "1")
            ]))
        );
    }

    #[test]
    fn and_binds_tighter_than_or_and_parentheses_group() {
        assert_eq!(
            read("${s} = 'yes' or ${n} > 1 and ${n} < 9"),
            Ok(Condition::Any(vec![
                c("s", Op::Equals, "yes"),
                Condition::All(vec![c("n", Op::Greater, "1"), c("n", Op::Less, "9")]),
            ]))
        );
        assert_eq!(
            read("(${s} = 'yes' or ${s} = 'no') and selected(${m}, 'a')"),
            Ok(Condition::All(vec![
                Condition::Any(vec![c("s", Op::Equals, "yes"), c("s", Op::Equals, "no")]),
                c("m", Op::Includes, "a"),
            ]))
        );
    }

    #[test]
    fn likert_points_are_read_by_name_or_number() {
        assert_eq!(read("${l} = 'high'"), Ok(c("l", Op::Equals, "3")));
        assert_eq!(read("${l} > 1"), Ok(c("l", Op::Greater, "1")));
        assert_eq!(
            read("${l} = 'huge'"),
            Err(ExprError::NotAChoice {
                question: "l".into(),
                value: "huge".into()
            })
        );
    }

    #[test]
    fn equals_on_a_multiple_choice_is_reported() {
        let k = known();
        let r = relevant("${m} = 'a'", &lookup(&k)).unwrap();
        assert_eq!(r.condition, c("m", Op::Equals, "a"));
        assert_eq!(r.multiple_equals, vec!["m"]);
    }

    #[test]
    fn what_conditions_cannot_say_is_refused_with_the_reason() {
        let unexpected = |at: usize, found: &str| {
            Err(ExprError::Unexpected {
                at,
                found: found.into(),
            })
        };
        assert_eq!(read("${s} = "), Err(ExprError::End));
        assert_eq!(
            read("${s} = 'yes"),
            Err(ExprError::UnclosedString { at: 8 })
        );
        assert_eq!(read("${s} = 'yes')"), unexpected(13, ")"));
        assert_eq!(read("${s} == 'yes'"), unexpected(7, "="));
        assert_eq!(read("${n} + 1 > 2"), unexpected(6, "+"));
        assert_eq!(
            read("count-selected(${m}) > 1"),
            Err(ExprError::UnknownFunction {
                at: 1,
                name: "count-selected".into()
            })
        );
        assert_eq!(read("${s} = ${n}"), Err(ExprError::NotComparison { at: 1 }));
        assert_eq!(
            read("${zz} = 'a'"),
            Err(ExprError::UnknownQuestion("zz".into()))
        );
        assert_eq!(
            read("${s} = 'maybe'"),
            Err(ExprError::NotAChoice {
                question: "s".into(),
                value: "maybe".into()
            })
        );
        assert_eq!(
            read("${s} != ''"),
            Err(ExprError::AnsweredTest {
                question: "s".into()
            })
        );
        assert_eq!(
            read("${n} = 'many'"),
            Err(ExprError::NotANumber {
                question: "n".into(),
                value: "many".into()
            })
        );
        assert_eq!(
            read("${d} < 'soon'"),
            Err(ExprError::NotADate {
                question: "d".into(),
                value: "soon".into()
            })
        );
        assert_eq!(
            read("${t} > 'a'"),
            Err(ExprError::OpNotForKind {
                question: "t".into(),
                op: ">"
            })
        );
        assert_eq!(
            read("${s} >= 'yes'"),
            Err(ExprError::OpNotForKind {
                question: "s".into(),
                op: ">="
            })
        );
        assert_eq!(
            read("${x} = 'x'"),
            Err(ExprError::Matrix {
                question: "x".into()
            })
        );
        assert_eq!(read("not(${n} > 1)"), Err(ExprError::Negation));
        assert_eq!(read("not(selected(${s}, 'yes'))"), Err(ExprError::Negation));
        let deep = format!("{}${{s}} = 'yes'{}", "(".repeat(10_000), ")".repeat(10_000));
        assert_eq!(read(&deep), Err(ExprError::TooDeep));
        let fine = format!(
            "{}${{s}} = 'yes'{}",
            "(".repeat(MAX_DEPTH),
            ")".repeat(MAX_DEPTH)
        );
        assert_eq!(read(&fine), Ok(c("s", Op::Equals, "yes")));
    }

    #[test]
    fn bounds_are_read_from_simple_constraints_only() {
        assert_eq!(bounds(". >= 0 and . <= 60"), Ok((Some(0.0), Some(60.0))));
        assert_eq!(bounds(".<=60 and .>=-1.5"), Ok((Some(-1.5), Some(60.0))));
        assert_eq!(bounds("(. >= 1)"), Ok((Some(1.0), None)));
        assert_eq!(bounds("10 >= ."), Ok((None, Some(10.0))));
        assert_eq!(bounds(". > 0"), Err(ExprError::NotBounds));
        assert_eq!(bounds(". >= 0 or . <= 9"), Err(ExprError::NotBounds));
        assert_eq!(bounds(". >= 1 and . >= 2"), Err(ExprError::NotBounds));
        assert!(bounds("regex(., '[a-z]+')").is_err());
        assert_eq!(
            bounds_text(Some(0.0), Some(60.0)).as_deref(),
            Some(". >= 0 and . <= 60")
        );
        assert_eq!(bounds_text(None, Some(0.25)).as_deref(), Some(". <= 0.25"));
        assert_eq!(bounds_text(None, None), None);
    }

    #[test]
    fn written_conditions_read_back_the_same() {
        let k = known();
        let kind = |code: &str| lookup(&k)(code).map(|e| e.kind);
        let cases = [
            c("s", Op::Equals, "yes"),
            c("s", Op::Includes, "no"),
            c("m", Op::Includes, "a"),
            c("m", Op::NotEquals, "b"),
            c("m", Op::Equals, "c"),
            c("n", Op::Greater, "-3.5"),
            c("n", Op::Equals, "05"),
            c("n", Op::NotEquals, "1e3"),
            c("l", Op::Less, "3"),
            c("l", Op::Equals, "2"),
            c("d", Op::Less, "2026-12-31"),
            c("t", Op::NotEquals, "it's"),
            Condition::All(vec![
                c("s", Op::Equals, "yes"),
                Condition::Any(vec![c("n", Op::Greater, "18"), c("n", Op::Equals, "18")]),
                Condition::All(vec![c("t", Op::Equals, "a"), c("t", Op::Equals, "b")]),
            ]),
            Condition::Any(vec![
                Condition::All(vec![c("s", Op::Equals, "no"), c("m", Op::Includes, "a")]),
                c("d", Op::Greater, "2026-01-01"),
            ]),
        ];
        for case in cases {
            let text = relevant_text(&case, &kind).unwrap().unwrap();
            assert_eq!(
                relevant(&text, &lookup(&k)).map(|r| r.condition),
                Ok(case.clone()),
                "{text}"
            );
        }
        let both = c("t", Op::Equals, "it's \"x\"");
        assert!(relevant_text(&both, &kind).is_err());
        assert_eq!(relevant_text(&Condition::All(vec![]), &kind), Ok(None));
        assert_eq!(
            relevant_text(&c("m", Op::NotEquals, "b"), &kind)
                .unwrap()
                .as_deref(),
            Some("not(selected(${m}, 'b'))")
        );
    }
}
