//! The exported JavaScript does exactly what the playground simulates: each function's code,
//! as the template carries it, is loaded by Node.js as Lambda loads inline code (a CommonJS
//! `index.js`, `exports.handler` awaited, its result sent through `JSON.stringify`) and
//! called on the same events as `callcenter::CallCenter`, `Math.random` included. The results
//! must be the same JSON text (same fields, same order, same numbers); the errors the same
//! type and message, thrown at the same line and column of the handler.
//!
//! Needs `node` (Node.js 20 or later, which the project needs anyway for its end-to-end tests).

use asl::{TaskHandler, TaskOutcome, TaskRequest};
use callcenter::{CallCenter, WorkOnCase, FUNCTION_NAMES};
use serde_json::{json, Value};
use std::path::Path;
use std::process::Command;

const RUNNER: &str = r#"
const path = require('path');
const fs = require('fs');
const [casesFile, dir] = process.argv.slice(2);
const cases = JSON.parse(fs.readFileSync(casesFile, 'utf8'));
(async () => {
  const out = [];
  for (const c of cases) {
    const handler = require(path.join(dir, c.fn, 'index.js')).handler;
    Math.random = () => c.random;
    try {
      const result = await handler(JSON.parse(c.input), {});
      out.push({ ok: JSON.stringify(result) });
    } catch (e) {
      out.push({ error: { name: e.name, message: e.message, stack: e.stack.split('\n') } });
    }
  }
  process.stdout.write(JSON.stringify(out));
})();
"#;

/// Events that exercise every rule the simulation models: missing fields, null, numbers as
/// JavaScript prints them, arrays and objects converted by `+`, an own `toString`, key order,
/// events that are not objects.
const EVENTS: &[&str] = &[
    r#"{"inputCaseID":"001"}"#,
    r#"{}"#,
    r#"{"inputCaseID":null}"#,
    r#"{"inputCaseID":1e21}"#,
    r#"{"inputCaseID":12345678901234567890}"#,
    r#"{"inputCaseID":-0.0}"#,
    r#"{"inputCaseID":0.000001}"#,
    r#"{"inputCaseID":1e-7}"#,
    r#"{"inputCaseID":0.1}"#,
    r#"{"inputCaseID":true}"#,
    r#"{"inputCaseID":[1,[2,3],null,{"a":1}]}"#,
    r#"{"inputCaseID":{"a":1}}"#,
    r#"{"inputCaseID":{"toString":1}}"#,
    r#"{"inputCaseID":[{"toString":"x"}]}"#,
    r#"{"inputCaseID":"😀 \u2028 \"q\""}"#,
    r#"{"Case":"001","Message":"Case 001: opened..."}"#,
    r#"{"Case":"001","Message":"Case 001: opened...assigned...","Status":1}"#,
    r#"{"Case":5,"Status":"x","Message":7}"#,
    r#"{"Message":null}"#,
    r#"{"Message":[null]}"#,
    r#"{"Message":{}}"#,
    r#"{"Message":{"toString":null}}"#,
    r#"{"2":"b","1":"a","Case":"c","Message":"m","Status":0}"#,
    r#"{"Case":{"2":1,"b":2,"1":3},"Message":"x","Status":{"z":1}}"#,
    r#"null"#,
    r#""text""#,
    r#"42"#,
    r#"[1,2]"#,
    r#"true"#,
];

const RANDOMS: [f64; 4] = [0.0, 0.3, 0.5, 0.999];

fn simulate(function: &str, event: &Value, random: f64) -> TaskOutcome {
    let mut draw = || random;
    CallCenter {
        work_on_case: WorkOnCase::Random,
    }
    .invoke(TaskRequest {
        resource: function,
        input: event,
        state_name: "S",
        random: &mut draw,
    })
}

/// `:line:column)` at the end of a stack frame.
fn line_col(frame: &str) -> &str {
    let end = frame.trim_end_matches(')');
    let mut colons = end.rmatch_indices(':').map(|(i, _)| i);
    colons.next();
    let at = colons.next().unwrap_or(0);
    &end[at..]
}

#[test]
fn the_exported_javascript_does_what_the_playground_simulates() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("export-handlers");
    let _ = std::fs::remove_dir_all(&dir);
    for function in FUNCTION_NAMES {
        let code = export::handlers::code(function).unwrap();
        assert!(code.starts_with("exports.handler = async (event) => {\n"));
        assert!(
            !code.contains("callback("),
            "{function}: Node.js 24 has no callbacks"
        );
        std::fs::create_dir_all(dir.join(function)).unwrap();
        std::fs::write(dir.join(function).join("index.js"), code).unwrap();
    }
    std::fs::write(dir.join("runner.js"), RUNNER).unwrap();
    // Lambda runs index.js as CommonJS; say so here too, whatever package.json is above us
    // (the repository's own says "type": "module").
    std::fs::write(dir.join("package.json"), r#"{"type": "commonjs"}"#).unwrap();

    let mut cases = Vec::new();
    for function in FUNCTION_NAMES {
        let randoms: &[f64] = if function == "WorkOnCase" {
            &RANDOMS
        } else {
            &[0.5]
        };
        for event in EVENTS {
            for &random in randoms {
                cases.push((function, *event, random));
            }
        }
    }
    let cases_json: Vec<Value> = cases
        .iter()
        .map(|(function, event, random)| json!({"fn": function, "input": event, "random": random}))
        .collect();
    std::fs::write(dir.join("cases.json"), Value::Array(cases_json).to_string()).unwrap();
    let output = Command::new("node")
        .arg(dir.join("runner.js"))
        .arg(dir.join("cases.json"))
        .arg(&dir)
        .output()
        .expect("node (Node.js 20 or later) must be installed to check the exported functions");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let results: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(results.len(), cases.len());

    let (mut succeeded, mut failed) = (0, 0);
    for ((function, event, random), node) in cases.iter().zip(&results) {
        let case = format!("{function}({event}) with Math.random() = {random}");
        let event: Value = serde_json::from_str(event).unwrap();
        match (simulate(function, &event, *random), node) {
            (TaskOutcome::Succeeded(simulated), node) if node.get("ok").is_some() => {
                let node: Value = serde_json::from_str(node["ok"].as_str().unwrap()).unwrap();
                assert_eq!(
                    serde_json::to_string(&simulated).unwrap(),
                    serde_json::to_string(&node).unwrap(),
                    "{case}"
                );
                succeeded += 1;
            }
            (TaskOutcome::Failed { error, cause }, node) if node.get("error").is_some() => {
                let node = &node["error"];
                let cause: Value = serde_json::from_str(&cause).unwrap();
                assert_eq!(error, node["name"].as_str().unwrap(), "{case}");
                assert_eq!(cause["errorType"], node["name"], "{case}");
                assert_eq!(cause["errorMessage"], node["message"], "{case}");
                // The trace: the headline, the built-ins' frames, then the handler's, at the
                // same line and column (the file is index.js here, index.mjs in the
                // simulation's Node.js 20 trace; the runtime's own frames differ anyway).
                let trace: Vec<&str> = cause["trace"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| f.as_str().unwrap())
                    .collect();
                let stack: Vec<&str> = node["stack"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| f.as_str().unwrap())
                    .collect();
                let handler = trace
                    .iter()
                    .position(|f| f.contains("/var/task/index.mjs"))
                    .unwrap();
                assert_eq!(trace[..handler], stack[..handler], "{case}");
                assert!(stack[handler].contains("index.js:"), "{case}: {stack:?}");
                assert_eq!(
                    line_col(trace[handler]),
                    line_col(stack[handler]),
                    "{case}: {trace:?} {stack:?}"
                );
                failed += 1;
            }
            (simulated, node) => panic!("{case}: simulated {simulated:?}, Node.js gave {node}"),
        }
    }
    assert!(
        succeeded > 200 && failed > 15,
        "{succeeded} results, {failed} errors"
    );
}
