//! TestState (`localstack-api/teststate.jsonl`): one state run once, with its task mocked, and
//! every data-flow stage AWS reported (`inspectionData`) compared with ours.

use crate::compare::{clip, json_difference, Mismatch};
use asl::test_state::{test_state, MockSpec, TestStateRequest};
use asl::NoTasks;
use serde_json::Value;
use std::path::Path;

pub struct TestStateCase {
    pub id: String,
    pub area: &'static str,
    pub uses_jsonata: bool,
    /// Why the case cannot be run offline, when it cannot.
    pub unreproducible: Option<&'static str>,
    raw: Value,
}

pub fn cases(dir: &Path) -> Vec<TestStateCase> {
    let path = dir.join("localstack-api/teststate.jsonl");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let raw: Value = serde_json::from_str(line).expect("a JSON line");
            let is_error = raw["kind"] == "api_error";
            let message = raw["expected"]["api_error"]["message"]
                .as_str()
                .unwrap_or("");
            let unreproducible = if raw["external_call"] == true {
                Some("the result came from a real Lambda function")
            } else if message.starts_with("Mock result schema validation error") {
                Some(
                    "checking a mocked result against the AWS service's API model needs that model",
                )
            } else {
                None
            };
            TestStateCase {
                id: format!("teststate/{}", raw["id"].as_str().unwrap_or("?")),
                area: if is_error {
                    "teststate/rejected"
                } else {
                    "teststate"
                },
                uses_jsonata: line.contains("JSONata") || line.contains("{%"),
                unreproducible,
                raw,
            }
        })
        .collect()
}

pub fn check(case: &TestStateCase) -> Result<(), Mismatch> {
    let raw = &case.raw;
    // The API takes the mocked result as JSON text; the data keeps text that was not JSON as is.
    let mock = raw["mock"].as_object().map(|m| MockSpec {
        result: m
            .get("result")
            .map(|r| match (r, raw["mock_result_is_json"].as_bool()) {
                (Value::String(text), Some(false)) => text.clone(),
                (value, _) => value.to_string(),
            }),
        error_output: m.get("errorOutput").map(|e| {
            (
                e["error"].as_str().unwrap_or("").to_string(),
                e["cause"].as_str().unwrap_or("").to_string(),
            )
        }),
    });
    let request = TestStateRequest {
        definition: raw["state"].clone(),
        state_name: raw["state_name"].as_str().map(str::to_string),
        input: raw["input"].clone(),
        mock,
        context: raw["context"].as_object().map(|c| Value::Object(c.clone())),
        retrier_retry_count: raw["state_configuration"]["retrierRetryCount"]
            .as_u64()
            .unwrap_or(0),
        role_arn: raw["role_arn_provided"] == true,
        reveal_secrets: raw["reveal_secrets"] == true,
        variables: raw["variables"]
            .as_object()
            .map(|v| Value::Object(v.clone())),
        map_iteration_failure_count: raw["state_configuration"]["mapIterationFailureCount"]
            .as_u64(),
    };
    let expected = &raw["expected"];
    let ours = test_state(&request, &mut NoTasks);
    if let Some(error) = expected.get("api_error") {
        return match ours {
            Err(e) if e.code() == error["code"] && e.message() == error["message"] => Ok(()),
            Err(e) => Err(Mismatch::new(
                "different rejection",
                format!(
                    "expected {} '{}', got {} '{}'",
                    error["code"],
                    clip(error["message"].as_str().unwrap_or(""), 90),
                    e.code(),
                    clip(e.message(), 90)
                ),
            )),
            Ok(r) => Err(Mismatch::new(
                "accepted, AWS rejects",
                format!(
                    "AWS rejected with '{}'; we ran it ({})",
                    clip(error["message"].as_str().unwrap_or(""), 100),
                    r.status.as_str()
                ),
            )),
        };
    }
    let result = ours.map_err(|e| {
        Mismatch::new(
            "rejected, AWS ran it",
            format!("{}: {}", e.code(), clip(e.message(), 140)),
        )
    })?;
    if expected["status"] != result.status.as_str() {
        return Err(Mismatch::new(
            "status differs",
            format!(
                "status {}≠{}: {:?} {:?}",
                expected["status"],
                result.status.as_str(),
                result.error,
                result.cause
            ),
        ));
    }
    let same = |key: &str, ours: Option<&str>| -> Result<(), Mismatch> {
        match expected.get(key).and_then(Value::as_str) {
            Some(want) if Some(want) != ours => Err(Mismatch::new(
                format!("{key} differs"),
                format!(
                    "{key} differs: expected '{}' got '{}'",
                    clip(want, 120),
                    clip(ours.unwrap_or(""), 120)
                ),
            )),
            _ => Ok(()),
        }
    };
    same("error", result.error.as_deref())?;
    same("cause", result.cause.as_deref())?;
    same("nextState", result.next_state.as_deref())?;
    if let Some(want) = expected.get("output") {
        let got = result.output.clone().unwrap_or(Value::Null);
        if let Some(at) = json_difference(want, &got) {
            return Err(Mismatch::new(
                "output differs",
                format!("output differs at {at}"),
            ));
        }
    }
    if let Some(Value::Object(want)) = expected.get("inspectionData") {
        let got = result.inspection.to_aws_json();
        for (key, value) in want {
            match got.get(key) {
                None => {
                    return Err(Mismatch::new(
                        format!("no {key}"),
                        format!("inspectionData.{key} missing"),
                    ))
                }
                Some(ours) => {
                    if let Some(at) = json_difference(value, ours) {
                        return Err(Mismatch::new(
                            format!("{key} differs"),
                            format!("inspectionData.{key} differs at {at}"),
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}
