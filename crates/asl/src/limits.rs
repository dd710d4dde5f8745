//! AWS's limits on what a request carries, checked where AWS checks them, in AWS's words.
//!
//! - The definition: at most 1,048,576 bytes (the API model's `Definition` shape, "Maximum
//!   size of state machine definition: 1 MB, hard quota" in the Step Functions quotas), refused
//!   by CreateStateMachine and ValidateStateMachineDefinition before anything is parsed.
//! - The execution input: at most 262,144 bytes of UTF-8 (the `SensitiveData` shape), refused
//!   by StartExecution before an execution exists.
//! - How deep JSON may nest: see [`MAX_NESTING_DEPTH`].
//!
//! The refusals are Coral's ValidationException messages (`1 validation error detected: …`);
//! the input's was recorded from AWS, the definition's is worded the same way for its shape.

pub use crate::execution::MAX_PAYLOAD_BYTES;

/// The largest definition AWS accepts, in bytes of UTF-8.
pub const MAX_DEFINITION_BYTES: usize = 1_048_576;

/// The deepest nesting of arrays and objects a value may have while an execution passes it
/// from state to state. AWS does not document one; its JSON library (Jackson) refuses, since
/// 2.15/2.16, to read or write a document nested deeper than 1,000 levels
/// (`StreamReadConstraints`/`StreamWriteConstraints.DEFAULT_MAX_DEPTH`), which is the limit a
/// payload deeper than that would meet there. Here a state whose output nests deeper fails
/// with `States.DataLimitExceeded` (our choice of error: AWS's for a payload over its limits).
/// It also keeps every later walk of a value (serializing, comparing, dropping, drawing it in
/// the page) within the stack.
pub const MAX_NESTING_DEPTH: usize = 1000;

/// StartExecution's check of the input text: `Err` is AWS's ValidationException message.
pub fn check_execution_input(text: &str) -> Result<(), String> {
    if text.len() > MAX_PAYLOAD_BYTES {
        return Err(format!(
            "1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have size less than or equal to {MAX_PAYLOAD_BYTES} bytes in UTF-8 encoding"
        ));
    }
    Ok(())
}

/// CreateStateMachine's check of the definition text: `Err` is the ValidationException
/// message.
pub fn check_definition_size(text: &str) -> Result<(), String> {
    if text.len() > MAX_DEFINITION_BYTES {
        return Err(format!(
            "1 validation error detected: Value at 'definition' failed to satisfy constraint: Member must have size less than or equal to {MAX_DEFINITION_BYTES} bytes in UTF-8 encoding"
        ));
    }
    Ok(())
}

/// How many arrays and objects nest in `value` (`0` for a number, `1` for `{}` or `[1]`, `2`
/// for `{"a":[]}`), counted without recursion: the value may be deeper than the stack allows.
pub fn nesting_depth(value: &serde_json::Value) -> usize {
    use serde_json::Value;
    let mut deepest = 0;
    let mut stack = vec![(value, 0usize)];
    while let Some((value, depth)) = stack.pop() {
        match value {
            Value::Array(items) => {
                deepest = deepest.max(depth + 1);
                stack.extend(items.iter().map(|v| (v, depth + 1)));
            }
            Value::Object(map) => {
                deepest = deepest.max(depth + 1);
                stack.extend(map.values().map(|v| (v, depth + 1)));
            }
            _ => {}
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nesting_depth_counts_containers() {
        assert_eq!(nesting_depth(&json!(1)), 0);
        assert_eq!(nesting_depth(&json!({})), 1);
        assert_eq!(nesting_depth(&json!([1, [2, [3]], {"a": {}}])), 3);
    }

    #[test]
    fn limits_are_inclusive() {
        assert!(check_execution_input(&"a".repeat(MAX_PAYLOAD_BYTES)).is_ok());
        assert!(check_execution_input(&"a".repeat(MAX_PAYLOAD_BYTES + 1)).is_err());
        // Bytes of UTF-8, not characters.
        assert!(check_execution_input(&"é".repeat(MAX_PAYLOAD_BYTES / 2 + 1)).is_err());
        assert!(check_definition_size(&" ".repeat(MAX_DEFINITION_BYTES)).is_ok());
        assert!(check_definition_size(&" ".repeat(MAX_DEFINITION_BYTES + 1)).is_err());
    }
}
