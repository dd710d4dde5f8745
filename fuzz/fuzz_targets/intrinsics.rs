//! `call\0data` → an intrinsic function call (`States.Format('{}', $.a)`) parsed, then
//! evaluated with its path arguments read from the data by JSONPath, as the engine does.
#![no_main]

use asl::intrinsics::{Intrinsic, IntrinsicEnv};
use asl::jsonpath::JsonPath;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use sfn_playground_fuzz::{json_or_arbitrary, parts};

struct Data {
    value: Value,
    draws: u64,
}

impl IntrinsicEnv for Data {
    fn resolve(&mut self, path: &str) -> Result<Value, String> {
        let path = JsonPath::parse(path).map_err(|e| e.to_string())?;
        path.evaluate(&self.value).map_err(|e| e.to_string())
    }
    fn resolve_compiled(
        &mut self,
        path: &str,
        compiled: Option<&JsonPath>,
    ) -> Result<Value, String> {
        match compiled {
            Some(compiled) => compiled.evaluate(&self.value).map_err(|e| e.to_string()),
            None => self.resolve(path),
        }
    }
    fn random(&mut self) -> f64 {
        self.draws += 1;
        (self.draws.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 11) as f64 / (1u64 << 53) as f64
    }
}

fuzz_target!(|data: &[u8]| {
    let parts = parts(data, 2);
    let Ok(call) = Intrinsic::parse(&parts[0]) else {
        return;
    };
    let mut env = Data {
        value: json_or_arbitrary(&parts[1]),
        draws: 0,
    };
    let _ = call.evaluate(&mut env);
});
