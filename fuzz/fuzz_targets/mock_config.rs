//! Text → a MockConfigFile parsed and checked; each test case's handler then answers a few
//! invocations of each state it mocks (ranges, gaps, the fallback).
#![no_main]

use asl::{TaskHandler, TaskRequest};
use libfuzzer_sys::fuzz_target;
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(config) = asl::mock::MockConfig::parse(&text) else {
        return;
    };
    let machines: Vec<String> = config.state_machines().map(str::to_string).collect();
    for machine in machines.iter().take(4) {
        let cases: Vec<String> = config.test_cases(machine).map(str::to_string).collect();
        for case in cases.iter().take(4) {
            let mut tasks = config.test_case(machine, case).expect("a listed test case");
            for state in ["Open Case", "A", "Task", ""] {
                for _ in 0..3 {
                    let mut random = || 0.5;
                    let _ = tasks.invoke(TaskRequest {
                        resource: "arn:aws:lambda:us-east-2:123456789012:function:F",
                        input: &json!({}),
                        state_name: state,
                        random: &mut random,
                    });
                }
            }
        }
    }
});
