//! Every problem in a definition, located by a JSON pointer, worded as AWS words it.

use asl::{load, DiagnosticCode};
use serde_json::json;

fn problems(definition: &str) -> Vec<String> {
    load(definition)
        .err()
        .unwrap_or_default()
        .iter()
        .map(|d| d.to_string())
        .collect()
}

#[test]
fn required_top_level_fields() {
    assert_eq!(
        problems("{}"),
        ["SCHEMA_VALIDATION_FAILED: These fields are required: [States, StartAt] at /"]
    );
    assert_eq!(
        problems(r#"{"StartAt": "A"}"#),
        ["SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /"]
    );
    assert_eq!(
        problems("[]"),
        ["SCHEMA_VALIDATION_FAILED: Definition must be a valid JSON object at /"]
    );
}

#[test]
fn syntax_errors_have_a_line_and_column() {
    let d = load("{\n  \"StartAt\": \"A\",\n  oops\n}").unwrap_err();
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].code, DiagnosticCode::InvalidJsonDescription);
    assert_eq!(d[0].line_col, Some((3, 3)));
}

#[test]
fn every_problem_is_reported_at_its_place() {
    let definition = json!({
        "StartAt": "A",
        "Bogus": 1,
        "States": {
            "A": {"Type": "Pass", "Next": "B", "Foo": true},
            "B": {"Type": "Sleep"},
            "C": {"Type": "Task", "End": true},
            "D": {"Type": "Choice", "Choices": [{"Variable": "$.x", "Next": "A"}]}
        }
    });
    assert_eq!(
        problems(&definition.to_string()),
        [
            "SCHEMA_VALIDATION_FAILED: Field 'Foo' is not supported at /States/A/Foo",
            "SCHEMA_VALIDATION_FAILED: The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map] at /States/B/Type",
            "SCHEMA_VALIDATION_FAILED: These fields are required: [Resource] at /States/C",
            "SCHEMA_VALIDATION_FAILED: A Choice rule must have exactly one of And, Or, Not, or a Variable with a comparison operator at /States/D/Choices/0",
            "SCHEMA_VALIDATION_FAILED: Field 'Bogus' is not supported at /Bogus",
        ]
    );
}

#[test]
fn transitions_must_name_states() {
    let definition = json!({
        "StartAt": "Nowhere",
        "States": {
            "A": {"Type": "Pass", "Next": "Missing"},
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "NumericEquals": 1, "Next": "Gone"}], "Default": "Lost"}
        }
    });
    assert_eq!(
        problems(&definition.to_string()),
        [
            "MISSING_TRANSITION_TARGET: Missing 'StartAt' target: Nowhere at /StartAt",
            "MISSING_TRANSITION_TARGET: Missing 'Next' target: Missing at /States/A/Next",
            "MISSING_TRANSITION_TARGET: Missing 'Next' target: Gone at /States/C/Choices/0/Next",
            "MISSING_TRANSITION_TARGET: Missing 'Default' target: Lost at /States/C/Default",
        ]
    );
}

#[test]
fn unreachable_states_and_no_way_to_end() {
    let definition = json!({
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Next": "B"},
            "B": {"Type": "Pass", "Next": "A"},
            "Island": {"Type": "Succeed"}
        }
    });
    assert_eq!(
        problems(&definition.to_string()),
        [
            "MISSING_TRANSITION_TARGET: State 'Island' is not reachable at /States/Island",
            "NO_TERMINAL_STATE: No terminal state: no state has \"End\": true and there is no Succeed or Fail state at /States",
        ]
    );
}

#[test]
fn pointers_escape_state_names() {
    let definition =
        json!({"StartAt": "a/b", "States": {"a/b": {"Type": "Pass", "End": true, "X": 1}}});
    assert_eq!(
        problems(&definition.to_string()),
        ["SCHEMA_VALIDATION_FAILED: Field 'X' is not supported at /States/a~1b/X"]
    );
}

#[test]
fn fields_of_the_other_query_language_are_located() {
    let jsonpath = json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:F", "Arguments": {}, "End": true}}});
    assert_eq!(
        problems(&jsonpath.to_string()),
        ["SCHEMA_VALIDATION_FAILED: Field 'Arguments' is not supported at /States/T/Arguments"]
    );
    let jsonata = json!({"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "$.a", "End": true}}});
    assert_eq!(
        problems(&jsonata.to_string()),
        ["SCHEMA_VALIDATION_FAILED: Field 'InputPath' is not supported at /States/P/InputPath"]
    );
}

#[test]
fn a_jsonata_syntax_error_is_located_at_load() {
    let definition = json!({"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass", "Output": {"a": ["{% 1 + %}"]}, "End": true}}});
    let d = load(&definition.to_string()).unwrap_err();
    assert_eq!(d[0].location, "/States/P/Output/a/0");
    assert!(d[0].message.contains("'1 +'"), "{}", d[0].message);
    // The operators added after JSONata 2.0.6 are refused, as AWS refuses them.
    let newer = json!({"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass", "Output": "{% $x ?? 1 %}", "End": true}}});
    let d = load(&newer.to_string()).unwrap_err();
    assert_eq!(d[0].location, "/States/P/Output");
    // `??` is not an operator in 2.0.6: 2.0.6 stops at its second `?` (character 7).
    assert_eq!(d[0].within, Some(7), "{}", d[0].message);
}

#[test]
fn a_jsonata_syntax_error_is_placed_inside_its_string() {
    // Character `within` of the string as written (with `{%` and the blanks before the
    // expression), where the token JSONata complains about starts.
    for (field, within) in [
        ("{% foo bar %}", 7),
        // Nothing after `(`: the end of the expression.
        ("{%   $states.input.( %}", 20),
        ("{% $x := [1, 2 %}", 14),
        // No closing quote: JSONata points at the end.
        ("{%\n  'unterminated %}", 18),
    ] {
        let definition = json!({"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass", "Output": field, "End": true}}});
        let d = load(&definition.to_string()).unwrap_err();
        assert_eq!(
            (field, d[0].within),
            (field, Some(within)),
            "{}",
            d[0].message
        );
    }
}

#[test]
fn timestamps_must_be_rfc3339() {
    let definition = json!({"StartAt": "WaitUntil", "States": {"WaitUntil": {"Type": "Wait", "Timestamp": "2016-03-14T01:59:00", "End": true}}});
    assert_eq!(
        problems(&definition.to_string()),
        ["SCHEMA_VALIDATION_FAILED: String does not match RFC3339 timestamp at /States/WaitUntil/Timestamp"]
    );
}

#[test]
fn the_tutorial_is_valid() {
    let tutorial = include_str!("../../callcenter/src/tutorial.asl.json");
    let machine = load(tutorial).unwrap();
    assert_eq!(machine.states.len(), 7);
    assert_eq!(machine.start_at, "Open Case");
}
