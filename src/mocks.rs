//! The page's mocks: a MockConfigFile (Step Functions Local's format) that the person edits,
//! and the test case of it that answers the runs' Task states. The file's text is the one
//! truth; what it holds (its test cases) is read from it when asked.

use asl::mock::MockConfig;
use serde_json::{json, Map, Value};

/// A test case, as Step Functions Local names one after the state machine's ARN:
/// `StateMachine#TestCase`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestCase {
    pub state_machine: String,
    pub test_case: String,
}

impl TestCase {
    pub fn new(state_machine: &str, test_case: &str) -> TestCase {
        TestCase {
            state_machine: state_machine.into(),
            test_case: test_case.into(),
        }
    }

    /// `StateMachine#TestCase`.
    pub fn label(&self) -> String {
        format!("{}#{}", self.state_machine, self.test_case)
    }

    /// Reads [`Self::label`] back.
    pub fn from_label(label: &str) -> Option<TestCase> {
        let (state_machine, test_case) = label.split_once('#')?;
        Some(TestCase::new(state_machine, test_case))
    }
}

/// The test cases a MockConfigFile holds, in its order; why it cannot be read otherwise. An
/// empty text holds none.
pub fn test_cases(text: &str) -> Result<Vec<TestCase>, Vec<String>> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let config = MockConfig::parse(text)?;
    Ok(config
        .state_machines()
        .flat_map(|m| config.test_cases(m).map(move |c| TestCase::new(m, c)))
        .collect())
}

/// `chosen` if the text still has it, else its first test case.
pub fn keep_or_first(text: &str, chosen: Option<&TestCase>) -> Option<TestCase> {
    let cases = test_cases(text).ok()?;
    chosen
        .filter(|c| cases.contains(c))
        .cloned()
        .or_else(|| cases.into_iter().next())
}

/// The MockConfigFile with a mock added for the Task state `state` in `case` (made when there
/// is none): its first invocation returns `result`. `Err` when the text is not a JSON object.
pub fn add_mock(
    text: &str,
    case: Option<&TestCase>,
    state: &str,
    result: Value,
) -> Result<(String, TestCase), String> {
    let mut config: Value = if text.trim().is_empty() {
        json!({})
    } else {
        serde_json::from_str(text).map_err(|e| format!("the mocks are not JSON ({e})"))?
    };
    let Value::Object(root) = &mut config else {
        return Err("the mocks are not a JSON object".into());
    };
    let case = case
        .cloned()
        .unwrap_or_else(|| TestCase::new("Playground", "Mocked"));
    let object = |v: &mut Value| {
        if !v.is_object() {
            *v = Value::Object(Map::new());
        }
    };
    // A name for the response that no other has: `<State>Mock`, `<State>Mock2` …
    let responses = root.entry("MockedResponses").or_insert_with(|| json!({}));
    object(responses);
    let taken = |name: &str| responses.get(name).is_some();
    let base = format!("{}Mock", state.replace(char::is_whitespace, ""));
    let name = (1..)
        .map(|n| {
            if n == 1 {
                base.clone()
            } else {
                format!("{base}{n}")
            }
        })
        .find(|n| !taken(n))
        .unwrap_or(base);
    responses[&name] = json!({ "0": { "Return": result } });
    let machines = root.entry("StateMachines").or_insert_with(|| json!({}));
    object(machines);
    let machine = machines.as_object_mut().map(|m| {
        m.entry(case.state_machine.clone())
            .or_insert_with(|| json!({}))
    });
    if let Some(machine) = machine {
        object(machine);
        let cases = machine
            .as_object_mut()
            .map(|m| m.entry("TestCases").or_insert_with(|| json!({})));
        if let Some(cases) = cases {
            object(cases);
            if let Some(cases) = cases.as_object_mut() {
                let states = cases
                    .entry(case.test_case.clone())
                    .or_insert_with(|| json!({}));
                object(states);
                states[state] = Value::String(name);
            }
        }
    }
    let text = serde_json::to_string_pretty(&config).map_err(|e| e.to_string())?;
    Ok((text, case))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mock_is_added_to_the_chosen_test_case_and_reads_back() {
        let (text, case) = add_mock("", None, "Notify Customer", json!({"sent": true})).unwrap();
        assert_eq!(case, TestCase::new("Playground", "Mocked"));
        let cases = test_cases(&text).unwrap();
        assert_eq!(cases, [case.clone()]);
        // Twice: a second response, the state pointing at it.
        let (again, _) = add_mock(&text, Some(&case), "Notify Customer", json!(1)).unwrap();
        let value: Value = serde_json::from_str(&again).unwrap();
        assert_eq!(
            value["StateMachines"]["Playground"]["TestCases"]["Mocked"]["Notify Customer"],
            "NotifyCustomerMock2"
        );
        assert_eq!(
            value["MockedResponses"]["NotifyCustomerMock"]["0"]["Return"]["sent"],
            true
        );
        assert!(asl::mock::MockConfig::parse(&again).is_ok());
    }

    #[test]
    fn bad_mocks_say_why_and_are_not_replaced() {
        assert!(test_cases("{").is_err());
        assert!(add_mock("[1]", None, "A", json!({})).is_err());
        assert!(add_mock("{", None, "A", json!({})).is_err());
        assert_eq!(test_cases("  ").unwrap(), []);
    }

    #[test]
    fn labels_read_back() {
        let case = TestCase::new("RetryCatch", "Throttled");
        assert_eq!(TestCase::from_label(&case.label()), Some(case));
        assert_eq!(TestCase::from_label("nohash"), None);
    }
}
