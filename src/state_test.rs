//! The "Test state" tab's request: what the person typed (the input, a mocked result or error,
//! the retry count, and the context and variables) made into AWS's TestState request for the
//! selected state of the definition shown. Each field that is not JSON is named and located,
//! so the tab says which one and where instead of running anything.

use asl::test_state::{MockSpec, TestStateRequest, TestStateResult};
use serde_json::Value;
use std::fmt;

/// How the task's result is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MockKind {
    /// No mock: the playground's functions (and the chosen mocks) answer the task, as a run's.
    #[default]
    None,
    Result,
    Error,
}

/// The tab's fields, as typed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Form {
    pub input: String,
    pub mock: MockKind,
    pub mock_result: String,
    pub mock_error: String,
    pub mock_cause: String,
    pub retry_count: String,
    /// The context object (`$$`); empty: TestState's own.
    pub context: String,
    /// The workflow variables, a JSON object; empty: none.
    pub variables: String,
}

/// A field the request cannot be made from: which, where (line and column, when it is JSON
/// that does not parse), and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub at: Option<(usize, usize)>,
    pub reason: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at {
            Some((line, column)) => write!(
                f,
                "{}: not valid JSON at {line}:{column}: {}.",
                self.field, self.reason
            ),
            None => write!(f, "{}: {}.", self.field, self.reason),
        }
    }
}

/// What the tab fills in before the person types: the input the state had in the run shown
/// (else the execution's input), its last result as the mock of a Task, and the variables it
/// saw.
pub fn prefill(
    state_input: Option<&Value>,
    execution_input: &str,
    last_result: Option<&Value>,
    is_task: bool,
    variables: &serde_json::Map<String, Value>,
) -> Form {
    let (mock, mock_result) = match (is_task, last_result) {
        (true, Some(result)) => (MockKind::Result, pretty(result)),
        (true, None) => (MockKind::None, "{}".into()),
        (false, _) => (MockKind::None, String::new()),
    };
    Form {
        input: state_input.map_or_else(|| execution_input.to_string(), pretty),
        mock,
        mock_result,
        mock_error: "States.TaskFailed".into(),
        mock_cause: String::new(),
        retry_count: "0".into(),
        context: String::new(),
        variables: if variables.is_empty() {
            String::new()
        } else {
            pretty(&Value::Object(variables.clone()))
        },
    }
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// Parses one field's JSON, naming it in the error.
fn json(field: &'static str, text: &str) -> Result<Value, FieldError> {
    serde_json::from_str(text).map_err(|e| {
        let (line, column) = (e.line().max(1), e.column().max(1));
        let message = e.to_string();
        let reason = message
            .strip_suffix(&format!(" at line {} column {}", e.line(), e.column()))
            .unwrap_or(&message)
            .to_string();
        FieldError {
            field,
            at: Some((line, column)),
            reason,
        }
    })
}

/// An optional field: empty (or only spaces) is `None`.
fn optional_json(field: &'static str, text: &str) -> Result<Option<Value>, FieldError> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        json(field, text).map(Some)
    }
}

/// The TestState request for `state` of `definition` (the definition's JSON text).
///
/// The page stands in for the role TestState calls services with, so a Task without a mock is
/// answered as in a run (`role_arn`); the engine checks the rest as AWS does.
pub fn request(definition: &str, state: &str, form: &Form) -> Result<TestStateRequest, FieldError> {
    let definition = json("Definition", definition)?;
    let input = json("Input", &form.input)?;
    let mock = match form.mock {
        MockKind::None => None,
        MockKind::Result => {
            // Checked here to locate the mistake; the engine takes the text, as AWS does.
            json("Mocked result", &form.mock_result)?;
            Some(MockSpec {
                result: Some(form.mock_result.clone()),
                error_output: None,
            })
        }
        MockKind::Error => Some(MockSpec {
            result: None,
            error_output: Some((form.mock_error.clone(), form.mock_cause.clone())),
        }),
    };
    let retrier_retry_count = match form.retry_count.trim() {
        "" => 0,
        text => text.parse::<u64>().map_err(|_| FieldError {
            field: "Retry count",
            at: None,
            reason: format!("'{text}' is not a whole number of retries (0 or more)"),
        })?,
    };
    let context = optional_json("Context", &form.context)?;
    let variables = optional_json("Variables", &form.variables)?;
    if variables.as_ref().is_some_and(|v| !v.is_object()) {
        return Err(FieldError {
            field: "Variables",
            at: None,
            reason: "must be a JSON object of names and values".into(),
        });
    }
    Ok(TestStateRequest {
        definition,
        state_name: Some(state.to_string()),
        input,
        mock,
        context,
        retrier_retry_count,
        role_arn: true,
        reveal_secrets: false,
        variables,
        map_iteration_failure_count: None,
    })
}

/// Every inspection stage of the result, named and ordered as TestState's `inspectionData`.
pub fn stages(result: &TestStateResult) -> Vec<(String, Value)> {
    match result.inspection.to_aws_json() {
        Value::Object(stages) => stages.into_iter().collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use asl::test_state::{test_state, TestStatus};
    use asl::NoTasks;
    use serde_json::json;

    const TUTORIAL: &str = callcenter::TUTORIAL_DEFINITION;

    fn form(input: &str) -> Form {
        Form {
            input: input.into(),
            retry_count: "0".into(),
            ..Form::default()
        }
    }

    #[test]
    fn a_choice_goes_where_its_input_says() {
        for (status, next) in [(1, "Close Case"), (0, "Escalate Case")] {
            let made = request(
                TUTORIAL,
                "Is Case Resolved",
                &form(&format!(r#"{{"Status": {status}}}"#)),
            )
            .unwrap();
            let result = test_state(&made, &mut NoTasks).unwrap();
            assert_eq!(result.status, TestStatus::Succeeded);
            assert_eq!(result.next_state.as_deref(), Some(next));
        }
    }

    #[test]
    fn a_mocked_result_and_a_mocked_error() {
        let mut f = form(r#"{"Case": "001"}"#);
        f.mock = MockKind::Result;
        f.mock_result = r#"{"Case": "001", "Status": 1}"#.into();
        let made = request(TUTORIAL, "Work on Case", &f).unwrap();
        assert_eq!(
            made.mock.as_ref().unwrap().result,
            Some(f.mock_result.clone())
        );
        let result = test_state(&made, &mut NoTasks).unwrap();
        assert_eq!(result.status, TestStatus::Succeeded);
        assert_eq!(result.next_state.as_deref(), Some("Is Case Resolved"));
        let names: Vec<String> = stages(&result).into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            [
                "input",
                "afterInputPath",
                "afterParameters",
                "result",
                "afterResultSelector",
                "afterResultPath"
            ]
        );

        f.mock = MockKind::Error;
        f.mock_error = "Oops".into();
        f.mock_cause = "it broke".into();
        let made = request(TUTORIAL, "Work on Case", &f).unwrap();
        let result = test_state(&made, &mut NoTasks).unwrap();
        assert_eq!(result.status, TestStatus::Failed);
        assert_eq!(result.error.as_deref(), Some("Oops"));
        assert_eq!(result.cause.as_deref(), Some("it broke"));
    }

    #[test]
    fn bad_json_names_the_field_and_the_place() {
        let e = request(TUTORIAL, "Work on Case", &form("{\n  \"a\": }")).unwrap_err();
        assert_eq!(e.field, "Input");
        assert_eq!(e.at, Some((2, 8)));
        assert_eq!(
            e.to_string(),
            "Input: not valid JSON at 2:8: expected value."
        );

        let mut f = form("{}");
        f.mock = MockKind::Result;
        f.mock_result = "[1,".into();
        let e = request(TUTORIAL, "Work on Case", &f).unwrap_err();
        assert_eq!((e.field, e.at), ("Mocked result", Some((1, 3))));

        let mut f = form("{}");
        f.context = "{x}".into();
        assert_eq!(
            request(TUTORIAL, "Work on Case", &f).unwrap_err().field,
            "Context"
        );
        let mut f = form("{}");
        f.variables = "[1]".into();
        let e = request(TUTORIAL, "Work on Case", &f).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Variables: must be a JSON object of names and values."
        );
        let mut f = form("{}");
        f.retry_count = "-1".into();
        assert_eq!(
            request(TUTORIAL, "Work on Case", &f).unwrap_err().field,
            "Retry count"
        );
        // An unmocked mock kind ignores what its fields hold.
        let mut f = form("{}");
        f.mock_result = "not json".into();
        assert!(request(TUTORIAL, "Work on Case", &f).is_ok());
    }

    #[test]
    fn variables_and_context_reach_the_state() {
        let definition = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"who.$": "$who", "name.$": "$$.Execution.Name"}, "End": true}}}"#;
        let mut f = form("{}");
        f.variables = r#"{"who": "Ana"}"#.into();
        f.context = r#"{"Execution": {"Name": "mine"}}"#.into();
        let result = test_state(&request(definition, "P", &f).unwrap(), &mut NoTasks).unwrap();
        assert_eq!(result.output, Some(json!({"who": "Ana", "name": "mine"})));
        assert!(stages(&result)
            .iter()
            .any(|(n, v)| n == "variables" && *v == json!({"who": "Ana"})));
    }

    #[test]
    fn retries_then_the_catch() {
        let definition = r#"{"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:F",
                  "Retry": [{"ErrorEquals": ["Boom"], "MaxAttempts": 2}],
                  "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handle"}], "End": true},
            "Handle": {"Type": "Pass", "End": true}}}"#;
        let mut f = form("{}");
        f.mock = MockKind::Error;
        f.mock_error = "Boom".into();
        let run =
            |f: &Form| test_state(&request(definition, "T", f).unwrap(), &mut NoTasks).unwrap();
        assert_eq!(run(&f).status, TestStatus::Retriable);
        f.retry_count = "2".into();
        let caught = run(&f);
        assert_eq!(caught.status, TestStatus::CaughtError);
        assert_eq!(caught.next_state.as_deref(), Some("Handle"));
    }

    #[test]
    fn prefilled_from_the_run() {
        let vars = serde_json::Map::new();
        let f = prefill(
            Some(&json!({"a": 1})),
            "{\"x\": 2}",
            Some(&json!({"r": 3})),
            true,
            &vars,
        );
        assert_eq!(f.input, "{\n  \"a\": 1\n}");
        assert_eq!(
            (f.mock, f.mock_result.as_str()),
            (MockKind::Result, "{\n  \"r\": 3\n}")
        );
        assert_eq!(f.variables, "");
        let f = prefill(None, "{\"x\": 2}", None, false, &vars);
        assert_eq!((f.input.as_str(), f.mock), ("{\"x\": 2}", MockKind::None));
    }
}
