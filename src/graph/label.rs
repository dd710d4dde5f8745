//! The text on an edge: a Choice rule written short (`$.Status == 1`, `And(…)`), "Default",
//! or the error names a Catch takes.

use asl::model::{Comparison, Condition, Operand, Relation, TypeTest};
use serde_json::Value;

/// Labels longer than this many characters are cut, with an ellipsis; the full text is the
/// label's tooltip.
pub const MAX_CHARS: usize = 28;

/// A Choice rule's condition in a short, readable form: `$.Status == 1`, `$.x > 10`,
/// `$.file matches "*.txt"`, `And($.a == 1, Not($.b))`, `IsPresent($.c)`.
pub fn rule_text(condition: &Condition) -> String {
    match condition {
        Condition::And(all) => format!("And({})", list(all)),
        Condition::Or(any) => format!("Or({})", list(any)),
        Condition::Not(inner) => format!("Not({})", rule_text(inner)),
        // A JSONata rule: its Condition's expression.
        Condition::Jsonata(condition) => condition.text(),
        Condition::Compare {
            variable,
            operator,
            operand,
        } => {
            let operand = match operand {
                Operand::Path(path) => path.to_string(),
                Operand::Literal(value) => literal(value),
            };
            format!("{variable} {} {operand}", symbol(*operator))
        }
        Condition::Test {
            variable,
            test,
            expected,
        } => {
            let name = TypeTest::ALL
                .iter()
                .find(|(t, _)| t == test)
                .map_or("Is", |(_, name)| name);
            if *expected {
                format!("{name}({variable})")
            } else {
                format!("Not({name}({variable}))")
            }
        }
    }
}

fn list(conditions: &[Condition]) -> String {
    conditions
        .iter()
        .map(rule_text)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A literal operand as JSON (strings quoted), timestamps included.
fn literal(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// The comparison as an operator; the data type shows in the operand (`"gold"` vs `1`).
fn symbol(comparison: Comparison) -> &'static str {
    match comparison.relation {
        Relation::Equals => "==",
        Relation::LessThan => "<",
        Relation::GreaterThan => ">",
        Relation::LessThanEquals => "<=",
        Relation::GreaterThanEquals => ">=",
        Relation::Matches => "matches",
    }
}

/// `text` cut to [`MAX_CHARS`] characters, the last one an ellipsis when anything was cut.
pub fn short(text: &str) -> String {
    if text.chars().count() <= MAX_CHARS {
        text.to_string()
    } else {
        let mut out: String = text.chars().take(MAX_CHARS - 1).collect();
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The conditions of the Choice state named `Route` in a one-state-plus-targets machine.
    fn rules(choices: &str) -> Vec<String> {
        let definition = format!(
            r#"{{"StartAt": "Route", "States": {{
                "Route": {{"Type": "Choice", "Choices": {choices}, "Default": "Done"}},
                "Done": {{"Type": "Succeed"}}}}}}"#
        );
        let machine = asl::load(&definition).unwrap();
        let asl::StateKind::Choice(choice) = &machine.states["Route"].kind else {
            panic!("Route is a Choice");
        };
        choice
            .choices
            .iter()
            .map(|r| rule_text(&r.condition))
            .collect()
    }

    #[test]
    fn comparisons_are_written_as_operators() {
        let got = rules(
            r#"[
                {"Variable": "$.Status", "NumericEquals": 1, "Next": "Done"},
                {"Variable": "$.x", "NumericGreaterThan": 10, "Next": "Done"},
                {"Variable": "$.tier", "StringEquals": "gold", "Next": "Done"},
                {"Variable": "$.a", "NumericLessThanEqualsPath": "$.b", "Next": "Done"},
                {"Variable": "$.file", "StringMatches": "*.txt", "Next": "Done"},
                {"Variable": "$.ok", "BooleanEquals": true, "Next": "Done"}
            ]"#,
        );
        assert_eq!(
            got,
            [
                "$.Status == 1",
                "$.x > 10",
                r#"$.tier == "gold""#,
                "$.a <= $.b",
                r#"$.file matches "*.txt""#,
                "$.ok == true"
            ]
        );
    }

    #[test]
    fn and_or_not_and_type_tests_nest() {
        let got = rules(
            r#"[
                {"And": [
                    {"Variable": "$.p", "NumericLessThanEquals": 2},
                    {"Or": [{"Variable": "$.t", "StringEquals": "a"}, {"Variable": "$.t", "StringEquals": "b"}]}
                ], "Next": "Done"},
                {"Not": {"Variable": "$.t", "StringEquals": "free"}, "Next": "Done"},
                {"Variable": "$.c", "IsPresent": true, "Next": "Done"},
                {"Variable": "$.c", "IsNull": false, "Next": "Done"}
            ]"#,
        );
        assert_eq!(
            got,
            [
                r#"And($.p <= 2, Or($.t == "a", $.t == "b"))"#,
                r#"Not($.t == "free")"#,
                "IsPresent($.c)",
                "Not(IsNull($.c))"
            ]
        );
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        assert_eq!(short("$.Status == 1"), "$.Status == 1");
        let long = r#"And($.p <= 2, Or($.t == "a", $.t == "b"))"#;
        let cut = short(long);
        assert_eq!(cut.chars().count(), MAX_CHARS);
        assert!(cut.ends_with('…') && long.starts_with(cut.trim_end_matches('…')));
        assert_eq!(short(&"é".repeat(MAX_CHARS)), "é".repeat(MAX_CHARS));
    }
}
