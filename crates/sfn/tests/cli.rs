//! The `sfn` binary, run as a user runs it: arguments, files, stdin, stdout, stderr and exit
//! codes.

use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const TUTORIAL: &str = callcenter::TUTORIAL_DEFINITION;
const CASE_001: &str = r#"{"inputCaseID":"001"}"#;
const RESOLVED_001: &str =
    r#"{"Case":"001","Status":1,"Message":"Case 001: opened...assigned...resolved...closed."}"#;

/// A fresh directory for one test's files.
fn dir(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("sfn-cli")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Ran {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout))
    }
    fn stderr_lines(&self) -> Vec<&str> {
        self.stderr.lines().collect()
    }
}

fn sfn_with_stdin(args: &[&str], stdin: &str) -> Ran {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sfn"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // sfn may exit before reading its input (a usage error): a closed pipe is not a failure.
    match child.stdin.take().unwrap().write_all(stdin.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => panic!("writing to sfn: {e}"),
        _ => {}
    }
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().unwrap();
    let ran = Ran {
        code: status.code().expect("exited, not killed"),
        stdout: String::from_utf8(stdout).unwrap(),
        stderr: String::from_utf8(stderr).unwrap(),
    };
    assert!(
        !ran.stderr.contains("panicked"),
        "sfn panicked: {}",
        ran.stderr
    );
    ran
}

fn sfn(args: &[&str]) -> Ran {
    sfn_with_stdin(args, "")
}

// --- validate ---------------------------------------------------------------------------

#[test]
fn validate_a_valid_definition() {
    let d = dir("validate_valid");
    let def = write(&d, "tutorial.json", TUTORIAL);
    let ran = sfn(&["validate", &def]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.stdout, format!("{def}: valid\n"));
    assert_eq!(ran.stderr, "");
}

#[test]
fn validate_prints_every_problem_located() {
    let d = dir("validate_invalid");
    let def = write(
        &d,
        "bad.json",
        r#"{"StartAt": "Nowhere", "States": {"A": {"Type": "Pass", "Next": "B"}}}"#,
    );
    let ran = sfn(&["validate", &def]);
    assert_eq!(ran.code, 1);
    let lines: Vec<&str> = ran.stdout.lines().collect();
    assert!(lines.len() >= 2, "{lines:?}");
    assert!(
        lines.contains(
            &format!(
                "{def}: MISSING_TRANSITION_TARGET: Missing 'StartAt' target: Nowhere at /StartAt"
            )
            .as_str()
        ),
        "{lines:?}"
    );
    assert!(
        lines.contains(
            &format!(
                "{def}: MISSING_TRANSITION_TARGET: Missing 'Next' target: B at /States/A/Next"
            )
            .as_str()
        ),
        "{lines:?}"
    );
    for line in lines {
        assert!(line.starts_with(&format!("{def}: ")), "{line}");
    }
}

#[test]
fn validate_locates_syntax_errors_by_line_and_column() {
    let d = dir("validate_syntax");
    let def = write(
        &d,
        "broken.json",
        "{\n  \"StartAt\": \"A\",\n  \"States\": \n}\n",
    );
    let ran = sfn(&["validate", &def]);
    assert_eq!(ran.code, 1);
    assert_eq!(
        ran.stdout,
        format!("{def}:4:1: INVALID_JSON_DESCRIPTION: expected value\n")
    );
}

#[test]
fn validate_reads_stdin() {
    let ran = sfn_with_stdin(&["validate", "-"], TUTORIAL);
    assert_eq!(ran.code, 0);
    assert_eq!(ran.stdout, "<stdin>: valid\n");
}

#[test]
fn validate_a_missing_file_is_exit_2() {
    let d = dir("validate_missing");
    let missing = d.join("missing.json");
    let missing = missing.to_str().unwrap();
    let ran = sfn(&["validate", missing]);
    assert_eq!(ran.code, 2);
    assert_eq!(ran.stdout, "");
    assert_eq!(
        ran.stderr_lines(),
        [format!("{missing}: cannot read: No such file or directory")]
    );
}

#[test]
fn file_names_in_messages_are_quoted_and_their_escapes_never_reach_the_terminal() {
    let d = dir("validate_quoted");
    let path = d.join("evil \u{1b}[31mred.json");
    let path = path.to_str().unwrap();
    for command in [&["validate", path][..], &["run", "--definition", path]] {
        let ran = sfn(command);
        assert_eq!(ran.code, 2);
        assert!(
            !ran.stderr.contains('\u{1b}'),
            "{command:?}: {:?}",
            ran.stderr
        );
        let dir = d.to_str().unwrap();
        assert_eq!(
            ran.stderr_lines(),
            [format!(
                "'{dir}/evil '$'\\033''[31mred.json': cannot read: No such file or directory"
            )],
            "{command:?}"
        );
    }
    // A plain name is printed as it is.
    let plain = d.join("plain.json");
    let ran = sfn(&["validate", plain.to_str().unwrap()]);
    assert!(ran
        .stderr
        .starts_with(&format!("{}: cannot read", plain.display())));
}

// --- example ----------------------------------------------------------------------------

#[test]
fn example_tutorial_prints_the_tutorial() {
    let ran = sfn(&["example", "tutorial"]);
    assert_eq!(ran.code, 0);
    let printed: Value = ran.json();
    let tutorial: Value = serde_json::from_str(TUTORIAL).unwrap();
    assert_eq!(printed, tutorial);
    // And it round-trips through validate.
    let ran = sfn_with_stdin(&["validate", "-"], &ran.stdout);
    assert_eq!(ran.code, 0);
}

// --- run --------------------------------------------------------------------------------

#[test]
fn run_the_tutorial_resolved() {
    let d = dir("run_resolved");
    let def = write(&d, "tutorial.json", TUTORIAL);
    let input = write(&d, "input.json", CASE_001);
    let ran = sfn(&[
        "run",
        "--definition",
        &def,
        "--input",
        &input,
        "--work-on-case",
        "resolved",
    ]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let result = ran.json();
    assert_eq!(result["status"], "SUCCEEDED");
    assert_eq!(
        serde_json::to_string(&result["output"]).unwrap(),
        RESOLVED_001
    );
    assert_eq!(
        result.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["status", "output"]
    );
}

#[test]
fn run_the_tutorial_unresolved_fails_with_a_cause_and_exit_0() {
    let d = dir("run_unresolved");
    let def = write(&d, "tutorial.json", TUTORIAL);
    let ran = sfn(&[
        "run",
        "--definition",
        &def,
        "--input-json",
        CASE_001,
        "--work-on-case",
        "unresolved",
    ]);
    assert_eq!(
        ran.code, 0,
        "the command ran, whatever the execution's status"
    );
    // The tutorial's Fail state has a Cause and no Error: no "error" key.
    assert_eq!(
        ran.json(),
        json!({"status": "FAILED", "cause": "Engage Tier 2 Support."})
    );
}

#[test]
fn run_without_input_uses_an_empty_object() {
    let d = dir("run_no_input");
    let def = write(
        &d,
        "echo.json",
        r#"{"StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "End": true}}}"#,
    );
    let ran = sfn(&["run", "--definition", &def]);
    assert_eq!(ran.code, 0);
    assert_eq!(ran.json(), json!({"status": "SUCCEEDED", "output": {}}));
}

#[test]
fn run_with_history_lists_the_events() {
    let d = dir("run_history");
    let def = write(&d, "tutorial.json", TUTORIAL);
    let ran = sfn(&[
        "run",
        "--definition",
        &def,
        "--input-json",
        CASE_001,
        "--work-on-case",
        "resolved",
        "--history",
    ]);
    assert_eq!(ran.code, 0);
    let result = ran.json();
    let events = result["history"].as_array().unwrap();
    let types: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    let task = [
        "TaskStateEntered",
        "LambdaFunctionScheduled",
        "LambdaFunctionStarted",
        "LambdaFunctionSucceeded",
        "TaskStateExited",
    ];
    let mut expected = vec!["ExecutionStarted"];
    expected.extend(task); // Open Case
    expected.extend(task); // Assign Case
    expected.extend(task); // Work on Case
    expected.extend(["ChoiceStateEntered", "ChoiceStateExited"]);
    expected.extend(task); // Close Case
    expected.push("ExecutionSucceeded");
    assert_eq!(types, expected);
    assert_eq!(events[0]["id"], 1);
    assert_eq!(events[0]["previousEventId"], 0);
    assert_eq!(events[0]["executionStartedEventDetails"]["input"], CASE_001);
    assert_eq!(
        events.last().unwrap()["executionSucceededEventDetails"]["output"],
        RESOLVED_001
    );
}

#[test]
fn the_same_seed_gives_the_same_run() {
    let d = dir("run_seed");
    let def = write(&d, "tutorial.json", TUTORIAL);
    let status = |seed: u64| {
        let seed = seed.to_string();
        let ran = sfn(&[
            "run",
            "--definition",
            &def,
            "--input-json",
            CASE_001,
            "--seed",
            &seed,
            "--history",
        ]);
        assert_eq!(ran.code, 0);
        ran.stdout
    };
    let runs: Vec<String> = (0..8).map(status).collect();
    assert_eq!(runs, (0..8).map(status).collect::<Vec<_>>());
    let statuses: Vec<Value> = runs
        .iter()
        .map(|r| serde_json::from_str::<Value>(r).unwrap()["status"].clone())
        .collect();
    assert!(statuses.contains(&json!("SUCCEEDED")) && statuses.contains(&json!("FAILED")));
}

const TUTORIAL_MOCKS: &str = r#"{
  "StateMachines": {
    "CallCenter": {
      "TestCases": {
        "NotResolved": { "Work on Case": "Unresolved" },
        "OpenFails": { "Open Case": "Throttled" }
      }
    }
  },
  "MockedResponses": {
    "Unresolved": {
      "0": { "Return": { "Case": "001", "Status": 0, "Message": "mocked" } }
    },
    "Throttled": {
      "0": { "Throw": { "Error": "Lambda.TooManyRequestsException", "Cause": "Rate exceeded." } }
    }
  }
}"#;

#[test]
fn run_with_a_mocked_return_falls_back_to_the_builtin_functions() {
    let d = dir("run_mock_return");
    let def = write(&d, "tutorial.json", TUTORIAL);
    let mocks = write(&d, "MockConfigFile.json", TUTORIAL_MOCKS);
    // WorkOnCase is mocked (unresolved) even though the built-in one would resolve it.
    let ran = sfn(&[
        "run",
        "--definition",
        &def,
        "--input-json",
        CASE_001,
        "--mock-config",
        &mocks,
        "--test-case",
        "NotResolved",
        "--work-on-case",
        "resolved",
        "--history",
    ]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let result = ran.json();
    assert_eq!(result["status"], "FAILED");
    assert_eq!(result["cause"], "Engage Tier 2 Support.");
    let events = result["history"].as_array().unwrap();
    let outputs: Vec<&str> = events
        .iter()
        .filter(|e| e["type"] == "LambdaFunctionSucceeded")
        .map(|e| {
            e["lambdaFunctionSucceededEventDetails"]["output"]
                .as_str()
                .unwrap()
        })
        .collect();
    // OpenCase and AssignCase are the built-in functions; WorkOnCase is the mock; then the
    // built-in EscalateCase.
    assert_eq!(outputs.len(), 4, "{outputs:?}");
    assert!(outputs[0].contains("Case 001: opened..."), "{}", outputs[0]);
    assert_eq!(
        outputs[2],
        r#"{"Case":"001","Status":0,"Message":"mocked"}"#
    );
    assert!(outputs[3].contains("mockedescalating"), "{}", outputs[3]);
    // The mock config names the state machine: the execution takes its name.
    assert!(events[0]["executionStartedEventDetails"]["roleArn"]
        .as_str()
        .unwrap()
        .ends_with("StepFunctions-CallCenter-role"));
}

#[test]
fn run_with_a_mocked_throw() {
    let d = dir("run_mock_throw");
    let def = write(&d, "tutorial.json", TUTORIAL);
    let mocks = write(&d, "MockConfigFile.json", TUTORIAL_MOCKS);
    let ran = sfn(&[
        "run",
        "--definition",
        &def,
        "--input-json",
        CASE_001,
        "--mock-config",
        &mocks,
        "--test-case",
        "OpenFails",
        "--state-machine",
        "CallCenter",
        "--history",
    ]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let result = ran.json();
    assert_eq!(result["status"], "FAILED");
    assert_eq!(result["error"], "Lambda.TooManyRequestsException");
    assert_eq!(result["cause"], "Rate exceeded.");
    let types: Vec<&str> = result["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "LambdaFunctionScheduled",
            "LambdaFunctionStarted",
            "LambdaFunctionFailed",
            "ExecutionFailed"
        ]
    );
}

#[test]
fn mocked_responses_past_the_last_invocation_fail_with_states_runtime() {
    let d = dir("run_mock_exhausted");
    let def = write(
        &d,
        "loop.json",
        r#"{"StartAt": "Call", "States": {
             "Call": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Next": "Again"},
             "Again": {"Type": "Choice", "Choices": [{"Variable": "$.more", "BooleanEquals": true, "Next": "Call"}], "Default": "Done"},
             "Done": {"Type": "Succeed"}}}"#,
    );
    let mocks = write(
        &d,
        "mocks.json",
        r#"{"StateMachines": {"Loop": {"TestCases": {"T": {"Call": "Twice"}}}},
            "MockedResponses": {"Twice": {"0-1": {"Return": {"more": true}}}}}"#,
    );
    let ran = sfn(&[
        "run",
        "--definition",
        &def,
        "--mock-config",
        &mocks,
        "--test-case",
        "T",
    ]);
    assert_eq!(ran.code, 0);
    let result = ran.json();
    assert_eq!(result["status"], "FAILED");
    assert_eq!(result["error"], "States.Runtime");
    assert!(result["cause"].as_str().unwrap().contains("invocation 2"));
}

#[test]
fn mock_config_errors_are_located_and_exit_2() {
    let d = dir("run_mock_errors");
    let def = write(&d, "tutorial.json", TUTORIAL);
    let run = |mocks: &str, extra: &[&str]| {
        let mut args = vec!["run", "--definition", &def, "--mock-config", mocks];
        args.extend(extra);
        sfn(&args)
    };
    let broken = write(&d, "broken.json", "{\n  \"StateMachines\": {,\n}");
    let ran = run(&broken, &["--test-case", "T"]);
    assert_eq!(ran.code, 2);
    assert_eq!(
        ran.stderr_lines(),
        [format!("{broken}:2:21: invalid JSON: key must be a string")]
    );

    let wrong = write(
        &d,
        "wrong.json",
        r#"{"StateMachines": {"CallCenter": {"TestCases": {"T": {"Open Case": "R"}}}},
            "MockedResponses": {"R": {"0": {"Throw": {"Error": "E"}}}}}"#,
    );
    let ran = run(&wrong, &["--test-case", "T"]);
    assert_eq!(ran.code, 2);
    assert_eq!(
        ran.stderr_lines(),
        [format!(
            "{wrong}: MockedResponses/R/0/Throw: \"Cause\" is required"
        )]
    );

    let mocks = write(&d, "mocks.json", TUTORIAL_MOCKS);
    let ran = run(&mocks, &["--test-case", "Nope"]);
    assert_eq!(ran.code, 2);
    assert_eq!(
        ran.stderr_lines(),
        [format!("{mocks}: state machine 'CallCenter' has no test case 'Nope' (its test cases: NotResolved, OpenFails)")]
    );
    let ran = run(
        &mocks,
        &["--test-case", "OpenFails", "--state-machine", "Other"],
    );
    assert_eq!(ran.code, 2);
    assert!(
        ran.stderr.contains("no state machine named 'Other'"),
        "{}",
        ran.stderr
    );

    // --test-case without --mock-config, and the reverse: usage errors.
    assert_eq!(
        sfn(&["run", "--definition", &def, "--test-case", "T"]).code,
        2
    );
    assert_eq!(run(&mocks, &[]).code, 2);
}

#[test]
fn several_state_machines_need_state_machine() {
    let d = dir("run_mock_several");
    let def = write(
        &d,
        "task.json",
        r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": true}}}"#,
    );
    let mocks = write(
        &d,
        "mocks.json",
        r#"{"StateMachines": {"A": {"TestCases": {"C": {"T": "RA"}}}, "B": {"TestCases": {"C": {"T": "RB"}}}},
            "MockedResponses": {"RA": {"0": {"Return": "a"}}, "RB": {"0": {"Return": "b"}}}}"#,
    );
    let args = [
        "run",
        "--definition",
        &def,
        "--mock-config",
        &mocks,
        "--test-case",
        "C",
    ];
    let ran = sfn(&args);
    assert_eq!(ran.code, 2);
    assert_eq!(
        ran.stderr_lines(),
        [format!("{mocks}: the mock config has several state machines (A, B): choose one with --state-machine")]
    );
    let mut with_b = args.to_vec();
    with_b.extend(["--state-machine", "B"]);
    let ran = sfn(&with_b);
    assert_eq!(ran.code, 0);
    assert_eq!(ran.json(), json!({"status": "SUCCEEDED", "output": "b"}));
}

#[test]
fn a_batch_runs_one_execution_per_line() {
    let d = dir("run_batch");
    let def = write(&d, "tutorial.json", TUTORIAL);
    let inputs = write(
        &d,
        "inputs.ndjson",
        "{\"inputCaseID\":\"001\"}\n\n{\"inputCaseID\":\"002\"}\r\n  \n{\"inputCaseID\":\"003\"}",
    );
    let ran = sfn(&[
        "run",
        "--definition",
        &def,
        "--inputs",
        &inputs,
        "--work-on-case",
        "resolved",
    ]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let lines: Vec<&str> = ran.stdout.lines().collect();
    assert_eq!(
        lines,
        ["001", "002", "003"].map(|case| format!(
            r#"{{"status":"SUCCEEDED","output":{{"Case":"{case}","Status":1,"Message":"Case {case}: opened...assigned...resolved...closed."}}}}"#
        ))
    );
}

#[test]
fn a_batch_seeds_execution_i_with_seed_plus_i() {
    let d = dir("run_batch_seeds");
    let def = write(&d, "tutorial.json", TUTORIAL);
    let inputs = write(&d, "inputs.ndjson", &format!("{CASE_001}\n").repeat(12));
    let batch = sfn(&[
        "run",
        "--definition",
        &def,
        "--inputs",
        &inputs,
        "--seed",
        "100",
    ]);
    assert_eq!(batch.code, 0);
    let lines: Vec<&str> = batch.stdout.lines().collect();
    assert_eq!(lines.len(), 12);
    for (i, line) in lines.iter().enumerate() {
        let seed = (100 + i).to_string();
        let single = sfn(&[
            "run",
            "--definition",
            &def,
            "--input-json",
            CASE_001,
            "--seed",
            &seed,
        ]);
        let single: Value = single.json();
        assert_eq!(
            serde_json::from_str::<Value>(line).unwrap(),
            single,
            "execution {i}"
        );
    }
    assert!(batch.stdout.contains("SUCCEEDED") && batch.stdout.contains("FAILED"));
}

#[test]
fn a_batch_with_a_bad_line_runs_nothing_and_says_where() {
    let d = dir("run_batch_bad");
    let def = write(&d, "tutorial.json", TUTORIAL);
    let inputs = write(
        &d,
        "inputs.ndjson",
        "{\"inputCaseID\":\"001\"}\n\n{\"inputCaseID\": 2,}\n{}\n[\n",
    );
    let ran = sfn(&["run", "--definition", &def, "--inputs", &inputs]);
    assert_eq!(ran.code, 2);
    assert_eq!(ran.stdout, "");
    assert_eq!(
        ran.stderr_lines(),
        [
            format!("{inputs}:3:19: invalid JSON: trailing comma"),
            format!("{inputs}:5:1: invalid JSON: EOF while parsing a list"),
        ]
    );
}

#[test]
fn run_reads_the_definition_or_the_inputs_from_stdin() {
    let d = dir("run_stdin");
    let def = write(&d, "tutorial.json", TUTORIAL);
    let ran = sfn_with_stdin(
        &[
            "run",
            "--definition",
            "-",
            "--input-json",
            CASE_001,
            "--work-on-case",
            "resolved",
        ],
        TUTORIAL,
    );
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(
        serde_json::to_string(&ran.json()["output"]).unwrap(),
        RESOLVED_001
    );

    let ran = sfn_with_stdin(
        &[
            "run",
            "--definition",
            &def,
            "--input",
            "-",
            "--work-on-case",
            "resolved",
        ],
        CASE_001,
    );
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(
        serde_json::to_string(&ran.json()["output"]).unwrap(),
        RESOLVED_001
    );

    let ran = sfn_with_stdin(
        &[
            "run",
            "--definition",
            &def,
            "--inputs",
            "-",
            "--work-on-case",
            "resolved",
        ],
        &format!("{CASE_001}\n{CASE_001}\n"),
    );
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.stdout.lines().count(), 2);

    let ran = sfn_with_stdin(&["run", "--definition", "-", "--input", "-"], TUTORIAL);
    assert_eq!(ran.code, 2);
    assert_eq!(
        ran.stderr_lines(),
        ["sfn: only one file can be read from standard input, but --definition and --input are '-'"]
    );
}

#[test]
fn bad_json_input_is_located_and_exit_2() {
    let d = dir("run_bad_input");
    let def = write(&d, "tutorial.json", TUTORIAL);
    let input = write(&d, "input.json", "{\n  \"inputCaseID\": \"001\",\n    }\n");
    let ran = sfn(&["run", "--definition", &def, "--input", &input]);
    assert_eq!(ran.code, 2);
    assert_eq!(ran.stdout, "");
    assert_eq!(
        ran.stderr_lines(),
        [format!("{input}:3:5: invalid JSON: trailing comma")]
    );

    let ran = sfn(&["run", "--definition", &def, "--input-json", "{\"a\":"]);
    assert_eq!(ran.code, 2);
    assert_eq!(
        ran.stderr_lines(),
        ["--input-json:1:5: invalid JSON: EOF while parsing a value"]
    );

    let ran = sfn_with_stdin(&["run", "--definition", &def, "--input", "-"], "nope");
    assert_eq!(ran.code, 2);
    assert_eq!(
        ran.stderr_lines(),
        ["<stdin>:1:2: invalid JSON: expected ident"]
    );
}

#[test]
fn missing_and_unreadable_files_are_exit_2() {
    let d = dir("run_missing");
    let def = write(&d, "tutorial.json", TUTORIAL);
    let missing = d.join("missing.json");
    let missing = missing.to_str().unwrap();
    for args in [
        vec!["run", "--definition", missing],
        vec!["run", "--definition", &def, "--input", missing],
        vec!["run", "--definition", &def, "--inputs", missing],
        vec![
            "run",
            "--definition",
            &def,
            "--mock-config",
            missing,
            "--test-case",
            "T",
        ],
    ] {
        let ran = sfn(&args);
        assert_eq!(ran.code, 2, "{args:?}");
        assert_eq!(
            ran.stderr_lines(),
            [format!("{missing}: cannot read: No such file or directory")],
            "{args:?}"
        );
    }
    let binary = d.join("binary.json");
    std::fs::write(&binary, [b'{', 0xff, b'}']).unwrap();
    let ran = sfn(&["run", "--definition", binary.to_str().unwrap()]);
    assert_eq!(ran.code, 2);
    assert!(ran.stderr.contains("not UTF-8"), "{}", ran.stderr);
    // A directory is not a file.
    let ran = sfn(&["run", "--definition", d.to_str().unwrap()]);
    assert_eq!(ran.code, 2);
    assert!(
        ran.stderr
            .starts_with(&format!("{}: cannot read:", d.display())),
        "{}",
        ran.stderr
    );
}

#[test]
fn run_an_invalid_definition_is_exit_1_with_the_diagnostics_on_stderr() {
    let d = dir("run_invalid");
    let def = write(
        &d,
        "bad.json",
        r#"{"StartAt": "A", "States": {"A": {"Type": "Pass"}}}"#,
    );
    let ran = sfn(&["run", "--definition", &def]);
    assert_eq!(ran.code, 1);
    assert_eq!(ran.stdout, "");
    let validate = sfn(&["validate", &def]);
    assert_eq!(validate.code, 1);
    assert_eq!(ran.stderr, validate.stdout, "the same lines as validate");
    assert!(!ran.stderr.is_empty());
}

#[test]
fn usage_errors_are_exit_2() {
    assert_eq!(sfn(&[]).code, 2);
    assert_eq!(sfn(&["frobnicate"]).code, 2);
    assert_eq!(sfn(&["run"]).code, 2, "--definition is required");
    assert_eq!(sfn(&["example", "nope"]).code, 2);
    assert_eq!(
        sfn(&["run", "--definition", "x", "--work-on-case", "maybe"]).code,
        2
    );
    assert_eq!(sfn(&["run", "--definition", "x", "--seed", "-1"]).code, 2);
    assert_eq!(
        sfn(&[
            "run",
            "--definition",
            "x",
            "--input",
            "a",
            "--input-json",
            "{}"
        ])
        .code,
        2
    );
    assert_eq!(
        sfn(&[
            "run",
            "--definition",
            "x",
            "--inputs",
            "a",
            "--input-json",
            "{}"
        ])
        .code,
        2
    );
    let help = sfn(&["--help"]);
    assert_eq!(help.code, 0);
    for command in ["validate", "run", "example"] {
        assert!(help.stdout.contains(command), "{}", help.stdout);
    }
}

// ---- Examples ----

#[test]
fn every_example_runs_from_the_command_line() {
    let list = sfn_with_stdin(&["example", "--list"], "");
    assert_eq!(list.code, 0);
    let names: Vec<&str> = list
        .stdout
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(names.len(), 9, "{}", list.stdout);
    for name in names {
        let ran = sfn_with_stdin(
            &["run", "--example", name, "--work-on-case", "resolved"],
            "",
        );
        assert_eq!(ran.code, 0, "{name}: {}", ran.stderr);
        assert_eq!(ran.json()["status"], "SUCCEEDED", "{name}: {}", ran.stdout);
    }
}

#[test]
fn an_example_takes_another_input() {
    let ran = sfn_with_stdin(
        &[
            "run",
            "--example",
            "choice-logic",
            "--input-json",
            r#"{"priority": 4, "tier": "free", "subject": "Where is my order?"}"#,
        ],
        "",
    );
    assert_eq!(ran.json()["output"]["route"], "FAQ");
    let printed = sfn_with_stdin(&["example", "choice-logic", "--input"], "");
    assert_eq!(
        serde_json::from_str::<Value>(&printed.stdout).unwrap()["tier"],
        "gold"
    );
}

#[test]
fn an_unknown_example_is_a_usage_error_naming_the_others() {
    let ran = sfn_with_stdin(&["run", "--example", "nope"], "");
    assert_eq!(ran.code, 2);
    assert!(
        ran.stderr.contains("tutorial, retry-catch"),
        "{}",
        ran.stderr
    );
}

/// A Distributed Map reading a CSV object from S3 (the MockConfigFile gives its content),
/// every 50th item failing within the tolerated 5 %.
const DISTRIBUTED_CSV: &str = r#"{
  "StartAt": "Map",
  "States": {
    "Map": {
      "Type": "Map",
      "ItemReader": {
        "Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": { "InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW", "MaxItemsPath": "$.max" },
        "Parameters": { "Bucket": "amzn-s3-demo-bucket", "Key.$": "$.key" }
      },
      "ItemSelector": { "id.$": "States.StringToJson($$.Map.Item.Value.id)" },
      "ItemBatcher": { "MaxItemsPerBatch": 2 },
      "ToleratedFailurePercentage": 50,
      "ItemProcessor": {
        "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "STANDARD" },
        "StartAt": "Check",
        "States": {
          "Check": { "Type": "Choice", "Choices": [{ "Variable": "$.Items[0].id", "NumericEquals": 3, "Next": "Reject" }], "Default": "Done" },
          "Done": { "Type": "Succeed" },
          "Reject": { "Type": "Fail", "Error": "Rejected", "Cause": "item 3" }
        }
      },
      "End": true
    }
  }
}"#;

#[test]
fn run_a_distributed_map_reading_a_mocked_csv_object() {
    let d = dir("run_item_reader");
    let def = write(&d, "distributed.json", DISTRIBUTED_CSV);
    let mocks = write(
        &d,
        "MockConfigFile.json",
        &json!({
            "StateMachines": {"Orders": {"TestCases": {"FiveRows": {"Map": "OrdersCsv"}}}},
            "MockedResponses": {"OrdersCsv": {"0": {"Return": "id,name\n1,a\n2,b\n3,c\n4,d\n5,e\n6,f\n"}}}
        })
        .to_string(),
    );
    let ran = sfn(&[
        "run",
        "--definition",
        &def,
        "--input-json",
        r#"{"key": "orders.csv", "max": 5}"#,
        "--mock-config",
        &mocks,
        "--test-case",
        "FiveRows",
        "--history",
    ]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let result = ran.json();
    assert_eq!(result["status"], "SUCCEEDED", "{result}");
    assert_eq!(
        result["output"],
        json!([
            {"Items": [{"id": 1}, {"id": 2}]},
            {"Error": "Rejected", "Cause": "item 3"},
            {"Items": [{"id": 5}]}
        ])
    );
    let types: Vec<&str> = result["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert!(
        types.contains(&"MapRunStarted") && types.contains(&"MapRunSucceeded"),
        "{types:?}"
    );

    // Without the mock, the run says where to add it.
    let ran = sfn(&[
        "run",
        "--definition",
        &def,
        "--input-json",
        r#"{"key": "orders.csv", "max": 5}"#,
    ]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let result = ran.json();
    assert_eq!(result["status"], "FAILED");
    assert_eq!(result["error"], "States.ItemReaderFailed");
    let cause = result["cause"].as_str().unwrap();
    assert!(
        cause.contains("s3://amzn-s3-demo-bucket/orders.csv"),
        "{cause}"
    );
    assert!(cause.contains("MockConfigFile"), "{cause}");
}

// --- eval -------------------------------------------------------------------------------

#[test]
fn eval_jsonata_with_an_input_and_the_whole_language() {
    let ran = sfn(&["eval", "$sum(a) ?? 0", "--input-json", r#"{"a": [1, 2.5]}"#]);
    assert_eq!(
        (ran.code, ran.stdout.as_str()),
        (0, "3.5\n"),
        "{}",
        ran.stderr
    );
    let d = dir("eval_input_file");
    let input = write(&d, "input.json", r#"{"name": "World"}"#);
    let ran = sfn(&["eval", r#""Hello " & name"#, "--input", &input]);
    assert_eq!(ran.json(), json!("Hello World"));
}

#[test]
fn eval_has_aws_functions_and_no_eval() {
    assert_eq!(
        sfn(&["eval", "$range(0, 9, 3)"]).json(),
        json!([0, 3, 6, 9])
    );
    assert_eq!(
        sfn(&["eval", "$partition([1,2,3], 2)"]).json(),
        json!([[1, 2], [3]])
    );
    assert_eq!(
        sfn(&["eval", r#"$hash("input data", "MD5")"#]).json(),
        json!("812f45842bc6d66ee14572ce20db8e86")
    );
    assert_eq!(sfn(&["eval", r#"$parse('{"a": 1}').a"#]).json(), json!(1));
    let uuid = sfn(&["eval", "$uuid()"]).json();
    assert_eq!(uuid.as_str().unwrap().len(), 36);
    let refused = sfn(&["eval", r#"$eval("1")"#]);
    assert_eq!(refused.code, 1);
    assert!(
        refused.stderr_lines()[0].starts_with("T1006: "),
        "{}",
        refused.stderr
    );
}

#[test]
fn eval_binds_variables_and_says_nothing_for_undefined() {
    assert_eq!(
        sfn(&["eval", "$x * 2", "--bindings", r#"{"x": 21}"#]).json(),
        json!(42)
    );
    // Without an input, the input is undefined: so is a path into it.
    let ran = sfn(&["eval", "a.b"]);
    assert_eq!(
        (ran.code, ran.stdout.as_str(), ran.stderr.as_str()),
        (0, "", "")
    );
}

#[test]
fn eval_errors_start_with_their_code() {
    let ran = sfn(&["eval", r#""a" + 1"#]);
    assert_eq!(ran.code, 1);
    assert!(
        ran.stderr_lines()[0].starts_with("T2001: "),
        "{}",
        ran.stderr
    );
    let ran = sfn(&["eval", "1 +"]);
    assert_eq!(ran.code, 1);
    assert!(ran.stderr_lines()[0].starts_with("S0"), "{}", ran.stderr);
}

#[test]
fn eval_jsonpath_paths_and_intrinsics() {
    let ran = sfn(&[
        "eval",
        "--jsonpath",
        "States.Format($.greeting, $name)",
        "--input-json",
        r#"{"greeting": "Hello {}"}"#,
        "--bindings",
        r#"{"name": "you"}"#,
    ]);
    assert_eq!(ran.json(), json!("Hello you"));
    let ran = sfn(&[
        "eval",
        "--jsonpath",
        "$.a[1]",
        "--input-json",
        r#"{"a": [1, 2]}"#,
    ]);
    assert_eq!(ran.json(), json!(2));
    let ran = sfn(&["eval", "--jsonpath", "$.nope", "--input-json", "{}"]);
    assert_eq!(ran.code, 1);
    assert!(
        ran.stderr_lines()[0].starts_with("States.Runtime: "),
        "{}",
        ran.stderr
    );
}

// --- templates and YAML ------------------------------------------------------------------

/// The tutorial's own template, `../shared/seed/call-center.yml`.
fn call_center_yml() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seed/call-center.yml");
    assert!(
        path.exists(),
        "{}: the seed is at ../shared/seed",
        path.display()
    );
    path.to_str().unwrap().to_string()
}

#[test]
fn validate_and_run_the_tutorials_template() {
    let template = call_center_yml();
    let ran = sfn(&["validate", &template]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(
        ran.stdout,
        format!("{template}: CallCenterStateMachine: valid\n")
    );
    assert_eq!(
        ran.stderr_lines(),
        [format!("{template}: the state machine CallCenterStateMachine (AWS::StepFunctions::StateMachine), from its DefinitionString (Fn::Sub)")]
    );
    let ran = sfn(&[
        "run",
        "--definition",
        &template,
        "--input-json",
        CASE_001,
        "--work-on-case",
        "resolved",
    ]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(
        ran.json()["output"],
        serde_json::from_str::<Value>(RESOLVED_001).unwrap()
    );
}

const TWO_MACHINES: &str = r#"
Resources:
  OpenCaseFunction:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: OpenCase
  Open:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      DefinitionString: !Sub '{"StartAt": "Open Case", "States": {"Open Case": {"Type": "Task", "Resource": "${OpenCaseFunction.Arn}", "End": true}}}'
  Broken:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition:
        StartAt: A
        States:
          A:
            Type: Pass
            Next: Nowhere
"#;

#[test]
fn a_template_with_several_machines_needs_state_machine() {
    let d = dir("template_two_machines");
    let template = write(&d, "template.yml", TWO_MACHINES);
    let ran = sfn(&["validate", &template]);
    assert_eq!(ran.code, 2);
    assert_eq!(
        ran.stderr,
        format!("{template}: the template has 2 state machines (Open, Broken): choose one with --state-machine\n")
    );
    let ran = sfn(&[
        "run",
        "--definition",
        &template,
        "--state-machine",
        "Open",
        "--input-json",
        CASE_001,
    ]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.json()["output"]["Case"], "001");
    assert!(ran.stderr_lines().contains(
        &format!("{template}: example value: ${{OpenCaseFunction.Arn}} = arn:aws:lambda:us-east-1:123456789012:function:OpenCase").as_str()
    ), "{}", ran.stderr);
    // A Definition object's problems are located in the template itself.
    let ran = sfn(&["validate", &template, "--state-machine", "Broken"]);
    assert_eq!(ran.code, 1);
    assert_eq!(
        ran.stdout,
        format!("{template}:19:19: MISSING_TRANSITION_TARGET: Missing 'Next' target: Nowhere at /States/A/Next\n")
    );
    let ran = sfn(&["validate", &template, "--state-machine", "Third"]);
    assert_eq!(ran.code, 1);
    assert!(
        ran.stderr
            .contains("no state machine Third in this template; it has Open, Broken"),
        "{}",
        ran.stderr
    );
}

#[test]
fn yaml_definitions_and_template_errors_are_located() {
    let d = dir("yaml_definition");
    let def = write(
        &d,
        "flow.asl.yaml",
        "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Result: {ok: true}\n    End: true\n",
    );
    let ran = sfn(&["run", "--definition", &def]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.json()["output"], json!({"ok": true}));
    let broken = write(&d, "broken.yaml", "StartAt: A\nStates:\n  A: [1\n");
    let ran = sfn(&["validate", &broken]);
    assert_eq!(ran.code, 1);
    assert!(
        ran.stderr
            .starts_with(&format!("{broken}:4:1: invalid YAML: ")),
        "{}",
        ran.stderr
    );
    let uri = write(&d, "sam.yaml", "Resources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      DefinitionUri: statemachine/flow.asl.json\n");
    let ran = sfn(&["validate", &uri]);
    assert_eq!(ran.code, 1);
    assert!(ran.stderr.starts_with(&format!("{uri}:5:22: Flow's definition is in statemachine/flow.asl.json (DefinitionUri), which the playground cannot read")), "{}", ran.stderr);
    // --state-machine only picks among a template's (or a mock config's) machines.
    let ran = sfn(&["run", "--definition", &def, "--state-machine", "X"]);
    assert_eq!(ran.code, 2);
}

#[test]
fn an_exported_template_reads_back_and_runs() {
    let d = dir("export_round_trip");
    for single in [false, true] {
        let out = d.join(format!("out-{single}"));
        let mut args = vec![
            "export",
            "--example",
            "tutorial",
            "--out",
            out.to_str().unwrap(),
        ];
        if single {
            args.push("--single-stack");
        }
        assert_eq!(sfn(&args).code, 0);
        let template = out.join("call-center.yml");
        let ran = sfn(&[
            "run",
            "--definition",
            template.to_str().unwrap(),
            "--input-json",
            CASE_001,
            "--work-on-case",
            "resolved",
        ]);
        assert_eq!(ran.code, 0, "{}", ran.stderr);
        assert_eq!(
            ran.json()["output"],
            serde_json::from_str::<Value>(RESOLVED_001).unwrap(),
            "single stack: {single}"
        );
    }
}

#[test]
fn run_redrive_continues_a_failed_run_until_it_succeeds() {
    let d = dir("run_redrive");
    let def = write(
        &d,
        "flaky.json",
        r#"{"StartAt":"Prepare","States":{
          "Prepare":{"Type":"Pass","Next":"Work"},
          "Work":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:Work","End":true}}}"#,
    );
    let mocks = write(
        &d,
        "MockConfigFile.json",
        r#"{"StateMachines":{"Flaky":{"TestCases":{"FailsTwice":{"Work":"FailsTwice"}}}},
          "MockedResponses":{"FailsTwice":{"0-1":{"Throw":{"Error":"Boom","Cause":"not yet"}},"2":{"Return":{"ok":true}}}}}"#,
    );
    let run = |redrives: &str| {
        sfn(&[
            "run",
            "--definition",
            &def,
            "--mock-config",
            &mocks,
            "--test-case",
            "FailsTwice",
            "--redrive",
            redrives,
            "--history",
        ])
        .json()
    };
    // One redrive is not enough: it fails again, once redriven.
    let once = run("1");
    assert_eq!(once["status"], "FAILED");
    assert_eq!(once["redriveCount"], 1);
    // Three allowed, two used.
    let done = run("3");
    assert_eq!(done["status"], "SUCCEEDED");
    assert_eq!(done["output"], serde_json::json!({"ok": true}));
    assert_eq!(done["redriveCount"], 2);
    let types: Vec<&str> = done["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types.iter().filter(|t| **t == "ExecutionRedriven").count(),
        2
    );
    assert_eq!(
        types.iter().filter(|t| **t == "PassStateEntered").count(),
        1
    );
    assert_eq!(types.last(), Some(&"ExecutionSucceeded"));
    // Without --redrive the result has no redriveCount.
    assert_eq!(run("0").get("redriveCount"), None);
}

/// A TestState call AWS recorded (`../shared/conformance/localstack-api/teststate.jsonl`),
/// found by the end of its id.
fn recorded_test_state(id_end: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/conformance/localstack-api/teststate.jsonl");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: the conformance data is at ../shared/conformance ({e})",
            path.display()
        )
    });
    let found: Vec<Value> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|r| r["id"].as_str().is_some_and(|id| id.ends_with(id_end)))
        .collect();
    assert_eq!(found.len(), 1, "one recorded call ends with {id_end}");
    found.into_iter().next().unwrap()
}

/// Whether our value is what AWS recorded, where a recorded string holding a value AWS
/// generated (masked as a placeholder) matches any string.
fn same_as_recorded(recorded: &Value, ours: &Value, placeholders: &[&str]) -> bool {
    match (recorded, ours) {
        (Value::String(r), Value::String(_)) if placeholders.iter().any(|p| r.contains(p)) => true,
        (Value::Object(r), Value::Object(o)) => {
            r.len() == o.len()
                && r.iter().all(|(k, v)| {
                    o.get(k)
                        .is_some_and(|ov| same_as_recorded(v, ov, placeholders))
                })
        }
        (Value::Array(r), Value::Array(o)) => {
            r.len() == o.len()
                && r.iter()
                    .zip(o)
                    .all(|(r, o)| same_as_recorded(r, o, placeholders))
        }
        (Value::Number(r), Value::Number(o)) => r.as_f64() == o.as_f64(),
        _ => recorded == ours,
    }
}

/// Runs `sfn test-state` with the recorded request's options.
fn test_state_as_recorded(test: &str, call: &Value) -> Ran {
    let dir = dir(test);
    let definition = write(&dir, "state.json", &call["state"].to_string());
    let mut args: Vec<String> = vec!["test-state".into(), "--definition".into(), definition];
    let mut option = |name: &str, value: String| {
        args.push(format!("--{name}"));
        args.push(value);
    };
    if let Some(name) = call["state_name"].as_str() {
        option("state", name.into());
    }
    option("input", call["input"].to_string());
    if let Some(result) = call["mock"].get("result") {
        option("mock-result", result.to_string());
    }
    if let Some(error) = call["mock"].get("errorOutput") {
        option("mock-error", error["error"].as_str().unwrap().into());
        option("mock-cause", error["cause"].as_str().unwrap().into());
    }
    if let Some(n) = call["state_configuration"]["retrierRetryCount"].as_u64() {
        option("retrier-retry-count", n.to_string());
    }
    for (field, name) in [("context", "context"), ("variables", "variables")] {
        if call[field].is_object() {
            option(name, call[field].to_string());
        }
    }
    if let Some(level) = call["inspection_level"].as_str() {
        option("inspection-level", level.into());
    }
    if call["role_arn_provided"] == true {
        option(
            "role-arn",
            "arn:aws:iam::123456789012:role/TestStateRole".into(),
        );
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    sfn(&args)
}

/// The response is the recorded one: the same members, the JSON text of `output` and of the
/// inspection stages parsed and compared with what AWS recorded.
fn assert_responds_as_recorded(test: &str, id_end: &str) -> Value {
    let call = recorded_test_state(id_end);
    let ran = test_state_as_recorded(test, &call);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let ours = ran.json();
    let expected = &call["expected"];
    let placeholders: Vec<&str> = call["unreproducible_placeholders"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let keys = |v: &Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(keys(&ours), keys(expected), "{ours:#}");
    for key in ["status", "error", "cause", "nextState"] {
        assert_eq!(ours.get(key), expected.get(key), "{key}");
    }
    if let Some(output) = expected.get("output") {
        let text = ours["output"].as_str().expect("output is JSON text");
        let parsed: Value = serde_json::from_str(text).unwrap();
        assert!(
            same_as_recorded(output, &parsed, &placeholders),
            "output {parsed:#} ≠ {output:#}"
        );
    }
    if let Some(Value::Object(stages)) = expected.get("inspectionData") {
        assert_eq!(
            keys(&ours["inspectionData"]),
            keys(&expected["inspectionData"])
        );
        for (stage, want) in stages {
            let got = &ours["inspectionData"][stage];
            let got = match got.as_str() {
                Some(text) => serde_json::from_str(text).unwrap(),
                None => got.clone(),
            };
            assert!(
                same_as_recorded(want, &got, &placeholders),
                "inspectionData.{stage}: {got:#} ≠ {want:#}"
            );
        }
    }
    ours
}

#[test]
fn test_state_a_caught_error_goes_to_the_catchers_next() {
    let ours = assert_responds_as_recorded(
        "test_state_caught",
        "test_state_task_catch_error[DEBUG]::test_catch_mock_exception_response",
    );
    assert_eq!(ours["status"], "CAUGHT_ERROR");
    assert_eq!(
        ours["inspectionData"]["errorDetails"],
        json!({"catchIndex": 0})
    );
}

#[test]
fn test_state_retriable_until_the_retrier_is_used_up() {
    let ours = assert_responds_as_recorded(
        "test_state_retriable",
        "test_state_configuration_retrier_retry_count[DEBUG]::below_tolerated_retry_count_with_backoff",
    );
    assert_eq!(ours["status"], "RETRIABLE");
    let ours = assert_responds_as_recorded(
        "test_state_retries_spent",
        "test_state_configuration_retrier_retry_count[DEBUG]::exceeds_tolerated_retry_count",
    );
    assert_eq!(ours["status"], "FAILED");
}

#[test]
fn test_state_a_choice_names_its_next_state() {
    let ours = assert_responds_as_recorded(
        "test_state_choice",
        "test_base_inspection_level_debug[BASE_CHOICE_STATE]::test_case_response",
    );
    assert_eq!(ours["nextState"], "ValueInTwenties");
    // At INFO, no inspection data.
    let ours = assert_responds_as_recorded(
        "test_state_choice_info",
        "test_base_inspection_level_info[BASE_CHOICE_STATE]::test_case_response",
    );
    assert!(ours.get("inspectionData").is_none());
}

#[test]
fn test_state_a_state_of_a_whole_definition() {
    let ours = assert_responds_as_recorded(
        "test_state_named",
        "test_localstack_blogpost_scenario::check_approval_granted_response",
    );
    assert_eq!(ours["nextState"], "Purchase Approved");
}

#[test]
fn test_state_rejections_in_aws_words() {
    for (test, id_end, code) in [
        (
            "test_state_map_needs_mock",
            "test_state_type_requires_mock[MapState]::validation_exception",
            1,
        ),
        (
            "test_state_no_such_state",
            "test_base_state_name_validation_failures[dne]::exception",
            2,
        ),
    ] {
        let call = recorded_test_state(id_end);
        let ran = test_state_as_recorded(test, &call);
        let error = &call["expected"]["api_error"];
        assert_eq!(ran.code, code, "{}", ran.stderr);
        assert_eq!(
            ran.stderr_lines(),
            [format!(
                "{}: {}",
                error["code"].as_str().unwrap(),
                error["message"].as_str().unwrap()
            )]
        );
        assert!(ran.stdout.is_empty());
    }
}

#[test]
fn test_state_of_the_tutorial_from_the_command_line() {
    let dir = dir("test_state_tutorial");
    let tutorial = write(&dir, "tutorial.json", TUTORIAL);
    // A whole definition needs --state, and says which states it has.
    let ran = sfn(&["test-state", "--definition", &tutorial]);
    assert_eq!(ran.code, 2);
    assert!(
        ran.stderr.contains("--state (Open Case, Assign Case"),
        "{}",
        ran.stderr
    );
    // The input from a file, the mocked result as text.
    let input = write(&dir, "input.json", r#"{"Case":"001"}"#);
    let ran = sfn(&[
        "test-state",
        "--definition",
        &tutorial,
        "--state",
        "Work on Case",
        "--input",
        &input,
        "--mock-result",
        r#"{"Case":"001","Status":0}"#,
    ]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(
        ran.json(),
        json!({"output": r#"{"Case":"001","Status":0}"#, "nextState": "Is Case Resolved", "status": "SUCCEEDED"})
    );
    // Without a mock, a Task needs a role (then the built-in functions answer it).
    let ran = sfn(&[
        "test-state",
        "--definition",
        &tutorial,
        "--state",
        "Work on Case",
    ]);
    assert_eq!(ran.code, 2);
    assert_eq!(
        ran.stderr_lines(),
        ["ValidationException: RoleArn must be specified when testing a Task state"]
    );
    // The input from stdin; bad JSON is located.
    let ran = sfn_with_stdin(
        &[
            "test-state",
            "--definition",
            &tutorial,
            "--state",
            "Is Case Resolved",
            "--input",
            "-",
        ],
        r#"{"Status": 0}"#,
    );
    assert_eq!(ran.json()["nextState"], "Escalate Case");
    let ran = sfn(&[
        "test-state",
        "--definition",
        &tutorial,
        "--state",
        "Is Case Resolved",
        "--input",
        r#"{"Status": }"#,
    ]);
    assert_eq!(ran.code, 2);
    assert_eq!(
        ran.stderr_lines(),
        ["--input:1:12: invalid JSON: expected value"]
    );
    // No choice matches: FAILED with AWS's error.
    let ran = sfn(&[
        "test-state",
        "--definition",
        &tutorial,
        "--state",
        "Is Case Resolved",
        "--input",
        r#"{"Status": 7}"#,
    ]);
    assert_eq!(ran.json()["status"], "FAILED");
    assert_eq!(ran.json()["error"], "States.NoChoiceMatched");
}

/// The issue's 1 KB definition that nests its data 100 levels deeper each turn: the run ends
/// at the turn whose output would nest deeper than 1,000 levels (the playground's choice of
/// limit and error, see `asl::limits`), instead of growing until memory or the stack runs out.
#[test]
fn run_the_deep_loop_ends_with_a_data_limit_error() {
    let def = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../asl/tests/data/deep-loop.asl.json"
    );
    let ran = sfn(&["run", "--definition", def]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let result = ran.json();
    assert_eq!(result["status"], "FAILED");
    assert_eq!(result["error"], "States.DataLimitExceeded");
    assert_eq!(
        result["cause"],
        "An error occurred while executing the state 'Wrap' (entered at the event id #38). The state/task 'Wrap' returned a result nested 1001 levels deep, deeper than the maximum nesting depth of 1000 levels."
    );
    // With the history too: every event's payload is printed, the deepest 901 levels deep.
    let ran = sfn(&["run", "--definition", def, "--history"]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    assert_eq!(ran.json()["history"].as_array().unwrap().len(), 39);
}

/// AWS's StartExecution refuses an input over 262,144 bytes with this ValidationException
/// (recorded from AWS): nothing runs.
#[test]
fn an_input_over_256_kib_is_refused_before_the_run() {
    let d = dir("run_large_input");
    let def = write(&d, "tutorial.json", TUTORIAL);
    let large = format!("{{\"a\":\"{}\"}}", "x".repeat(300 * 1024));
    let input = write(&d, "input.json", &large);
    let message = "1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have size less than or equal to 262144 bytes in UTF-8 encoding";
    let ran = sfn(&["run", "--definition", &def, "--input", &input]);
    assert_eq!(ran.code, 2);
    assert_eq!(ran.stdout, "");
    assert_eq!(ran.stderr_lines(), [format!("{input}: {message}")]);

    let inputs = write(&d, "inputs.ndjson", &format!("{{}}\n{large}\n"));
    let ran = sfn(&["run", "--definition", &def, "--inputs", &inputs]);
    assert_eq!(ran.code, 2);
    assert_eq!(ran.stderr_lines(), [format!("{inputs}:2: {message}")]);
}

/// The playground's choice where AWS documents nothing: an input is read by serde_json, which
/// stops at 128 levels of nesting. AWS's Jackson would read up to 1,000; no document says
/// whether StartExecution accepts an input nested 200 levels deep, so ours says plainly why
/// it does not.
#[test]
fn an_input_nested_200_levels_deep_is_refused_by_the_parser() {
    let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
    let def = write(&dir("run_deep_input"), "tutorial.json", TUTORIAL);
    let ran = sfn(&["run", "--definition", &def, "--input-json", &deep]);
    assert_eq!(ran.code, 2);
    assert_eq!(
        ran.stderr_lines(),
        ["--input-json:1:128: invalid JSON: recursion limit exceeded"]
    );
    let shallow = format!("{}1{}", "[".repeat(127), "]".repeat(127));
    let ran = sfn(&["run", "--definition", &def, "--input-json", &shallow]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
}

/// AWS refuses a definition over 1 MB (a hard quota) before reading it.
#[test]
fn validate_refuses_a_definition_over_one_megabyte() {
    let d = dir("validate_large");
    let text = format!("{TUTORIAL}{}", " ".repeat(1_048_576));
    let def = write(&d, "large.json", &text);
    let ran = sfn(&["validate", &def]);
    assert_eq!(ran.code, 1);
    assert_eq!(
        ran.stdout,
        format!("{def}: ValidationException: 1 validation error detected: Value at 'definition' failed to satisfy constraint: Member must have size less than or equal to 1048576 bytes in UTF-8 encoding at /\n")
    );
}
