//! `definition\0input[\0MockConfigFile]` → load, then run to the end with the tutorial's
//! functions (behind the mocks' first test case, when the third part is a MockConfigFile) and
//! a deterministic handler for any other resource. Checks what must hold of every run: it
//! ends, within AWS's history limit, and a successful output is within the payload limit.
#![no_main]

use asl::execution::{MAX_HISTORY_EVENTS, MAX_PAYLOAD_BYTES};
use asl::{Execution, ExecutionConfig, Status, TaskHandler};
use libfuzzer_sys::fuzz_target;
use sfn_playground_fuzz::{parts, FuzzTasks};
use std::sync::Arc;

fuzz_target!(|data: &[u8]| {
    let parts = parts(data, 3);
    let Ok(machine) = asl::load(&parts[0]) else {
        return;
    };
    let Ok(input) = serde_json::from_str(&parts[1]) else {
        return;
    };
    let fuzz_tasks = Box::new(FuzzTasks(callcenter::CallCenter::default()));
    let mut tasks: Box<dyn TaskHandler> = match asl::mock::MockConfig::parse(&parts[2]) {
        Ok(config) => {
            let case = config.state_machines().next().and_then(|m| {
                let case = config.test_cases(m).next()?;
                config.test_case(m, case).ok()
            });
            match case {
                Some(mocks) => Box::new(mocks.with_fallback(fuzz_tasks)),
                None => fuzz_tasks,
            }
        }
        Err(_) => fuzz_tasks,
    };
    let config = ExecutionConfig {
        seed: data.len() as u64,
        ..ExecutionConfig::default()
    };
    let mut run = Execution::new(Arc::new(machine), input, config);
    run.run_to_end(&mut *tasks);
    assert_ne!(run.status(), Status::Running, "the run ended");
    assert!(run.history().len() <= MAX_HISTORY_EVENTS);
    for event in run.history() {
        let _ = event.to_aws_json();
    }
    if let Some(output) = run.output() {
        assert!(output.to_string().len() <= MAX_PAYLOAD_BYTES);
    }
});
