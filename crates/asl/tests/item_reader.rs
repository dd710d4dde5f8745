//! Distributed Maps reading their items with an ItemReader, the S3 object's content given by a
//! mock configuration file (`MockConfigFile.json`: the test case maps the Map state's name to a
//! mocked response whose `Return` is the content): CSV with a header row or given headers,
//! JSON, JSON Lines, listObjectsV2, MaxItems, ItemBatcher, tolerated failures, ResultWriter, and
//! a 100,000-item run.

use asl::mock::MockConfig;
use asl::{
    load, Execution, ExecutionConfig, NoTasks, Status, TaskHandler, TaskOutcome, TaskRequest,
};
use serde_json::{json, Value};
use std::sync::Arc;

/// A Distributed Map named "Map" reading with `reader`, each item through `processor`'s states.
fn machine(reader: Value, extra: Value, processor_states: Value) -> Value {
    let mut map = json!({
        "Type": "Map",
        "ItemReader": reader,
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": processor_states.as_object().unwrap().keys().next().unwrap().clone(),
            "States": processor_states
        },
        "End": true
    });
    for (k, v) in extra.as_object().unwrap() {
        map[k] = v.clone();
    }
    json!({"StartAt": "Map", "States": {"Map": map}})
}

fn pass() -> Value {
    json!({"Pass": {"Type": "Pass", "End": true}})
}

fn csv_reader(config: Value) -> Value {
    let mut reader_config = json!({"InputType": "CSV"});
    for (k, v) in config.as_object().unwrap() {
        reader_config[k] = v.clone();
    }
    json!({
        "Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": reader_config,
        "Parameters": {"Bucket": "amzn-s3-demo-bucket", "Key": "items.csv"}
    })
}

/// The mock configuration file: the test case "Items" answers the Map's read with `content`.
fn mocks(content: Value) -> String {
    json!({
        "StateMachines": {"Reader": {"TestCases": {"Items": {"Map": "ObjectContent"}}}},
        "MockedResponses": {"ObjectContent": {"0": {"Return": content}}}
    })
    .to_string()
}

fn run_with(definition: &Value, input: Value, tasks: &mut dyn TaskHandler) -> Execution {
    let machine = load(&definition.to_string()).unwrap_or_else(|e| panic!("{e:?}"));
    let mut run = Execution::new(Arc::new(machine), input, ExecutionConfig::default());
    run.run_to_end(tasks);
    run
}

fn run(definition: &Value, input: Value, content: Value) -> Execution {
    let config = MockConfig::parse(&mocks(content)).unwrap();
    let mut tasks = config.test_case("Reader", "Items").unwrap();
    run_with(definition, input, &mut tasks)
}

fn types(run: &Execution) -> Vec<String> {
    run.history().iter().map(|e| e.event_type()).collect()
}

fn succeeded(run: &Execution) -> &Value {
    assert_eq!(run.status(), Status::Succeeded, "{:?}", run.failure());
    run.output().unwrap()
}

#[test]
fn csv_with_a_header_row_every_value_a_string() {
    let definition = machine(
        csv_reader(json!({"CSVHeaderLocation": "FIRST_ROW"})),
        json!({}),
        pass(),
    );
    let run = run(
        &definition,
        json!({}),
        json!("id,name,score\n1,Ann,9.5\n2,\"Bob, Jr.\",7\n"),
    );
    assert_eq!(
        succeeded(&run),
        &json!([
            {"id": "1", "name": "Ann", "score": "9.5"},
            {"id": "2", "name": "Bob, Jr.", "score": "7"}
        ])
    );
    // Only the map run's start and end: the child executions have their own histories.
    assert_eq!(
        types(&run),
        [
            "ExecutionStarted",
            "MapStateEntered",
            "MapStateStarted",
            "MapRunStarted",
            "MapRunSucceeded",
            "MapStateSucceeded",
            "MapStateExited",
            "ExecutionSucceeded"
        ]
    );
}

#[test]
fn csv_with_given_headers_and_a_pipe_converted_by_item_selector() {
    let reader = csv_reader(json!({
        "CSVHeaderLocation": "GIVEN",
        "CSVHeaders": ["MyLetters", "MyNumbers", "MyObject"],
        "CSVDelimiter": "PIPE"
    }));
    let selector = json!({"ItemSelector": {
        "letters.$": "$$.Map.Item.Value.MyLetters",
        "number.$": "States.StringToJson($$.Map.Item.Value.MyNumbers)",
        "object.$": "States.StringToJson($$.Map.Item.Value.MyObject)",
        "index.$": "$$.Map.Item.Index",
        "batch.$": "$.batch"
    }});
    let definition = machine(reader, selector, pass());
    let run = run(
        &definition,
        json!({"batch": 7}),
        json!("abc|123|{\"\"MyKey\"\":\"\"MyValue\"\"}\nd|4|[1,2]\n"),
    );
    assert_eq!(
        succeeded(&run),
        &json!([
            {"letters": "abc", "number": 123, "object": {"MyKey": "MyValue"}, "index": 0, "batch": 7},
            {"letters": "d", "number": 4, "object": [1, 2], "index": 1, "batch": 7}
        ])
    );
}

#[test]
fn json_and_json_lines() {
    let json_reader = json!({
        "Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": {"InputType": "JSON"},
        "Parameters": {"Bucket": "b", "Key": "items.json"}
    });
    let definition = machine(json_reader, json!({}), pass());
    let items = json!([{"a": 1}, [2], "three", null]);
    assert_eq!(
        succeeded(&run(&definition, json!({}), items.clone())),
        &items
    );
    // The content may also be the JSON text, as pasted.
    let text = Value::String(items.to_string());
    assert_eq!(succeeded(&run(&definition, json!({}), text)), &items);

    let jsonl_reader = json!({
        "Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": {"InputType": "JSONL"},
        "Parameters": {"Bucket": "b", "Key": "items.jsonl"}
    });
    let definition = machine(jsonl_reader, json!({}), pass());
    let run = run(&definition, json!({}), json!("{\"a\":1}\n\n{\"a\":2}\n"));
    assert_eq!(succeeded(&run), &json!([{"a": 1}, {"a": 2}]));
}

#[test]
fn max_items_and_max_items_path() {
    let definition = machine(csv_reader(json!({"MaxItems": 2})), json!({}), pass());
    let run1 = run(&definition, json!({}), json!("n\n1\n2\n3\n4\n"));
    assert_eq!(succeeded(&run1), &json!([{"n": "1"}, {"n": "2"}]));

    let definition = machine(
        csv_reader(json!({"MaxItemsPath": "$.max"})),
        json!({}),
        pass(),
    );
    let run2 = run(&definition, json!({"max": 3}), json!("n\n1\n2\n3\n4\n"));
    assert_eq!(succeeded(&run2).as_array().unwrap().len(), 3);
    let run3 = run(&definition, json!({"max": "three"}), json!("n\n1\n"));
    assert_eq!(run3.status(), Status::Failed);
    assert_eq!(run3.failure().unwrap().error_str(), Some("States.Runtime"));
}

#[test]
fn item_batcher_groups_the_read_items() {
    let extra = json!({"ItemBatcher": {"MaxItemsPerBatch": 2, "BatchInput": {"job.$": "$.job"}}});
    let definition = machine(csv_reader(json!({})), extra, pass());
    let run = run(&definition, json!({"job": "j-1"}), json!("n\n1\n2\n3\n"));
    assert_eq!(
        succeeded(&run),
        &json!([
            {"Items": [{"n": "1"}, {"n": "2"}], "BatchInput": {"job": "j-1"}},
            {"Items": [{"n": "3"}], "BatchInput": {"job": "j-1"}}
        ])
    );
}

/// A processor failing the items whose `ok` is not "yes".
fn picky() -> Value {
    json!({
        "Check": {"Type": "Choice", "Choices": [{"Variable": "$.ok", "StringEquals": "yes", "Next": "Done"}], "Default": "Reject"},
        "Done": {"Type": "Succeed"},
        "Reject": {"Type": "Fail", "Error": "Item.Rejected", "Cause": "not ok"}
    })
}

#[test]
fn tolerated_failure_percentage() {
    let content = json!("ok\nyes\nno\nyes\nyes\n");
    let tolerant = machine(
        csv_reader(json!({})),
        json!({"ToleratedFailurePercentage": 30}),
        picky(),
    );
    let run1 = run(&tolerant, json!({}), content.clone());
    assert_eq!(
        succeeded(&run1),
        &json!([
            {"ok": "yes"},
            {"Error": "Item.Rejected", "Cause": "not ok"},
            {"ok": "yes"},
            {"ok": "yes"}
        ])
    );

    let strict = machine(
        csv_reader(json!({})),
        json!({"ToleratedFailurePercentage": 20}),
        picky(),
    );
    let run2 = run(&strict, json!({}), content);
    assert_eq!(run2.status(), Status::Failed);
    assert_eq!(
        run2.failure().unwrap().error_str(),
        Some("States.ExceedToleratedFailureThreshold")
    );
    assert_eq!(
        types(&run2)[3..],
        [
            "MapRunStarted",
            "MapRunFailed",
            "MapStateFailed",
            "ExecutionFailed"
        ]
    );
}

#[test]
fn result_writer_returns_where_the_results_went() {
    let extra = json!({"ResultWriter": {
        "Resource": "arn:aws:states:::s3:putObject",
        "Parameters": {"Bucket": "results", "Prefix": "runs"}
    }});
    let definition = machine(csv_reader(json!({})), extra, pass());
    let run = run(&definition, json!({}), json!("n\n1\n2\n"));
    let output = succeeded(&run);
    assert_eq!(output["ResultWriterDetails"]["Bucket"], "results");
    assert!(output["MapRunArn"]
        .as_str()
        .unwrap()
        .starts_with("arn:aws:states:us-east-2:123456789012:mapRun:"));
}

#[test]
fn the_reader_asks_the_task_handler_with_the_evaluated_parameters() {
    struct Recorder(Vec<(String, Value, String)>);
    impl TaskHandler for Recorder {
        fn invoke(&mut self, request: TaskRequest<'_>) -> TaskOutcome {
            self.0.push((
                request.resource.to_string(),
                request.input.clone(),
                request.state_name.to_string(),
            ));
            TaskOutcome::Succeeded(json!({"Contents": [
                {"Key": "logs/a.txt", "ETag": "\"e1\"", "LastModified": "2026-01-01T00:00:00Z", "Size": 3, "StorageClass": "STANDARD"}
            ]}))
        }
    }
    let reader = json!({
        "Resource": "arn:aws:states:::s3:listObjectsV2",
        "Parameters": {"Bucket.$": "$.bucket", "Prefix": "logs/"}
    });
    let definition = machine(reader, json!({}), pass());
    let mut recorder = Recorder(Vec::new());
    let run = run_with(&definition, json!({"bucket": "my-logs"}), &mut recorder);
    assert_eq!(
        succeeded(&run),
        &json!([{"Etag": "\"e1\"", "Key": "logs/a.txt", "LastModified": 1767225600, "Size": 3, "StorageClass": "STANDARD"}])
    );
    assert_eq!(
        recorder.0,
        [(
            "arn:aws:states:::s3:listObjectsV2".to_string(),
            json!({"Bucket": "my-logs", "Prefix": "logs/"}),
            "Map".to_string()
        )]
    );
}

#[test]
fn an_unmocked_reader_says_where_to_add_the_mock() {
    let definition = machine(csv_reader(json!({})), json!({}), pass());
    let run = run_with(&definition, json!({}), &mut NoTasks);
    assert_eq!(run.status(), Status::Failed);
    let failure = run.failure().unwrap();
    assert_eq!(failure.error_str(), Some("States.ItemReaderFailed"));
    let cause = failure.cause.as_deref().unwrap();
    assert!(
        cause.contains("s3://amzn-s3-demo-bucket/items.csv"),
        "{cause}"
    );
    assert!(
        cause.contains("map the state 'Map' to a mocked response"),
        "{cause}"
    );
    assert_eq!(
        types(&run)[3..],
        [
            "MapRunStarted",
            "MapRunFailed",
            "MapStateFailed",
            "ExecutionFailed"
        ]
    );
}

#[test]
fn unreadable_content_fails_with_item_reader_failed_and_can_be_caught() {
    let reader = json!({
        "Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": {"InputType": "JSON"},
        "Parameters": {"Bucket": "b", "Key": "k"}
    });
    let catch =
        json!({"Catch": [{"ErrorEquals": ["States.ItemReaderFailed"], "Next": "Recovered"}]});
    let mut definition = machine(reader, catch, pass());
    definition["States"]["Recovered"] = json!({"Type": "Pass", "End": true});
    let run = run(&definition, json!({}), json!({"not": "an array"}));
    let output = succeeded(&run);
    assert_eq!(output["Error"], "States.ItemReaderFailed");
    assert!(output["Cause"].as_str().unwrap().contains("non-iterable"));
}

#[test]
fn a_mocked_throw_fails_the_map_with_its_error() {
    let config = MockConfig::parse(
        &json!({
            "StateMachines": {"Reader": {"TestCases": {"Missing": {"Map": "NoSuchKey"}}}},
            "MockedResponses": {"NoSuchKey": {"0": {"Throw": {"Error": "States.ItemReaderFailed", "Cause": "The specified key does not exist."}}}}
        })
        .to_string(),
    )
    .unwrap();
    let mut tasks = config.test_case("Reader", "Missing").unwrap();
    let definition = machine(csv_reader(json!({})), json!({}), pass());
    let run = run_with(&definition, json!({}), &mut tasks);
    let failure = run.failure().unwrap();
    assert_eq!(failure.error_str(), Some("States.ItemReaderFailed"));
    assert_eq!(
        failure.cause.as_deref(),
        Some("The specified key does not exist.")
    );
}

#[test]
fn item_reader_needs_a_distributed_map() {
    let mut definition = machine(csv_reader(json!({})), json!({}), pass());
    definition["States"]["Map"]["ItemProcessor"]["ProcessorConfig"] = json!({"Mode": "INLINE"});
    let problems = load(&definition.to_string()).unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].location, "/States/Map/ItemReader");
    assert!(problems[0].message.contains("DISTRIBUTED"));
}

/// `n` rows of `id,name`.
fn big_csv(n: usize) -> String {
    let mut text = String::from("id,name\n");
    for i in 0..n {
        text.push_str(&format!("{i},item {i}\n"));
    }
    text
}

#[test]
fn a_slice_of_the_run_stays_short_while_child_executions_run() {
    let definition = machine(csv_reader(json!({})), result_writer(), pass());
    let machine = Arc::new(load(&definition.to_string()).unwrap());
    let config = MockConfig::parse(&mocks(Value::String(big_csv(10_000)))).unwrap();
    let mut tasks = config.test_case("Reader", "Items").unwrap();
    let mut run = Execution::new(machine, json!({}), ExecutionConfig::default());
    let mut slices = 0;
    while !run.is_finished() {
        run.run_slice(&mut tasks, 400);
        slices += 1;
        assert!(slices < 1_000, "the run never ends");
    }
    // 10,000 child executions of one state each: several slices, none doing them all.
    assert!(slices >= 5, "{slices} slices");
    assert_eq!(run.status(), Status::Succeeded);
    assert!(run.output().unwrap()["MapRunArn"].is_string());
    assert_eq!(run.history().len(), 8);
}

fn result_writer() -> Value {
    json!({"ResultWriter": {
        "Resource": "arn:aws:states:::s3:putObject",
        "Parameters": {"Bucket": "results", "Prefix": "runs"}
    }})
}

#[test]
fn without_a_result_writer_a_large_results_array_exceeds_the_payload_limit_as_on_aws() {
    let definition = machine(csv_reader(json!({})), json!({}), pass());
    let run = run(&definition, json!({}), Value::String(big_csv(10_000)));
    assert_eq!(run.status(), Status::Failed);
    assert_eq!(
        run.failure().unwrap().error_str(),
        Some("States.DataLimitExceeded")
    );
}

#[test]
fn a_hundred_thousand_csv_rows_run_to_success() {
    // As on AWS, 100,000 results would exceed the 256 KiB payload limit: a ResultWriter
    // writes them (and the engine keeps none of them).
    let mut extra = json!({
        "ItemSelector": {"id.$": "States.StringToJson($$.Map.Item.Value.id)"},
        "ToleratedFailurePercentage": 5
    });
    extra["ResultWriter"] = result_writer()["ResultWriter"].clone();
    // Every 50th item fails (2 %, tolerated); the last one calls a mocked task.
    let processor = json!({
        "Check": {"Type": "Choice", "Choices": [
            {"Variable": "$.id", "NumericEquals": 99999, "Next": "Last"},
            {"Variable": "$.remainder", "NumericEquals": 0, "Next": "Reject"}
        ], "Default": "Done"},
        "Done": {"Type": "Succeed"},
        "Last": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"id.$": "$.id"}, "End": true},
        "Reject": {"Type": "Fail", "Error": "Rejected", "Cause": "every 50th item"}
    });
    let mut definition = machine(csv_reader(json!({})), extra, processor);
    let config = MockConfig::parse(
        &json!({
            "StateMachines": {"Reader": {"TestCases": {"Big": {"Map": "Rows", "Last": "LastItem"}}}},
            "MockedResponses": {
                "Rows": {"0": {"Return": big_csv_with_remainders(100_000)}},
                "LastItem": {"0": {"Return": {"done": true}}}
            }
        })
        .to_string(),
    )
    .unwrap();
    // CSV values are strings: ItemSelector converts them.
    definition["States"]["Map"]["ItemSelector"]["remainder.$"] =
        json!("States.StringToJson($$.Map.Item.Value.remainder)");
    let mut tasks = config.test_case("Reader", "Big").unwrap();
    let run = run_with(&definition, json!({}), &mut tasks);
    let output = succeeded(&run);
    assert_eq!(output["ResultWriterDetails"]["Bucket"], "results");
    assert_eq!(tasks.invocations("Last"), 1, "the last item ran");
    assert_eq!(tasks.invocations("Map"), 1, "the object was read once");
    assert_eq!(run.history().len(), 8);
}

/// `n` rows of `id,name,remainder` (the id modulo 50).
fn big_csv_with_remainders(n: usize) -> String {
    let mut text = String::from("id,name,remainder\n");
    for i in 0..n {
        text.push_str(&format!("{i},item {i},{}\n", i % 50));
    }
    text
}

#[test]
fn a_retried_map_runs_its_read_items_again_from_the_first() {
    let extra =
        json!({"Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "MaxAttempts": 1}]});
    let processor = json!({
        "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}
    });
    let definition = machine(csv_reader(json!({})), extra, processor);
    let config = MockConfig::parse(
        &json!({
            "StateMachines": {"Reader": {"TestCases": {"Flaky": {"Map": "Rows", "Work": "FailsOnce"}}}},
            "MockedResponses": {
                "Rows": {"0": {"Return": "n\n1\n2\n"}},
                "FailsOnce": {
                    "0": {"Throw": {"Error": "Lambda.ServiceException", "Cause": "busy"}},
                    "1-2": {"Return": "done"}
                }
            }
        })
        .to_string(),
    )
    .unwrap();
    let mut tasks = config.test_case("Reader", "Flaky").unwrap();
    let run = run_with(&definition, json!({}), &mut tasks);
    assert_eq!(succeeded(&run), &json!(["done", "done"]));
    assert_eq!(tasks.invocations("Map"), 1, "the object is read once");
    assert_eq!(tasks.invocations("Work"), 3);
    assert_eq!(
        types(&run)[2..8],
        [
            "MapStateStarted",
            "MapRunStarted",
            "MapRunFailed",
            "MapStateStarted",
            "MapRunStarted",
            "MapRunSucceeded"
        ]
    );
}
