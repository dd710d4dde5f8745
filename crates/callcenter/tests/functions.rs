//! The five functions through the public handler, compared with what the tutorial's JavaScript
//! gives on Node.js 20 (outputs compared as JSON text, so key order counts).

use asl::{TaskHandler, TaskOutcome, TaskRequest};
use callcenter::{CallCenter, WorkOnCase, FUNCTION_NAMES, TUTORIAL_DEFINITION, TUTORIAL_INPUT};
use serde_json::Value;

const ARN: &str = "arn:aws:lambda:us-east-2:123456789012:function:";

/// Runs `function` (a name, completed into the tutorial's ARN) on the JSON `input`, with
/// `Math.random()` returning `random`.
fn run_with(mode: WorkOnCase, function: &str, input: &str, random: f64) -> TaskOutcome {
    let resource = if function.starts_with("arn:") {
        function.to_owned()
    } else {
        format!("{ARN}{function}")
    };
    let input: Value = serde_json::from_str(input).unwrap();
    let mut draw = || random;
    let mut handler = CallCenter { work_on_case: mode };
    handler.invoke(TaskRequest {
        resource: &resource,
        input: &input,
        state_name: "State",
        random: &mut draw,
    })
}

/// The output of `function` on `input`, as JSON text.
fn output(function: &str, input: &str) -> String {
    output_with(WorkOnCase::Random, function, input, 0.7)
}

fn output_with(mode: WorkOnCase, function: &str, input: &str, random: f64) -> String {
    match run_with(mode, function, input, random) {
        TaskOutcome::Succeeded(value) => serde_json::to_string(&value).unwrap(),
        other => panic!("{function}({input}) did not succeed: {other:?}"),
    }
}

/// The error and the parsed cause of a failing `function`.
fn failure(function: &str, input: &str) -> (String, Value) {
    match run_with(WorkOnCase::Random, function, input, 0.7) {
        TaskOutcome::Failed { error, cause } => (error, serde_json::from_str(&cause).unwrap()),
        other => panic!("{function}({input}) did not fail: {other:?}"),
    }
}

#[test]
fn the_tutorial_path_resolved() {
    let input: Value = serde_json::from_str(TUTORIAL_INPUT).unwrap();
    assert_eq!(input.to_string(), r#"{"inputCaseID":"001"}"#);

    let opened = output("OpenCase", TUTORIAL_INPUT);
    assert_eq!(opened, r#"{"Case":"001","Message":"Case 001: opened..."}"#);
    let assigned = output("AssignCase", &opened);
    assert_eq!(
        assigned,
        r#"{"Case":"001","Message":"Case 001: opened...assigned..."}"#
    );
    let worked = output_with(WorkOnCase::Resolved, "WorkOnCase", &assigned, 0.0);
    assert_eq!(
        worked,
        r#"{"Case":"001","Status":1,"Message":"Case 001: opened...assigned...resolved..."}"#
    );
    let closed = output("CloseCase", &worked);
    assert_eq!(
        closed,
        r#"{"Case":"001","Status":1,"Message":"Case 001: opened...assigned...resolved...closed."}"#
    );
}

#[test]
fn the_tutorial_path_unresolved() {
    let assigned = r#"{"Case":"001","Message":"Case 001: opened...assigned..."}"#;
    let worked = output_with(WorkOnCase::Unresolved, "WorkOnCase", assigned, 0.99);
    assert_eq!(
        worked,
        r#"{"Case":"001","Status":0,"Message":"Case 001: opened...assigned...unresolved..."}"#
    );
    let escalated = output("EscalateCase", &worked);
    assert_eq!(
        escalated,
        r#"{"Case":"001","Status":0,"Message":"Case 001: opened...assigned...unresolved...escalating."}"#
    );
}

#[test]
fn work_on_case_random_uses_math_random_as_the_tutorial_does() {
    let assigned = r#"{"Case":"001","Message":"m "}"#;
    // Math.floor(Math.random() * (max - min + 1)) + min, min 0, max 1.
    for (random, status, word) in [
        (0.0, 0, "unresolved..."),
        (0.49, 0, "unresolved..."),
        (0.4999999999999999, 0, "unresolved..."),
        (0.5, 1, "resolved..."),
        (0.9999999999999999, 1, "resolved..."),
    ] {
        assert_eq!(
            output_with(WorkOnCase::Random, "WorkOnCase", assigned, random),
            format!(r#"{{"Case":"001","Status":{status},"Message":"m {word}"}}"#),
            "Math.random() = {random}"
        );
    }
    // Out of Math.random()'s range, the JavaScript takes neither branch and keeps the message.
    assert_eq!(
        output_with(WorkOnCase::Random, "WorkOnCase", assigned, 1.0),
        r#"{"Case":"001","Status":2,"Message":"m "}"#
    );
}

#[test]
fn work_on_case_draws_one_random_number_in_every_mode() {
    for mode in [
        WorkOnCase::Random,
        WorkOnCase::Resolved,
        WorkOnCase::Unresolved,
    ] {
        let mut calls = 0;
        let mut draw = || {
            calls += 1;
            0.25
        };
        let input = serde_json::json!({"Case": "001", "Message": ""});
        let resource = format!("{ARN}WorkOnCase");
        let outcome = CallCenter { work_on_case: mode }.invoke(TaskRequest {
            resource: &resource,
            input: &input,
            state_name: "Work on Case",
            random: &mut draw,
        });
        assert!(matches!(outcome, TaskOutcome::Succeeded(_)));
        assert_eq!(calls, 1, "{mode:?}");
    }
    // The other functions draw none.
    for function in ["OpenCase", "AssignCase", "EscalateCase", "CloseCase"] {
        let mut draw = || -> f64 { panic!("{function} called Math.random()") };
        let input = serde_json::json!({});
        let resource = format!("{ARN}{function}");
        CallCenter::default().invoke(TaskRequest {
            resource: &resource,
            input: &input,
            state_name: "S",
            random: &mut draw,
        });
    }
}

#[test]
fn work_on_case_default_is_random() {
    assert_eq!(WorkOnCase::default(), WorkOnCase::Random);
    assert_eq!(CallCenter::default().work_on_case, WorkOnCase::Random);
}

#[test]
fn missing_fields_are_undefined() {
    assert_eq!(
        output("OpenCase", "{}"),
        r#"{"Message":"Case undefined: opened..."}"#
    );
    assert_eq!(
        output("AssignCase", "{}"),
        r#"{"Message":"undefinedassigned..."}"#
    );
    assert_eq!(
        output_with(WorkOnCase::Random, "WorkOnCase", "{}", 0.5),
        r#"{"Status":1,"Message":"undefinedresolved..."}"#
    );
    assert_eq!(
        output_with(WorkOnCase::Random, "WorkOnCase", "{}", 0.2),
        r#"{"Status":0,"Message":"undefinedunresolved..."}"#
    );
    assert_eq!(
        output("EscalateCase", "{}"),
        r#"{"Message":"undefinedescalating."}"#
    );
    assert_eq!(
        output("CloseCase", "{}"),
        r#"{"Message":"undefinedclosed."}"#
    );
    // Only Case missing: the key is left out, the others keep their order.
    assert_eq!(
        output("CloseCase", r#"{"Message":"m ","Status":1}"#),
        r#"{"Status":1,"Message":"m closed."}"#
    );
    // Keys are case-sensitive.
    assert_eq!(
        output("OpenCase", r#"{"inputCaseId":"001"}"#),
        r#"{"Message":"Case undefined: opened..."}"#
    );
}

#[test]
fn null_fields_are_null() {
    assert_eq!(
        output("OpenCase", r#"{"inputCaseID":null}"#),
        r#"{"Case":null,"Message":"Case null: opened..."}"#
    );
    assert_eq!(
        output("CloseCase", r#"{"Case":null,"Status":null,"Message":null}"#),
        r#"{"Case":null,"Status":null,"Message":"nullclosed."}"#
    );
}

#[test]
fn numbers_as_the_case_id() {
    // JSON.parse makes them doubles; "Case " + id prints them as JavaScript does, and
    // JSON.stringify writes the copied Case as JavaScript does.
    assert_eq!(
        output("OpenCase", r#"{"inputCaseID":1}"#),
        r#"{"Case":1,"Message":"Case 1: opened..."}"#
    );
    assert_eq!(
        output("OpenCase", r#"{"inputCaseID":1.0}"#),
        r#"{"Case":1,"Message":"Case 1: opened..."}"#
    );
    assert_eq!(
        output("OpenCase", r#"{"inputCaseID":-0}"#),
        r#"{"Case":0,"Message":"Case 0: opened..."}"#
    );
    assert_eq!(
        output("OpenCase", r#"{"inputCaseID":1.5}"#),
        r#"{"Case":1.5,"Message":"Case 1.5: opened..."}"#
    );
    assert_eq!(
        output("OpenCase", r#"{"inputCaseID":12345678901234567890}"#),
        r#"{"Case":12345678901234567000,"Message":"Case 12345678901234567000: opened..."}"#
    );
    assert_eq!(
        output("OpenCase", r#"{"inputCaseID":9007199254740993}"#),
        r#"{"Case":9007199254740992,"Message":"Case 9007199254740992: opened..."}"#
    );
    // 1e21: JavaScript prints 1e+21; the Case stays the same double.
    let opened: Value =
        serde_json::from_str(&output("OpenCase", r#"{"inputCaseID":1e21}"#)).unwrap();
    assert_eq!(opened["Case"].as_f64(), Some(1e21));
    assert_eq!(opened["Message"], "Case 1e+21: opened...");
    assert_eq!(
        output("OpenCase", r#"{"inputCaseID":1e-7}"#),
        r#"{"Case":1e-7,"Message":"Case 1e-7: opened..."}"#
    );
    // Status is copied the same way.
    assert_eq!(
        output(
            "EscalateCase",
            r#"{"Case":"001","Status":0.0,"Message":"m "}"#
        ),
        r#"{"Case":"001","Status":0,"Message":"m escalating."}"#
    );
    assert_eq!(
        output("AssignCase", r#"{"Case":2,"Message":3}"#),
        r#"{"Case":2,"Message":"3assigned..."}"#
    );
}

#[test]
fn booleans_as_the_case_id() {
    assert_eq!(
        output("OpenCase", r#"{"inputCaseID":true}"#),
        r#"{"Case":true,"Message":"Case true: opened..."}"#
    );
    assert_eq!(
        output("AssignCase", r#"{"Message":false}"#),
        r#"{"Message":"falseassigned..."}"#
    );
}

#[test]
fn arrays_as_the_case_id() {
    // node: "Case " + [1,[2,null],"x",{}] → "Case 1,2,,x,[object Object]"
    assert_eq!(
        output("OpenCase", r#"{"inputCaseID":[1,[2.0,null],"x",{}]}"#),
        r#"{"Case":[1,[2,null],"x",{}],"Message":"Case 1,2,,x,[object Object]: opened..."}"#
    );
    assert_eq!(
        output("OpenCase", r#"{"inputCaseID":[]}"#),
        r#"{"Case":[],"Message":"Case : opened..."}"#
    );
    assert_eq!(
        output("AssignCase", r#"{"Message":["a","b"]}"#),
        r#"{"Message":"a,bassigned..."}"#
    );
}

#[test]
fn objects_as_the_case_id() {
    assert_eq!(
        output(
            "OpenCase",
            r#"{"inputCaseID":{"id":1.0,"b":[-0],"a":null}}"#
        ),
        r#"{"Case":{"id":1,"b":[0],"a":null},"Message":"Case [object Object]: opened..."}"#
    );
    // JavaScript puts array-index keys first: node -p 'JSON.stringify(JSON.parse(`{"b":1,"1":2}`))'
    assert_eq!(
        output("OpenCase", r#"{"inputCaseID":{"b":1,"1":2}}"#),
        r#"{"Case":{"1":2,"b":1},"Message":"Case [object Object]: opened..."}"#
    );
    assert_eq!(
        output("AssignCase", r#"{"Message":{}}"#),
        r#"{"Message":"[object Object]assigned..."}"#
    );
}

#[test]
fn extra_fields_are_dropped_and_input_order_does_not_matter() {
    assert_eq!(
        output(
            "AssignCase",
            r#"{"Message":"m ","Extra":1,"Case":"7","Status":1}"#
        ),
        r#"{"Case":"7","Message":"m assigned..."}"#
    );
}

#[test]
fn a_null_event_throws_a_type_error() {
    for (function, property, at) in [
        ("OpenCase", "inputCaseID", "3:23"),
        ("AssignCase", "Case", "3:24"),
        ("WorkOnCase", "Case", "6:24"),
        ("EscalateCase", "Case", "3:24"),
        ("CloseCase", "Status", "3:28"),
    ] {
        let (error, cause) = failure(function, "null");
        assert_eq!(error, "TypeError");
        let message = format!("Cannot read properties of null (reading '{property}')");
        assert_eq!(cause["errorType"], "TypeError");
        assert_eq!(cause["errorMessage"], message.as_str());
        let trace: Vec<&str> = cause["trace"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        assert_eq!(
            trace,
            [
                format!("TypeError: {message}"),
                format!("    at Runtime.handler (file:///var/task/index.mjs:{at})"),
                "    at Runtime.handleOnceNonStreaming (file:///var/runtime/index.mjs:1173:29)"
                    .to_owned(),
            ]
        );
    }
}

#[test]
fn the_cause_is_lambdas_error_json() {
    match run_with(WorkOnCase::Random, "OpenCase", "null", 0.0) {
        TaskOutcome::Failed { error, cause } => {
            assert_eq!(error, "TypeError");
            assert_eq!(
                cause,
                concat!(
                    r#"{"errorType":"TypeError","#,
                    r#""errorMessage":"Cannot read properties of null (reading 'inputCaseID')","#,
                    r#""trace":["TypeError: Cannot read properties of null (reading 'inputCaseID')","#,
                    r#""    at Runtime.handler (file:///var/task/index.mjs:3:23)","#,
                    r#""    at Runtime.handleOnceNonStreaming (file:///var/runtime/index.mjs:1173:29)"]}"#
                )
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_non_object_event_has_undefined_fields() {
    for event in [r#""001""#, "42", "true", "[]", r#"[{"inputCaseID":"001"}]"#] {
        assert_eq!(
            output("OpenCase", event),
            r#"{"Message":"Case undefined: opened..."}"#,
            "{event}"
        );
        assert_eq!(
            output("AssignCase", event),
            r#"{"Message":"undefinedassigned..."}"#,
            "{event}"
        );
        assert_eq!(
            output_with(WorkOnCase::Resolved, "WorkOnCase", event, 0.0),
            r#"{"Status":1,"Message":"undefinedresolved..."}"#
        );
        assert_eq!(
            output("EscalateCase", event),
            r#"{"Message":"undefinedescalating."}"#,
            "{event}"
        );
        assert_eq!(
            output("CloseCase", event),
            r#"{"Message":"undefinedclosed."}"#,
            "{event}"
        );
    }
}

#[test]
fn an_object_with_its_own_to_string_cannot_be_concatenated() {
    // node: ({toString: 1}) + "assigned..." → TypeError: Cannot convert object to primitive value
    let (error, cause) = failure("AssignCase", r#"{"Case":"001","Message":{"toString":1}}"#);
    assert_eq!(error, "TypeError");
    assert_eq!(
        cause["errorMessage"],
        "Cannot convert object to primitive value"
    );
    assert_eq!(
        cause["trace"][1],
        "    at Runtime.handler (file:///var/task/index.mjs:4:33)"
    );
    // Inside an array, V8's native frames come first.
    let (_, cause) = failure("OpenCase", r#"{"inputCaseID":[{"toString":"x"}]}"#);
    assert_eq!(
        cause["trace"],
        serde_json::json!([
            "TypeError: Cannot convert object to primitive value",
            "    at Array.join (<anonymous>)",
            "    at Array.toString (<anonymous>)",
            "    at Runtime.handler (file:///var/task/index.mjs:4:26)",
            "    at Runtime.handleOnceNonStreaming (file:///var/runtime/index.mjs:1173:29)"
        ])
    );
    let (_, cause) = failure("CloseCase", r#"{"Message":{"toString":{}}}"#);
    assert_eq!(
        cause["trace"][1],
        "    at Runtime.handler (file:///var/task/index.mjs:5:33)"
    );
}

#[test]
fn unknown_functions_are_not_found() {
    for resource in [
        "arn:aws:lambda:us-east-2:123456789012:function:DeleteCase",
        "arn:aws:lambda:us-east-2:123456789012:function:opencase",
        "DeleteCase",
        "arn:aws:states:::lambda:invoke",
        "arn:aws:states:::sqs:sendMessage",
        "",
    ] {
        assert_eq!(
            run_with(WorkOnCase::Random, resource, "{}", 0.0),
            TaskOutcome::NotFound,
            "{resource:?}"
        );
    }
}

#[test]
fn resources_by_name_arn_and_qualified_arn() {
    let expected = r#"{"Case":"001","Message":"Case 001: opened..."}"#;
    for resource in [
        "OpenCase",
        "arn:aws:lambda:us-east-2:123456789012:function:OpenCase",
        "arn:aws:lambda:us-east-2:123456789012:function:OpenCase:$LATEST",
        "arn:aws:lambda:eu-west-1:111122223333:function:OpenCase:prod",
        "arn:aws:lambda:us-east-2:123456789012:function:OpenCase:7",
    ] {
        assert_eq!(output(resource, TUTORIAL_INPUT), expected, "{resource}");
    }
}

#[test]
fn every_function_name_answers_and_the_definition_uses_them() {
    let definition: Value = serde_json::from_str(TUTORIAL_DEFINITION).unwrap();
    let text = definition.to_string();
    for name in FUNCTION_NAMES {
        assert!(
            !matches!(
                run_with(WorkOnCase::Random, name, "{}", 0.0),
                TaskOutcome::NotFound
            ),
            "{name}"
        );
        assert!(
            text.contains(&format!("{ARN}{name}\"")),
            "{name} not in the tutorial definition"
        );
    }
}
