//! Comparing our verdict on a definition with AWS's: valid or not, then each diagnostic's code,
//! message and location, in order.

use crate::cases::{AwsDiagnostic, ValidationCase};
use crate::compare::{clip, Mismatch};
use asl::{load_as, Diagnostic, MachineType};

pub fn check(case: &ValidationCase) -> Result<(), Mismatch> {
    let machine_type = match case.state_machine_type.as_deref() {
        Some("EXPRESS") => MachineType::Express,
        _ => MachineType::Standard,
    };
    let ours = load_as(&case.machine_text(), machine_type)
        .err()
        .unwrap_or_default();
    let Some(expected) = case.expected_diagnostics() else {
        // AWS's message is not a definition diagnostic: a TestState-only rejection.
        let message = case.expected.message.as_deref().unwrap_or("");
        let request = asl::test_state::TestStateRequest {
            definition: serde_json::from_str(&case.definition_text).unwrap_or_default(),
            state_name: case.test_state.as_ref().and_then(|t| t.state_name.clone()),
            role_arn: true,
            ..Default::default()
        };
        return match asl::test_state::test_state(&request, &mut asl::NoTasks) {
            Err(e) if e.message() == message => Ok(()),
            Err(e) => Err(Mismatch::new(
                "different TestState rejection",
                format!(
                    "expected '{}', got '{}'",
                    clip(message, 100),
                    clip(e.message(), 100)
                ),
            )),
            Ok(_) => Err(Mismatch::new(
                "TestState ran what AWS rejects",
                format!("AWS rejected with '{}'", clip(message, 100)),
            )),
        };
    };
    match (expected.first(), ours.first()) {
        (None, None) => Ok(()),
        (None, Some(_)) => Err(Mismatch::new(
            format!("valid in AWS, rejected: {}", ours[0].code.as_str()),
            format!(
                "valid in AWS, rejected: {}",
                clip(&ours[0].aws_message(), 140)
            ),
        )),
        (Some(want), None) => Err(Mismatch::new(
            format!("accepted, AWS rejects: {}", want.code),
            format!("accepted, AWS rejects: {}", clip(&aws_message(want), 140)),
        )),
        (Some(_), Some(_)) => compare_lists(&expected, &ours),
    }
}

fn compare_lists(expected: &[AwsDiagnostic], ours: &[Diagnostic]) -> Result<(), Mismatch> {
    for (i, (want, got)) in expected.iter().zip(ours).enumerate() {
        let n = i + 1;
        if want.code != got.code.as_str() {
            return Err(Mismatch::new(
                format!("code {}≠{}", want.code, got.code.as_str()),
                format!(
                    "diagnostic {n}: code {}≠{}: ours is '{}'",
                    want.code,
                    got.code.as_str(),
                    clip(&got.aws_message(), 120)
                ),
            ));
        }
        if want.message != got.message {
            return Err(Mismatch::new(
                format!("message differs ({})", want.code),
                format!(
                    "diagnostic {n}: message differs: expected '{}' got '{}'",
                    clip(&want.message, 90),
                    clip(&got.message, 90)
                ),
            ));
        }
        // AWS leaves the location out for some problems: nothing to compare then.
        if let Some(location) = want.location.as_deref().filter(|l| *l != got.location) {
            return Err(Mismatch::new(
                "location differs",
                format!(
                    "diagnostic {n}: location differs: expected '{location}' got '{}'",
                    got.location
                ),
            ));
        }
    }
    if let Some(extra) = ours.get(expected.len()) {
        return Err(Mismatch::new(
            "more diagnostics than AWS",
            format!(
                "{} diagnostics expected, {} found; the first extra: '{}'",
                expected.len(),
                ours.len(),
                clip(&extra.aws_message(), 100)
            ),
        ));
    }
    if let Some(missing) = expected.get(ours.len()) {
        return Err(Mismatch::new(
            "fewer diagnostics than AWS",
            format!(
                "{} diagnostics expected, {} found; the first missing: '{}'",
                expected.len(),
                ours.len(),
                clip(&aws_message(missing), 100)
            ),
        ));
    }
    Ok(())
}

fn aws_message(d: &AwsDiagnostic) -> String {
    match &d.location {
        Some(location) => format!("{}: {} at {location}", d.code, d.message),
        None => format!("{}: {}", d.code, d.message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn case(api: &str, text: &str, expected: Value, test_state: Value) -> ValidationCase {
        serde_json::from_value(json!({
            "id": "v/1",
            "api": api,
            "state_machine_type": "STANDARD",
            "definition_text": text,
            "expected": expected,
            "test_state": test_state
        }))
        .unwrap()
    }

    fn rejected(code: &str, detail: &str, location: &str) -> Value {
        json!({"valid": false, "message": "…", "parsed": {"code": code, "detail": detail, "location": location}})
    }

    #[test]
    fn an_invalid_definition_is_compared_diagnostic_by_diagnostic() {
        let text = r#"{"StartAt": "A"}"#;
        let same = rejected(
            "SCHEMA_VALIDATION_FAILED",
            "These fields are required: [States]",
            "/",
        );
        assert_eq!(
            check(&case("CreateStateMachine", text, same, Value::Null)),
            Ok(())
        );
        let elsewhere = rejected(
            "SCHEMA_VALIDATION_FAILED",
            "These fields are required: [States]",
            "/States",
        );
        assert_eq!(
            check(&case("CreateStateMachine", text, elsewhere, Value::Null))
                .unwrap_err()
                .reason,
            "diagnostic 1: location differs: expected '/States' got '/'"
        );
    }

    #[test]
    fn validate_answers_are_lists_and_may_leave_out_the_location() {
        let valid = json!({"valid": true, "diagnostics": []});
        let text = r#"{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}"#;
        assert_eq!(
            check(&case(
                "ValidateStateMachineDefinition",
                text,
                valid,
                Value::Null
            )),
            Ok(())
        );
        let no_location = json!({"valid": false, "diagnostics": [
            {"code": "SCHEMA_VALIDATION_FAILED", "message": "These fields are required: [States]"}
        ]});
        let text = r#"{"StartAt": "A"}"#;
        assert_eq!(
            check(&case(
                "ValidateStateMachineDefinition",
                text,
                no_location,
                Value::Null
            )),
            Ok(())
        );
    }

    #[test]
    fn test_state_checks_a_single_state_as_the_state_named_state_name() {
        let c = case(
            "TestState",
            r#"{"Type": "Succeed"}"#,
            json!({"valid": true}),
            json!({"state_name": null}),
        );
        assert_eq!(c.area(), "validation/teststate");
        assert_eq!(
            serde_json::from_str::<Value>(&c.machine_text()).unwrap(),
            json!({"StartAt": "StateName", "States": {"StateName": {"Type": "Succeed"}}})
        );
    }
}
