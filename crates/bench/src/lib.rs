//! The workloads of `cargo xtask bench`, and the runner that runs one with our engine.
//!
//! Every workload is generated here, written to `target/bench/<id>.json` by the native runner
//! (`bench write`), and read back from that file by every engine: ours natively (`bench run`),
//! ours in wasm and aws-local-stepfunctions (both through `bench/driver.mjs`). So both sides
//! run the same definition text on the same input.
//!
//! A workload file is one JSON object:
//!
//! ```json
//! {"id": "choice-loop", "label": "Choice loop ×5,000 (States.MathAdd)",
//!  "definition": "{…ASL text…}", "input": {…}, "executions": 1,
//!  "tasks": "none" | "callcenter", "work_on_case": "resolved",
//!  "state_machine_name": "Bench", "mock_config": null | {…MockConfigFile…}, "test_case": null | "…"}
//! ```
//!
//! Every workload stays within AWS's limits: fewer than 25,000 history events per execution and
//! an execution input of at most 256 KiB.

use asl::mock::MockConfig;
use asl::{Execution, ExecutionConfig, NoTasks, StateMachine, Status, TaskHandler};
use callcenter::{CallCenter, WorkOnCase};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

mod jsonata_bench;
#[cfg(target_arch = "wasm32")]
mod wasm;

pub use jsonata_bench::{
    items, jsonata_workloads, run_jsonata, text_lines, JsonataWorkload, DATASET5,
};

/// A workload file's content: an ASL workload, or a JSONata one (`"kind": "jsonata"`).
#[derive(Debug, Clone)]
pub enum Job {
    Asl(Workload),
    Jsonata(JsonataWorkload),
}

impl Job {
    pub fn from_json(value: &Value) -> Result<Job, String> {
        if value["kind"].as_str() == Some("jsonata") {
            JsonataWorkload::from_json(value).map(Job::Jsonata)
        } else {
            Workload::from_json(value).map(Job::Asl)
        }
    }

    /// Runs it with our engine (the part that is timed).
    pub fn run(&self) -> Result<Report, String> {
        match self {
            Job::Asl(w) => run(w),
            Job::Jsonata(w) => run_jsonata(w),
        }
    }
}

/// AWS's limit on an execution's input (and any payload): 256 KiB.
pub const MAX_INPUT_BYTES: usize = 262_144;
/// AWS's limit on an execution's history.
pub const MAX_HISTORY_EVENTS: usize = 25_000;

/// Which task handler answers the workload's Task states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tasks {
    /// No Task states (or only mocked ones).
    None,
    /// The call-center tutorial's five functions; WorkOnCase always resolves the case (its
    /// `Math.random()` is 0.5 on both sides), so every execution takes the same path.
    CallCenter,
}

/// One workload: a definition, an input, how many executions, and what answers the tasks.
#[derive(Debug, Clone)]
pub struct Workload {
    pub id: String,
    pub label: String,
    pub definition: String,
    pub input: Value,
    pub executions: u32,
    pub tasks: Tasks,
    pub state_machine_name: String,
    /// A MockConfigFile and the test case to run with it (the ItemReader workload's S3 object).
    pub mock_config: Option<Value>,
    pub test_case: Option<String>,
}

/// The workloads, in the table's order.
pub fn workloads() -> Vec<Workload> {
    vec![
        call_center(20_000),
        inline_map(4_000),
        choice_loop(5_000),
        pass_chain(50, 200),
        distributed_map(3_000),
        distributed_map(30_000),
        item_reader(100_000),
    ]
}

/// `3000` → `3,000`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn workload(id: &str, label: String, definition: Value, input: Value, executions: u32) -> Workload {
    Workload {
        id: id.to_string(),
        label,
        definition: serde_json::to_string_pretty(&definition).expect("a Value serializes"),
        input,
        executions,
        tasks: Tasks::None,
        state_machine_name: "Bench".to_string(),
        mock_config: None,
        test_case: None,
    }
}

/// The tutorial, with the built-in functions, `executions` times.
pub fn call_center(executions: u32) -> Workload {
    let mut w = workload(
        "call-center",
        format!("call center ×{}", thousands(executions.into())),
        serde_json::from_str(callcenter::TUTORIAL_DEFINITION).expect("the tutorial is JSON"),
        serde_json::from_str(callcenter::TUTORIAL_INPUT).expect("the tutorial's input is JSON"),
        executions,
    );
    // Keep the tutorial's own text (its key order and formatting).
    w.definition = callcenter::TUTORIAL_DEFINITION.to_string();
    w.tasks = Tasks::CallCenter;
    w.state_machine_name = "CallCenter".to_string();
    w
}

/// An INLINE Map over `n` integers whose ItemSelector reads `$$.Map.Item`, with a Pass processor.
pub fn inline_map(n: u32) -> Workload {
    let definition = json!({
        "Comment": "INLINE Map: ItemSelector reads $$.Map.Item, a Pass processor",
        "StartAt": "Map",
        "States": {
            "Map": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "ItemSelector": {"index.$": "$$.Map.Item.Index", "value.$": "$$.Map.Item.Value"},
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"},
                    "StartAt": "Process",
                    "States": {
                        "Process": {
                            "Type": "Pass",
                            "Parameters": {"i.$": "$.index", "v.$": "$.value", "kind": "item"},
                            "End": true
                        }
                    }
                },
                "End": true
            }
        }
    });
    let items: Vec<u32> = (0..n).collect();
    workload(
        "map-inline",
        format!("INLINE Map {} items ($$.Map.Item)", thousands(n.into())),
        definition,
        json!({ "items": items }),
        1,
    )
}

/// A Pass + Choice loop that counts to `n` with States.MathAdd: 4 events per iteration.
pub fn choice_loop(n: u32) -> Workload {
    let definition = json!({
        "Comment": "Choice loop: Pass (States.MathAdd) then Choice, until the counter reaches the limit",
        "StartAt": "Increment",
        "States": {
            "Increment": {
                "Type": "Pass",
                "Parameters": {"count.$": "States.MathAdd($.count, 1)", "limit.$": "$.limit"},
                "Next": "Done?"
            },
            "Done?": {
                "Type": "Choice",
                "Choices": [
                    {"Variable": "$.count", "NumericLessThanPath": "$.limit", "Next": "Increment"}
                ],
                "Default": "Done"
            },
            "Done": {"Type": "Succeed"}
        }
    });
    workload(
        "choice-loop",
        format!("Choice loop ×{} (States.MathAdd)", thousands(n.into())),
        definition,
        json!({"count": 0, "limit": n}),
        1,
    )
}

/// `states` Pass states in a row, each with Parameters calling intrinsic functions, `runs` times.
pub fn pass_chain(states: u32, runs: u32) -> Workload {
    let mut all = Map::new();
    for i in 0..states {
        let name = format!("Step {i}");
        let mut state = json!({
            "Type": "Pass",
            "Parameters": {
                "n.$": "States.MathAdd($.n, 1)",
                "name.$": "$.name",
                "label.$": "States.Format('{} at step {}', $.name, $.n)",
                "json.$": "$.json",
                "parsed.$": "States.StringToJson($.json)",
                "pair.$": "States.Array($.n, $.name)",
                "size.$": "States.ArrayLength($.tags)",
                "tags.$": "$.tags"
            }
        });
        if i + 1 < states {
            state["Next"] = json!(format!("Step {}", i + 1));
        } else {
            state["End"] = json!(true);
        }
        all.insert(name, state);
    }
    let definition = json!({
        "Comment": "A chain of Pass states with Parameters and intrinsic functions",
        "StartAt": "Step 0",
        "States": all,
    });
    workload(
        "pass-chain",
        format!("{states}-state Pass chain (intrinsics) ×{runs}"),
        definition,
        json!({
            "n": 0,
            "name": "bench",
            "json": "{\"a\":1,\"b\":[1,2,3],\"c\":{\"d\":\"e\"}}",
            "tags": ["x", "y", "z"]
        }),
        runs,
    )
}

/// The processor shared by the Distributed Map workloads: each item `v` becomes `v + 1`.
fn distributed_processor() -> Value {
    json!({
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "Process",
        "States": {
            "Process": {
                "Type": "Pass",
                "Parameters": {"next.$": "States.MathAdd($.value, 1)"},
                "OutputPath": "$.next",
                "End": true
            }
        }
    })
}

/// A DISTRIBUTED Map over `n` integers given in the input.
pub fn distributed_map(n: u32) -> Workload {
    let definition = json!({
        "Comment": "DISTRIBUTED Map over the input's items",
        "StartAt": "Map",
        "States": {
            "Map": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "ItemSelector": {"value.$": "$$.Map.Item.Value"},
                "ItemProcessor": distributed_processor(),
                "End": true
            }
        }
    });
    let items: Vec<u32> = (0..n).collect();
    workload(
        &format!("map-distributed-{n}"),
        format!("DISTRIBUTED Map {} items", thousands(n.into())),
        definition,
        json!({ "items": items }),
        1,
    )
}

/// A DISTRIBUTED Map over `n` integers read from S3 by ItemReader; the S3 object's content is
/// the mocked response of the Map state (resource `arn:aws:states:::s3:getObject`) in a
/// MockConfigFile.
pub fn item_reader(n: u32) -> Workload {
    let definition = json!({
        "Comment": "DISTRIBUTED Map over a JSON array read from S3 by ItemReader",
        "StartAt": "Map",
        "States": {
            "Map": {
                "Type": "Map",
                "ItemReader": {
                    "Resource": "arn:aws:states:::s3:getObject",
                    "ReaderConfig": {"InputType": "JSON"},
                    "Parameters": {"Bucket": "bench-bucket", "Key": "items.json"}
                },
                "ItemSelector": {"value.$": "$$.Map.Item.Value"},
                "ItemProcessor": distributed_processor(),
                "ResultSelector": {"count.$": "States.ArrayLength($)"},
                "End": true
            }
        }
    });
    let items: Vec<u32> = (0..n).collect();
    let mut w = workload(
        &format!("item-reader-{n}"),
        format!("DISTRIBUTED Map {} items (ItemReader)", thousands(n.into())),
        definition,
        json!({}),
        1,
    );
    w.mock_config = Some(json!({
        "StateMachines": {"Bench": {"TestCases": {"Items": {"Map": "ItemsObject"}}}},
        "MockedResponses": {"ItemsObject": {"0": {"Return": items}}}
    }));
    w.test_case = Some("Items".to_string());
    w
}

impl Workload {
    /// The workload file's JSON.
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "label": self.label,
            "definition": self.definition,
            "input": self.input,
            "executions": self.executions,
            "tasks": match self.tasks { Tasks::None => "none", Tasks::CallCenter => "callcenter" },
            "work_on_case": "resolved",
            "state_machine_name": self.state_machine_name,
            "mock_config": self.mock_config,
            "test_case": self.test_case,
        })
    }

    /// Reads a workload file's JSON.
    pub fn from_json(value: &Value) -> Result<Workload, String> {
        let text = |key: &str| {
            value[key]
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| format!("workload file: \"{key}\" must be a string"))
        };
        let tasks = match value["tasks"].as_str() {
            Some("none") | None => Tasks::None,
            Some("callcenter") => Tasks::CallCenter,
            Some(other) => return Err(format!("workload file: unknown tasks \"{other}\"")),
        };
        Ok(Workload {
            id: text("id")?,
            label: text("label")?,
            definition: text("definition")?,
            input: value["input"].clone(),
            executions: value["executions"]
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .ok_or("workload file: \"executions\" must be a count")?,
            tasks,
            state_machine_name: text("state_machine_name")?,
            mock_config: value.get("mock_config").filter(|v| !v.is_null()).cloned(),
            test_case: value["test_case"].as_str().map(str::to_string),
        })
    }

    /// Checks AWS's input limit (the history limit is checked by [`run`]).
    pub fn check_limits(&self) -> Result<(), String> {
        let bytes = serde_json::to_string(&self.input).map_or(0, |s| s.len());
        if bytes > MAX_INPUT_BYTES {
            return Err(format!(
                "{}: input is {bytes} bytes, over AWS's {MAX_INPUT_BYTES}",
                self.id
            ));
        }
        Ok(())
    }
}

/// What running a workload gave.
#[derive(Debug, Clone)]
pub struct Report {
    /// `SUCCEEDED` when every execution succeeded, and so on; `MIXED: …` when they differ.
    pub status: String,
    /// History events of the last execution.
    pub events: usize,
    /// The last execution's output (when it succeeded).
    pub output: Option<Value>,
    /// The last execution's error and cause (when it failed).
    pub error: Option<String>,
}

/// Runs a workload with our engine: loads the definition, then runs every execution to its
/// end. `Err` when the engine does not take the definition (`n/a (ItemReader not supported)`).
pub fn run(workload: &Workload) -> Result<Report, String> {
    let machine =
        Arc::new(asl::load(&workload.definition).map_err(|problems| not_taken(&problems))?);
    let mocks = match &workload.mock_config {
        Some(config) => {
            let config = MockConfig::parse(&config.to_string())
                .map_err(|errors| format!("n/a (mock config: {})", errors.join("; ")))?;
            Some(config)
        }
        None => None,
    };
    let mut statuses: BTreeMap<&'static str, u32> = BTreeMap::new();
    let mut last = None;
    for i in 0..workload.executions {
        let config = ExecutionConfig {
            state_machine_name: workload.state_machine_name.clone(),
            seed: u64::from(i),
            ..ExecutionConfig::default()
        };
        let run = execute(&machine, workload, mocks.as_ref(), config)?;
        *statuses.entry(run.status().as_str()).or_default() += 1;
        last = Some(run);
    }
    let last = last.ok_or("the workload has no executions")?;
    let status = if statuses.len() == 1 {
        last.status().as_str().to_string()
    } else {
        let counts: Vec<String> = statuses.iter().map(|(s, n)| format!("{s}×{n}")).collect();
        format!("MIXED: {}", counts.join(", "))
    };
    let error = last.failure().map(|f| {
        format!(
            "{}: {}",
            f.error_str().unwrap_or_default(),
            f.cause_str().unwrap_or_default()
        )
    });
    Ok(Report {
        status,
        events: last.history().len(),
        output: (last.status() == Status::Succeeded)
            .then(|| last.output().cloned())
            .flatten(),
        error,
    })
}

fn execute(
    machine: &Arc<StateMachine>,
    workload: &Workload,
    mocks: Option<&MockConfig>,
    config: ExecutionConfig,
) -> Result<Execution, String> {
    let builtin: Box<dyn TaskHandler> = match workload.tasks {
        Tasks::None => Box::new(NoTasks),
        Tasks::CallCenter => Box::new(CallCenter {
            work_on_case: WorkOnCase::Resolved,
        }),
    };
    let mut tasks: Box<dyn TaskHandler> = match (mocks, &workload.test_case) {
        (Some(mocks), Some(test_case)) => Box::new(
            mocks
                .test_case(&workload.state_machine_name, test_case)
                .map_err(|e| format!("n/a (mock config: {e})"))?
                .with_fallback(builtin),
        ),
        _ => builtin,
    };
    let mut run = Execution::new(machine.clone(), workload.input.clone(), config);
    run.run_to_end(&mut *tasks);
    Ok(run)
}

/// Why our engine does not take a definition, for the table.
fn not_taken(problems: &[asl::Diagnostic]) -> String {
    let unsupported: Vec<&str> = ["ItemReader", "ItemBatcher", "ResultWriter"]
        .into_iter()
        .filter(|field| {
            problems
                .iter()
                .any(|p| p.message.contains(field) || p.location.contains(field))
        })
        .collect();
    if let Some(field) = unsupported.first() {
        return format!("n/a ({field} not supported)");
    }
    let first = problems
        .first()
        .map(|p| format!("{}: {}", p.location, p.message))
        .unwrap_or_default();
    format!("n/a (definition rejected: {first})")
}

/// FNV-1a (32 bits) of a value's compact JSON: the drivers print the same digest, computed
/// over `JSON.stringify`'s UTF-8 bytes, so outputs are compared without printing them.
pub fn digest(value: &Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_default();
    let mut hash: u32 = 0x811c_9dc5;
    for byte in text.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    format!("{hash:08x}:{}", text.len())
}

/// The JSON line a runner prints for one (engine, workload): `ms` and `max_rss_kb` are added
/// by the caller, who measures them.
pub fn report_json(outcome: &Result<Report, String>) -> Map<String, Value> {
    let mut line = Map::new();
    match outcome {
        Ok(report) => {
            line.insert("status".into(), report.status.clone().into());
            line.insert("events".into(), report.events.into());
            line.insert(
                "output".into(),
                report
                    .output
                    .as_ref()
                    .map(digest)
                    .map_or(Value::Null, Value::from),
            );
            if let Some(error) = &report.error {
                line.insert("error".into(), error.clone().into());
            }
            if report.events >= MAX_HISTORY_EVENTS {
                line.insert(
                    "warning".into(),
                    format!(
                        "{} events: AWS's limit is {MAX_HISTORY_EVENTS}",
                        report.events
                    )
                    .into(),
                );
            }
        }
        Err(why) => {
            line.insert("status".into(), "n/a".into());
            line.insert("unsupported".into(), why.clone().into());
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every workload, scaled down, runs to SUCCEEDED (ItemReader may be unsupported yet).
    #[test]
    fn small_workloads_succeed() {
        let small = [
            call_center(3),
            inline_map(40),
            choice_loop(50),
            pass_chain(5, 2),
            distributed_map(30),
            item_reader(100),
        ];
        for w in small {
            let w = Workload::from_json(&w.to_json()).unwrap();
            w.check_limits().unwrap();
            match run(&w) {
                Ok(report) => {
                    assert_eq!(report.status, "SUCCEEDED", "{}: {:?}", w.id, report.error);
                    assert!(report.output.is_some(), "{}", w.id);
                }
                Err(why) => assert_eq!(w.id, "item-reader-100", "{why}"),
            }
        }
    }

    #[test]
    fn full_workloads_fit_aws_limits() {
        for w in workloads() {
            w.check_limits().unwrap();
        }
        let report = run(&choice_loop(5_000)).unwrap();
        assert!(report.events < MAX_HISTORY_EVENTS, "{}", report.events);
        assert_eq!(report.output, Some(json!({"count": 5000, "limit": 5000})));
    }

    #[test]
    fn digest_and_thousands() {
        // FNV-1a 32 of `[1,2]`, as bench/driver.mjs computes it.
        assert_eq!(digest(&json!([1, 2])), "7d8e8676:5");
        assert_eq!(thousands(100_000), "100,000");
        assert_eq!(thousands(999), "999");
    }
}
