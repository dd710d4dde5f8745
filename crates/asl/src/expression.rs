//! The expressions a `.$` field, ErrorPath or CausePath may hold: a path into the data (`$…`),
//! into the context object (`$$…`), or an intrinsic function call (`States.…(…)`).

use crate::path::{ReferencePath, Root};
use serde_json::Value;

/// Whether `text` is an expression AWS accepts (checked when the definition is parsed).
pub fn is_valid(text: &str) -> bool {
    if text.starts_with("States.") {
        return false;
    }
    ReferencePath::parse(text).is_ok()
}

/// Evaluates an expression against the data and the context object.
/// `Err((error name, detail))` when it fails.
pub fn evaluate(
    field: &str,
    text: &str,
    data: &Value,
    context: &Value,
) -> Result<Value, (String, String)> {
    let path = ReferencePath::parse(text).map_err(|e| ("States.Runtime".to_string(), e))?;
    let root = if path.root == Root::Context {
        context
    } else {
        data
    };
    path.select(root).cloned().ok_or_else(|| {
        (
            "States.Runtime".to_string(),
            format!(
                "The JSONPath '{text}' specified for the field '{field}' could not be found in the input '{}'",
                serde_json::to_string(root).unwrap_or_default()
            ),
        )
    })
}
