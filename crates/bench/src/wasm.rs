//! The wasm entry for Node.js (`wasm-bindgen --target nodejs`): bench/driver.mjs reads a
//! workload file, hands its text to [`Bench::new`], and times [`Bench::run`] alone (there is
//! no clock in wasm32-unknown-unknown; the driver measures with `performance.now()`).

use crate::{report_json, Job};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct Bench {
    workload: Job,
    outcome: Option<Result<crate::Report, String>>,
}

#[wasm_bindgen]
impl Bench {
    /// Reads a workload file's text.
    #[wasm_bindgen(constructor)]
    pub fn new(text: &str) -> Result<Bench, JsError> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| JsError::new(&e.to_string()))?;
        let workload = Job::from_json(&value).map_err(|e| JsError::new(&e))?;
        Ok(Bench {
            workload,
            outcome: None,
        })
    }

    /// Loads the definition and runs every execution (or compiles the JSONata expression and
    /// evaluates it every time): the part that is timed.
    pub fn run(&mut self) {
        self.outcome = Some(self.workload.run());
    }

    /// The result line (without `ms` and `max_rss_kb`) as JSON text.
    pub fn report(&self) -> String {
        match &self.outcome {
            Some(outcome) => serde_json::Value::Object(report_json(outcome)).to_string(),
            None => "{\"status\":\"not run\"}".to_string(),
        }
    }
}
