//! Choice rules: which rule matches a state's input.
//!
//! Comparisons between values of the wrong type are false, not errors (AWS: `StringEquals`
//! against a number does not match). A `Variable` that names nothing is an error, except for
//! `IsPresent` and the other type tests, which are simply false.

use crate::clock::parse_timestamp;
use crate::dataflow::Env;
use crate::model::{Choice, ChoiceRule, Comparison, Condition, Kind, Operand, Relation, TypeTest};
use crate::path::ReferencePath;
use serde_json::Value;
use std::borrow::Cow;
use std::cmp::Ordering;

/// The data a condition can read: the state's effective input and the context object.
pub struct Scope<'a> {
    pub input: &'a Value,
    pub env: &'a Env,
}

impl Scope<'_> {
    fn select(&self, path: &ReferencePath) -> Option<Cow<'_, Value>> {
        self.env.select(path, self.input)
    }

    /// A path that must name something; AWS's wording when it does not.
    fn require(&self, path: &ReferencePath) -> Result<Cow<'_, Value>, String> {
        self.select(path)
            .ok_or_else(|| format!("Invalid path '{path}': The choice state's condition path references an invalid value."))
    }
}

/// The `Next` of the first matching rule, else the Default; `Ok(None)` when nothing matches.
/// `Err` carries the detail of a runtime failure (an invalid path).
pub fn choose<'c>(choice: &'c Choice, scope: &Scope<'_>) -> Result<Option<&'c str>, String> {
    Ok(choose_rule(choice, scope)?
        .map(|r| r.next.as_str())
        .or(choice.default.as_deref()))
}

/// The first rule that matches, if any (the Default is the caller's).
pub fn choose_rule<'c>(
    choice: &'c Choice,
    scope: &Scope<'_>,
) -> Result<Option<&'c ChoiceRule>, String> {
    for rule in &choice.choices {
        if evaluate(&rule.condition, scope)? {
            return Ok(Some(rule));
        }
    }
    Ok(None)
}

pub fn evaluate(condition: &Condition, scope: &Scope<'_>) -> Result<bool, String> {
    Ok(match condition {
        Condition::And(all) => {
            for c in all {
                if !evaluate(c, scope)? {
                    return Ok(false);
                }
            }
            true
        }
        Condition::Or(any) => {
            for c in any {
                if evaluate(c, scope)? {
                    return Ok(true);
                }
            }
            false
        }
        Condition::Not(inner) => !evaluate(inner, scope)?,
        Condition::Test {
            variable,
            test,
            expected,
        } => {
            let value = scope.select(variable);
            let value = value.as_deref();
            let holds = match test {
                TypeTest::IsPresent => value.is_some(),
                TypeTest::IsNull => value.is_some_and(Value::is_null),
                TypeTest::IsNumeric => value.is_some_and(Value::is_number),
                TypeTest::IsString => value.is_some_and(Value::is_string),
                TypeTest::IsBoolean => value.is_some_and(Value::is_boolean),
                TypeTest::IsTimestamp => value
                    .and_then(Value::as_str)
                    .and_then(parse_timestamp)
                    .is_some(),
            };
            holds == *expected
        }
        Condition::Compare {
            variable,
            operator,
            operand,
        } => {
            let left = scope.require(variable)?;
            let right = match operand {
                Operand::Literal(v) => Cow::Borrowed(v),
                Operand::Path(p) => scope.require(p)?,
            };
            compare(&left, *operator, &right)
        }
    })
}

fn compare(left: &Value, op: Comparison, right: &Value) -> bool {
    if op.relation == Relation::Matches {
        return match (left.as_str(), right.as_str()) {
            (Some(text), Some(pattern)) => string_matches(text, pattern),
            _ => false,
        };
    }
    let ordering = match op.kind {
        Kind::String => match (left.as_str(), right.as_str()) {
            // Java compares strings by UTF-16 code units; so does AWS.
            (Some(a), Some(b)) => Some(a.encode_utf16().cmp(b.encode_utf16())),
            _ => None,
        },
        Kind::Numeric => match (left.as_f64(), right.as_f64()) {
            (Some(a), Some(b)) => a.partial_cmp(&b),
            _ => None,
        },
        Kind::Boolean => match (left.as_bool(), right.as_bool()) {
            (Some(a), Some(b)) => Some(a.cmp(&b)),
            _ => None,
        },
        Kind::Timestamp => match (
            left.as_str().and_then(parse_timestamp),
            right.as_str().and_then(parse_timestamp),
        ) {
            (Some(a), Some(b)) => Some(a.cmp(&b)),
            _ => None,
        },
    };
    let Some(ordering) = ordering else {
        return false;
    };
    match op.relation {
        Relation::Equals => ordering == Ordering::Equal,
        Relation::LessThan => ordering == Ordering::Less,
        Relation::GreaterThan => ordering == Ordering::Greater,
        Relation::LessThanEquals => ordering != Ordering::Greater,
        Relation::GreaterThanEquals => ordering != Ordering::Less,
        Relation::Matches => unreachable!("handled above"),
    }
}

/// `StringMatches`: `*` matches any run of characters; `\*` is a literal star and `\\` a
/// literal backslash.
pub fn string_matches(text: &str, pattern: &str) -> bool {
    #[derive(PartialEq)]
    enum Token {
        Char(char),
        Star,
    }
    let mut tokens = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => tokens.push(Token::Char(chars.next().unwrap_or('\\'))),
            '*' => tokens.push(Token::Star),
            c => tokens.push(Token::Char(c)),
        }
    }
    let text: Vec<char> = text.chars().collect();
    // Classic wildcard matching with backtracking to the last star: linear in practice.
    let (mut t, mut p) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match tokens.get(p) {
            Some(Token::Char(c)) if *c == text[t] => {
                t += 1;
                p += 1;
            }
            Some(Token::Star) => {
                star = Some((p, t));
                p += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    tokens[p..].iter().all(|t| *t == Token::Star)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;
    use serde_json::json;

    fn choice_of(rules: Value) -> Choice {
        let def = json!({"StartAt": "C", "States": {
            "C": {"Type": "Choice", "Choices": rules, "Default": "D"},
            "A": {"Type": "Succeed"}, "D": {"Type": "Succeed"}}});
        match parse(&def.to_string()).unwrap().states["C"].kind.clone() {
            crate::model::StateKind::Choice(c) => c,
            _ => unreachable!(),
        }
    }

    fn picks(rule: Value, input: Value) -> Result<Option<String>, String> {
        let mut rule = rule;
        rule["Next"] = json!("A");
        let choice = choice_of(json!([rule]));
        let env = Env::default();
        choose(
            &choice,
            &Scope {
                input: &input,
                env: &env,
            },
        )
        .map(|n| n.map(str::to_string))
    }

    fn matches(rule: Value, input: Value) -> bool {
        picks(rule, input).unwrap().as_deref() == Some("A")
    }

    #[test]
    fn numeric_string_boolean() {
        assert!(matches(
            json!({"Variable": "$.Status", "NumericEquals": 1}),
            json!({"Status": 1})
        ));
        assert!(matches(
            json!({"Variable": "$.Status", "NumericEquals": 1}),
            json!({"Status": 1.0})
        ));
        assert!(!matches(
            json!({"Variable": "$.Status", "NumericEquals": 1}),
            json!({"Status": "1"})
        ));
        assert!(matches(
            json!({"Variable": "$.v", "NumericLessThanEquals": 2.5}),
            json!({"v": 2.5})
        ));
        assert!(matches(
            json!({"Variable": "$.s", "StringGreaterThan": "a"}),
            json!({"s": "b"})
        ));
        assert!(matches(
            json!({"Variable": "$.b", "BooleanEquals": false}),
            json!({"b": false})
        ));
        assert!(!matches(
            json!({"Variable": "$.b", "BooleanEquals": true}),
            json!({"b": null})
        ));
        assert!(matches(
            json!({"Variable": "$.a", "NumericGreaterThanPath": "$.b"}),
            json!({"a": 3, "b": 2})
        ));
    }

    #[test]
    fn timestamps_and_type_tests() {
        let input = json!({"t": "2016-08-18T17:33:00Z", "n": null, "x": 5});
        assert!(matches(
            json!({"Variable": "$.t", "TimestampLessThan": "2016-08-19T00:00:00Z"}),
            input.clone()
        ));
        assert!(matches(
            json!({"Variable": "$.t", "IsTimestamp": true}),
            input.clone()
        ));
        assert!(matches(
            json!({"Variable": "$.n", "IsNull": true}),
            input.clone()
        ));
        assert!(matches(
            json!({"Variable": "$.missing", "IsPresent": false}),
            input.clone()
        ));
        assert!(matches(
            json!({"Variable": "$.x", "IsNumeric": true}),
            input.clone()
        ));
        assert!(matches(
            json!({"Variable": "$.x", "IsString": false}),
            input
        ));
    }

    #[test]
    fn and_or_not() {
        let rule = json!({"And": [
            {"Variable": "$.v", "NumericGreaterThanEquals": 20},
            {"Not": {"Variable": "$.v", "NumericLessThan": 30}}]});
        assert!(matches(rule.clone(), json!({"v": 30})));
        assert!(!matches(rule, json!({"v": 22})));
        let or = json!({"Or": [{"Variable": "$.a", "IsPresent": true}, {"Variable": "$.b", "IsPresent": true}]});
        assert!(matches(or.clone(), json!({"b": 1})));
        assert!(!matches(or, json!({})));
    }

    #[test]
    fn missing_variable_is_a_runtime_error() {
        let err = picks(
            json!({"Variable": "$.Status", "NumericEquals": 1}),
            json!({}),
        )
        .unwrap_err();
        assert_eq!(err, "Invalid path '$.Status': The choice state's condition path references an invalid value.");
    }

    #[test]
    fn no_match_falls_to_default() {
        assert_eq!(
            picks(
                json!({"Variable": "$.s", "NumericEquals": 1}),
                json!({"s": 2})
            )
            .unwrap()
            .as_deref(),
            Some("D")
        );
    }

    #[test]
    fn wildcards() {
        assert!(string_matches("log-2024.txt", "log-*.txt"));
        assert!(string_matches("anything", "*"));
        assert!(string_matches("a*b", "a\\*b"));
        assert!(!string_matches("axb", "a\\*b"));
        assert!(string_matches("a\\b", "a\\\\b"));
        assert!(!string_matches("log.txt", "log-*"));
        assert!(string_matches("", "*"));
        assert!(!string_matches("", "a"));
    }

    #[test]
    fn strings_compare_by_utf16_units() {
        // U+FF61 sorts before U+1F600 in UTF-8/code points... and after it in UTF-16.
        assert!(matches(
            json!({"Variable": "$.s", "StringGreaterThan": "\u{1F600}"}),
            json!({"s": "\u{FF61}"})
        ));
    }
}
