//! Mock configuration files (Step Functions Local's `MockConfigFile.json`): parsing, invocation
//! ranges, Return and Throw, the fallback handler, and located errors for malformed files.

use asl::mock::{MockAnswer, MockConfig, MockTasks};
use asl::{load, Execution, ExecutionConfig, Status, TaskHandler, TaskOutcome, TaskRequest};
use serde_json::{json, Value};
use std::sync::Arc;

/// The example of the AWS documentation, with the Lambda's result simplified.
const RETRY_PATH: &str = r#"{
  "StateMachines": {
    "LambdaSQSIntegration": {
      "TestCases": {
        "HappyPath": { "LambdaState": "MockedLambdaSuccess", "SQSState": "MockedSQSSuccess" },
        "RetryPath": { "LambdaState": "MockedLambdaRetry", "SQSState": "MockedSQSSuccess" },
        "HybridPath": { "LambdaState": "MockedLambdaSuccess" }
      }
    }
  },
  "MockedResponses": {
    "MockedLambdaSuccess": {
      "0": { "Return": { "StatusCode": 200, "Payload": { "StatusCode": 200, "body": "Hello from Lambda!" } } }
    },
    "LambdaMockedResourceNotReady": {
      "0": { "Throw": { "Error": "Lambda.ResourceNotReadyException", "Cause": "Lambda resource is not ready." } }
    },
    "MockedSQSSuccess": {
      "0": { "Return": { "MD5OfMessageBody": "3bcb6e8e-7h85-4375-b0bc-1a59812c6e51", "MessageId": "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51" } }
    },
    "MockedLambdaRetry": {
      "0": { "Throw": { "Error": "Lambda.ResourceNotReadyException", "Cause": "Lambda resource is not ready." } },
      "1-2": { "Throw": { "Error": "Lambda.TimeoutException", "Cause": "Lambda timed out." } },
      "3": { "Return": { "StatusCode": 200, "Payload": { "StatusCode": 200, "body": "Hello from Lambda!" } } }
    }
  }
}"#;

fn invoke(tasks: &mut dyn TaskHandler, state: &str) -> TaskOutcome {
    let mut random = || 0.25;
    tasks.invoke(TaskRequest {
        resource: "arn:aws:lambda:us-east-2:123456789012:function:Anything",
        input: &json!({"in": 1}),
        state_name: state,
        random: &mut random,
    })
}

fn throw(error: &str, cause: &str) -> TaskOutcome {
    TaskOutcome::Failed {
        error: error.into(),
        cause: cause.into(),
    }
}

fn errors(text: &str) -> Vec<String> {
    match MockConfig::parse(text) {
        Ok(_) => panic!("expected errors for {text}"),
        Err(errors) => errors,
    }
}

#[test]
fn parses_the_aws_example() {
    let config = MockConfig::parse(RETRY_PATH).unwrap();
    assert_eq!(
        config.state_machines().collect::<Vec<_>>(),
        ["LambdaSQSIntegration"]
    );
    assert_eq!(
        config
            .test_cases("LambdaSQSIntegration")
            .collect::<Vec<_>>(),
        ["HappyPath", "RetryPath", "HybridPath"]
    );
    assert_eq!(config.test_cases("Nope").count(), 0);
    let retry = config.response("MockedLambdaRetry").unwrap();
    assert!(
        matches!(retry.answer(0), Some(MockAnswer::Throw { error, .. }) if error == "Lambda.ResourceNotReadyException")
    );
    assert!(
        matches!(retry.answer(2), Some(MockAnswer::Throw { error, .. }) if error == "Lambda.TimeoutException")
    );
    assert!(matches!(retry.answer(3), Some(MockAnswer::Return(_))));
    assert_eq!(retry.answer(4), None);
}

#[test]
fn invocations_walk_through_the_ranges() {
    let config = MockConfig::parse(RETRY_PATH).unwrap();
    let mut tasks = config
        .test_case("LambdaSQSIntegration", "RetryPath")
        .unwrap();
    assert!(tasks.mocks("LambdaState"));
    assert_eq!(
        invoke(&mut tasks, "LambdaState"),
        throw(
            "Lambda.ResourceNotReadyException",
            "Lambda resource is not ready."
        )
    );
    let timed_out = throw("Lambda.TimeoutException", "Lambda timed out.");
    assert_eq!(invoke(&mut tasks, "LambdaState"), timed_out);
    // Another state has its own counter.
    assert_eq!(
        invoke(&mut tasks, "SQSState"),
        TaskOutcome::Succeeded(json!({
            "MD5OfMessageBody": "3bcb6e8e-7h85-4375-b0bc-1a59812c6e51",
            "MessageId": "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51"
        }))
    );
    assert_eq!(invoke(&mut tasks, "LambdaState"), timed_out);
    assert_eq!(
        invoke(&mut tasks, "LambdaState"),
        TaskOutcome::Succeeded(
            json!({"StatusCode": 200, "Payload": {"StatusCode": 200, "body": "Hello from Lambda!"}})
        )
    );
    assert_eq!(tasks.invocations("LambdaState"), 4);
    assert_eq!(tasks.invocations("SQSState"), 1);
}

#[test]
fn past_the_last_range_the_task_fails_with_states_runtime() {
    // Step Functions Local: a mocked task needs a response for every invocation; it does not
    // repeat the last one.
    let config = MockConfig::parse(RETRY_PATH).unwrap();
    let mut tasks = config
        .test_case("LambdaSQSIntegration", "HappyPath")
        .unwrap();
    assert!(matches!(
        invoke(&mut tasks, "LambdaState"),
        TaskOutcome::Succeeded(_)
    ));
    match invoke(&mut tasks, "LambdaState") {
        TaskOutcome::Failed { error, cause } => {
            assert_eq!(error, "States.Runtime");
            assert!(cause.contains("'MockedLambdaSuccess'"), "{cause}");
            assert!(cause.contains("'LambdaState'"), "{cause}");
            assert!(cause.contains("invocation 1"), "{cause}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn gaps_and_empty_responses_fail_at_run_time_not_at_parse_time() {
    // As in Step Functions Local, which resolves a response only when it is used.
    let config = MockConfig::parse(
        r#"{
          "StateMachines": {"M": {"TestCases": {"T": {"A": "Gap", "B": "Empty"}}}},
          "MockedResponses": {
            "Gap": {"0": {"Return": 0}, "2": {"Return": 2}},
            "Empty": {}
          }
        }"#,
    )
    .unwrap();
    let mut tasks = config.test_case("M", "T").unwrap();
    assert_eq!(invoke(&mut tasks, "A"), TaskOutcome::Succeeded(json!(0)));
    assert!(
        matches!(invoke(&mut tasks, "A"), TaskOutcome::Failed { error, .. } if error == "States.Runtime")
    );
    assert_eq!(invoke(&mut tasks, "A"), TaskOutcome::Succeeded(json!(2)));
    assert!(
        matches!(invoke(&mut tasks, "B"), TaskOutcome::Failed { error, .. } if error == "States.Runtime")
    );
}

#[test]
fn return_can_be_any_json_value() {
    let config = MockConfig::parse(
        r#"{"StateMachines": {"M": {"TestCases": {"T": {"A": "R"}}}},
            "MockedResponses": {"R": {"0": {"Return": "text"}, "1": {"Return": null}, "2": {"Return": [1, 2]}}}}"#,
    )
    .unwrap();
    let mut tasks = config.test_case("M", "T").unwrap();
    assert_eq!(
        invoke(&mut tasks, "A"),
        TaskOutcome::Succeeded(json!("text"))
    );
    assert_eq!(invoke(&mut tasks, "A"), TaskOutcome::Succeeded(Value::Null));
    assert_eq!(
        invoke(&mut tasks, "A"),
        TaskOutcome::Succeeded(json!([1, 2]))
    );
}

#[test]
fn unmocked_states_go_to_the_fallback() {
    let config = MockConfig::parse(RETRY_PATH).unwrap();
    // Default fallback: nothing answers.
    let mut tasks = config
        .test_case("LambdaSQSIntegration", "HybridPath")
        .unwrap();
    assert!(!tasks.mocks("SQSState"));
    assert_eq!(invoke(&mut tasks, "SQSState"), TaskOutcome::NotFound);

    struct Echo;
    impl TaskHandler for Echo {
        fn invoke(&mut self, request: TaskRequest<'_>) -> TaskOutcome {
            TaskOutcome::Succeeded(json!({"echo": request.state_name, "input": request.input}))
        }
    }
    let mut tasks = config
        .test_case("LambdaSQSIntegration", "HybridPath")
        .unwrap()
        .with_fallback(Box::new(Echo));
    assert_eq!(
        invoke(&mut tasks, "SQSState"),
        TaskOutcome::Succeeded(json!({"echo": "SQSState", "input": {"in": 1}}))
    );
    assert!(
        matches!(invoke(&mut tasks, "LambdaState"), TaskOutcome::Succeeded(v) if v["StatusCode"] == 200)
    );
    assert_eq!(
        tasks.invocations("SQSState"),
        0,
        "only mocked states are counted"
    );
}

#[test]
fn unknown_state_machines_and_test_cases_are_named() {
    let config = MockConfig::parse(RETRY_PATH).unwrap();
    let err = |sm: &str, tc: &str| match config.test_case(sm, tc) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e,
    };
    assert_eq!(
        err("Other", "HappyPath"),
        "no state machine named 'Other' in the mock config (its state machines: LambdaSQSIntegration)"
    );
    assert_eq!(
        err("LambdaSQSIntegration", "SadPath"),
        "state machine 'LambdaSQSIntegration' has no test case 'SadPath' (its test cases: HappyPath, RetryPath, HybridPath)"
    );
}

#[test]
fn a_whole_execution_with_mocks() {
    let machine = load(
        r#"{
          "StartAt": "Call",
          "States": {
            "Call": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-2:123456789012:function:Call", "Next": "Again"},
            "Again": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "ResultPath": "$.sent", "End": true}
          }
        }"#,
    )
    .unwrap();
    let config = MockConfig::parse(
        r#"{"StateMachines": {"M": {"TestCases": {
              "Happy": {"Call": "Ok", "Again": "Sent"},
              "Sad": {"Call": "Ok", "Again": "Boom"}}}},
            "MockedResponses": {
              "Ok": {"0": {"Return": {"called": true}}},
              "Sent": {"0": {"Return": {"MessageId": "m-1"}}},
              "Boom": {"0": {"Throw": {"Error": "SQS.QueueDoesNotExist", "Cause": "No queue."}}}}}"#,
    )
    .unwrap();
    let machine = Arc::new(machine);
    let run = |case: &str| {
        let mut tasks: MockTasks = config.test_case("M", case).unwrap();
        let mut run = Execution::new(machine.clone(), json!({}), ExecutionConfig::default());
        run.run_to_end(&mut tasks);
        run
    };
    let happy = run("Happy");
    assert_eq!(happy.status(), Status::Succeeded);
    assert_eq!(
        happy.output(),
        Some(&json!({"called": true, "sent": {"MessageId": "m-1"}}))
    );
    let sad = run("Sad");
    assert_eq!(sad.status(), Status::Failed);
    assert_eq!(
        sad.failure().unwrap().error_str(),
        Some("SQS.QueueDoesNotExist")
    );
    assert_eq!(sad.failure().unwrap().cause_str(), Some("No queue."));
    assert!(sad.history().iter().any(|e| e.event_type() == "TaskFailed"));
}

#[test]
fn syntax_errors_have_a_line_and_column() {
    assert_eq!(
        errors("{\n  \"StateMachines\": {},\n  \"MockedResponses\": \n}"),
        ["4:1: invalid JSON: expected value"]
    );
    assert_eq!(errors(""), ["1:0: invalid JSON: EOF while parsing a value"]);
}

#[test]
fn the_structure_is_checked_everywhere_with_locations() {
    assert_eq!(errors("[]"), ["/: expected an object, found an array"]);
    assert_eq!(
        errors("{}"),
        [
            "/: \"StateMachines\" is required",
            "/: \"MockedResponses\" is required"
        ]
    );
    assert_eq!(
        errors(r#"{"StateMachines": {}, "MockedResponse": {}}"#),
        [
            "/: unknown field \"MockedResponse\" (expected \"StateMachines\" or \"MockedResponses\")",
            "/: \"MockedResponses\" is required"
        ]
    );
    assert_eq!(
        errors(r#"{"StateMachines": [], "MockedResponses": 3}"#),
        [
            "MockedResponses: expected an object, found a number",
            "StateMachines: expected an object, found an array"
        ]
    );
    assert_eq!(
        errors(
            r#"{"StateMachines": {"A": {}, "B": {"TestCases": {"T": {"S": 1, "U": "Missing"}}, "Tests": {}}, "C": {"TestCases": {"T": []}}},
                "MockedResponses": {}}"#
        ),
        [
            "StateMachines/A: \"TestCases\" is required",
            "StateMachines/B: unknown field \"Tests\" (expected \"TestCases\")",
            "StateMachines/B/TestCases/T/S: expected the name of a mocked response (a string), found a number",
            "StateMachines/B/TestCases/T/U: no mocked response named \"Missing\" in MockedResponses",
            "StateMachines/C/TestCases/T: expected an object, found an array",
        ]
    );
}

#[test]
fn responses_are_checked_with_locations() {
    let text = r#"{"StateMachines": {"M": {"TestCases": {"T": {"S": "Foo"}}}},
        "MockedResponses": {
          "Foo": {
            "0": {"Throw": {"Error": "E"}},
            "1": {"Return": 1, "Throw": {"Error": "E", "Cause": "C"}},
            "2": {},
            "3": {"Throw": {"Error": 5, "Cause": "C", "Trace": "x"}},
            "4": {"Return": 1, "Retrun": 2},
            "5": "Return",
            "x": {"Return": 1},
            "7-6": {"Return": 1},
            "1-": {"Return": 1},
            "-1": {"Return": 1},
            "99999999999999999999999": {"Return": 1}
          },
          "Bar": {"0-3": {"Return": 1}, "2": {"Return": 2}},
          "Baz": []
        }}"#;
    let range = "the key must be an invocation number (\"0\") or an inclusive range of invocation numbers (\"1-2\")";
    assert_eq!(
        errors(text),
        [
            "MockedResponses/Foo/0/Throw: \"Cause\" is required".to_string(),
            "MockedResponses/Foo/1: a response has either \"Return\" or \"Throw\", not both".into(),
            "MockedResponses/Foo/2: \"Return\" or \"Throw\" is required".into(),
            "MockedResponses/Foo/3/Throw: unknown field \"Trace\" (expected \"Error\" or \"Cause\")".into(),
            "MockedResponses/Foo/3/Throw: \"Error\" must be a string, found a number".into(),
            "MockedResponses/Foo/4: unknown field \"Retrun\" (expected \"Return\" or \"Throw\")".into(),
            "MockedResponses/Foo/5: expected an object, found a string".into(),
            format!("MockedResponses/Foo/x: {range}"),
            "MockedResponses/Foo/7-6: the range \"7-6\" is empty: 7 is greater than 6".into(),
            format!("MockedResponses/Foo/1-: {range}"),
            format!("MockedResponses/Foo/-1: {range}"),
            format!("MockedResponses/Foo/99999999999999999999999: {range}"),
            "MockedResponses/Bar: invocation 2 is covered twice (by \"0-3\" and \"2\")".into(),
            "MockedResponses/Baz: expected an object, found an array".into(),
        ]
    );
}

#[test]
fn never_panics_on_odd_input() {
    for text in [
        "null",
        "\"x\"",
        "{\"StateMachines\": null, \"MockedResponses\": null}",
        "{\"StateMachines\": {\"M\": null}, \"MockedResponses\": {\"R\": null}}",
        "{\"StateMachines\": {\"M\": {\"TestCases\": null}}, \"MockedResponses\": {\"R\": {\"0\": null}}}",
        "{\"StateMachines\": {\"M\": {\"TestCases\": {\"T\": null}}}, \"MockedResponses\": {\"R\": {\"0\": {\"Throw\": null}}}}",
        "{\"StateMachines\": {}, \"MockedResponses\": {\"R\": {\"18446744073709551615\": {\"Return\": 1}, \"0-18446744073709551615\": {\"Return\": 1}}}}",
        "{\"StateMachines\"",
        "\u{feff}{}",
    ] {
        assert!(MockConfig::parse(text).is_err(), "{text}");
    }
    // The largest invocation number is fine on its own.
    let config = MockConfig::parse(
        r#"{"StateMachines": {"M": {"TestCases": {"T": {"A": "R"}}}}, "MockedResponses": {"R": {"0-18446744073709551615": {"Return": 1}}}}"#,
    )
    .unwrap();
    assert_eq!(
        config.response("R").unwrap().answer(u64::MAX),
        Some(&MockAnswer::Return(json!(1)))
    );
}
