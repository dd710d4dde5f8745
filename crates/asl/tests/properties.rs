//! Properties of every run: a valid definition, whatever its input, runs to an end within AWS's
//! limits (25,000 history events, 256 KiB outputs), on small definitions generated from
//! Pass, Choice, Wait, Succeed, Fail, Parallel and Map states (nested, with loops through
//! Choice), and the run is the same when it is run again (same seed, same history).

use asl::execution::{MAX_HISTORY_EVENTS, MAX_PAYLOAD_BYTES};
use asl::{DiagnosticCode, Execution, ExecutionConfig, NoTasks, Status};
use proptest::prelude::*;
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// What a generated state is; its transitions are chosen when the chain is built.
#[derive(Debug, Clone)]
enum Kind {
    Pass {
        result: Option<Value>,
        result_path: Option<&'static str>,
    },
    /// Goes back to (or ahead to) the state at this index when `$.n` is above `above`.
    Choice {
        above: i64,
        target: usize,
    },
    Wait {
        seconds: u64,
    },
    Succeed,
    Fail,
    Parallel(Vec<Vec<Kind>>),
    Map {
        items_path: &'static str,
        max_concurrency: u64,
        body: Vec<Kind>,
    },
}

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|n| json!(n)),
        (-1e6f64..1e6).prop_map(|f| json!(f)),
        "[a-z{}$.' ]{0,8}".prop_map(Value::String),
    ]
}

/// Any JSON value, a few levels deep, often with the fields the definitions read (`n`, `items`).
fn json_value() -> impl Strategy<Value = Value> {
    json_leaf().prop_recursive(4, 32, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        Just("n".to_string()),
                        Just("items".to_string()),
                        "[a-z]{1,3}".prop_map(String::from)
                    ],
                    inner
                ),
                0..5
            )
            .prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    })
}

fn kinds(depth: u32) -> BoxedStrategy<Vec<Kind>> {
    let leaf = prop_oneof![
        (
            prop::option::of(json_leaf()),
            prop::option::of(prop_oneof![Just("$.r"), Just("$"), Just("$.n")])
        )
            .prop_map(|(result, result_path)| Kind::Pass {
                result,
                result_path
            }),
        (-3i64..3, 0usize..6).prop_map(|(above, target)| Kind::Choice { above, target }),
        (0u64..5).prop_map(|seconds| Kind::Wait { seconds }),
    ];
    let kind = if depth == 0 {
        leaf.boxed()
    } else {
        prop_oneof![
            3 => leaf,
            1 => prop::collection::vec(kinds(depth - 1), 1..3).prop_map(Kind::Parallel),
            1 => (prop_oneof![Just("$.items"), Just("$")], 0u64..3, kinds(depth - 1))
                .prop_map(|(items_path, max_concurrency, body)| Kind::Map { items_path, max_concurrency, body }),
        ]
        .boxed()
    };
    // A Succeed or Fail can only end the chain: a state after it would be unreachable.
    let last = prop_oneof![
        Just(None),
        Just(Some(Kind::Succeed)),
        Just(Some(Kind::Fail))
    ];
    (prop::collection::vec(kind, 1..5), last)
        .prop_map(|(mut chain, last)| {
            chain.extend(last);
            chain
        })
        .boxed()
}

/// The chain as `{"StartAt", "States"}`: each state goes to the next, the last ends.
fn machine(chain: &[Kind]) -> Value {
    let name = |i: usize| format!("S{i}");
    let mut states = Map::new();
    for (i, kind) in chain.iter().enumerate() {
        let last = i + 1 == chain.len();
        let mut state = match kind {
            Kind::Pass {
                result,
                result_path,
            } => {
                let mut s = json!({"Type": "Pass"});
                if let Some(r) = result {
                    s["Result"] = r.clone();
                }
                if let Some(p) = result_path {
                    s["ResultPath"] = json!(p);
                }
                s
            }
            Kind::Choice { above, target } => {
                // With no next state, the default fails the run (and so does no match).
                let mut s = json!({"Type": "Choice", "Choices": [{
                    "And": [{"Variable": "$.n", "IsNumeric": true}, {"Variable": "$.n", "NumericGreaterThan": above}],
                    "Next": name(target % chain.len()),
                }]});
                if !last {
                    s["Default"] = json!(name(i + 1));
                }
                s
            }
            Kind::Wait { seconds } => json!({"Type": "Wait", "Seconds": seconds}),
            Kind::Succeed => json!({"Type": "Succeed"}),
            Kind::Fail => {
                json!({"Type": "Fail", "Error": "Generated", "Cause": "a generated Fail state"})
            }
            Kind::Parallel(branches) => {
                json!({"Type": "Parallel", "Branches": branches.iter().map(|b| machine(b)).collect::<Vec<_>>()})
            }
            Kind::Map {
                items_path,
                max_concurrency,
                body,
            } => json!({
                "Type": "Map",
                "ItemsPath": items_path,
                "MaxConcurrency": max_concurrency,
                "ItemProcessor": machine(body),
            }),
        };
        let terminal = matches!(kind, Kind::Succeed | Kind::Fail | Kind::Choice { .. });
        if !terminal {
            if last {
                state["End"] = json!(true);
            } else {
                state["Next"] = json!(name(i + 1));
            }
        }
        states.insert(name(i), state);
    }
    json!({"StartAt": "S0", "States": states})
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn every_valid_definition_ends_within_aws_limits(chain in kinds(2), input in json_value(), seed in any::<u64>()) {
        let definition = machine(&chain).to_string();
        let machine = match asl::load(&definition) {
            Ok(m) => Arc::new(m),
            // A chain that ends in a Choice has no terminal state: invalid, as AWS says.
            // Nothing else the generator makes is.
            Err(problems) => {
                prop_assert!(problems.iter().all(|p| p.code == DiagnosticCode::NoTerminalState), "{definition}\n{problems:?}");
                return Ok(());
            }
        };
        let config = ExecutionConfig { seed, ..ExecutionConfig::default() };
        let mut run = Execution::new(machine.clone(), input.clone(), config.clone());
        run.run_to_end(&mut NoTasks);
        prop_assert_ne!(run.status(), Status::Running);
        prop_assert!(run.history().len() <= MAX_HISTORY_EVENTS);
        if let Some(output) = run.output() {
            prop_assert!(output.to_string().len() <= MAX_PAYLOAD_BYTES);
        }
        // Deterministic: the same run again gives the same events.
        let mut again = Execution::new(machine, input, config);
        again.run_to_end(&mut NoTasks);
        let events = |r: &Execution| r.history().iter().map(|e| e.to_aws_json()).collect::<Vec<_>>();
        prop_assert_eq!(events(&run), events(&again));
    }
}
