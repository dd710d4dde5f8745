//! What counts as the same result as AWS's, and how a difference is worded.

use serde_json::Value;

/// Why a case fails: a one-line `reason` (the first difference) and the `kind` of failure it
/// is grouped under in the report ("definition rejected: UNSUPPORTED_BY_PLAYGROUND: The field
/// 'Parameters' …", "output differs", …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub kind: String,
    pub reason: String,
    /// For a rejected definition: the kind of every diagnostic, each once (what the engine
    /// needs before the case can run).
    pub needs: Vec<String>,
}

impl Mismatch {
    pub fn new(kind: impl Into<String>, reason: impl Into<String>) -> Self {
        Mismatch {
            kind: kind.into(),
            reason: reason.into(),
            needs: Vec::new(),
        }
    }

    /// A failure whose reason is its kind.
    pub fn plain(reason: impl Into<String>) -> Self {
        let reason = reason.into();
        Mismatch::new(reason.clone(), reason)
    }

    /// The definition did not load: grouped by code and message (without the location, so
    /// that "field X not supported" groups across states).
    pub fn rejected(diagnostics: &[asl::Diagnostic]) -> Self {
        let kind = |d: &asl::Diagnostic| format!("{}: {}", d.code.as_str(), d.message);
        let Some(first) = diagnostics.first() else {
            return Mismatch::plain("definition rejected without a diagnostic");
        };
        let more = match diagnostics.len() - 1 {
            0 => String::new(),
            n => format!(" (+{n} more)"),
        };
        let mut needs: Vec<String> = diagnostics.iter().map(kind).collect();
        needs.sort();
        needs.dedup();
        Mismatch {
            kind: format!("definition rejected: {}", kind(first)),
            reason: format!("definition rejected: {}{more}", first.aws_message()),
            needs,
        }
    }
}

/// Structural JSON equality: object keys in any order, numbers by value (`1` = `1.0`).
pub fn same_json(a: &Value, b: &Value) -> bool {
    json_difference(a, b).is_none()
}

/// The JSON pointer of the first place where `actual` differs from `expected`, with what
/// each side has there: `/a/b: expected 1 got "1"`.
pub fn json_difference(expected: &Value, actual: &Value) -> Option<String> {
    difference_at(String::new(), expected, actual)
}

fn difference_at(pointer: String, expected: &Value, actual: &Value) -> Option<String> {
    let here = |detail: String| {
        let at = if pointer.is_empty() { "/" } else { &pointer };
        Some(format!("{at}: {detail}"))
    };
    match (expected, actual) {
        (Value::Object(want), Value::Object(got)) => {
            for (key, value) in want {
                let child = format!("{pointer}/{}", escape(key));
                match got.get(key) {
                    Some(other) => {
                        if let Some(d) = difference_at(child, value, other) {
                            return Some(d);
                        }
                    }
                    None => return Some(format!("{child}: missing (expected {})", short(value))),
                }
            }
            got.keys()
                .find(|key| !want.contains_key(*key))
                .map(|key| format!("{pointer}/{}: unexpected {}", escape(key), short(&got[key])))
        }
        (Value::Array(want), Value::Array(got)) => {
            for (i, (value, other)) in want.iter().zip(got).enumerate() {
                if let Some(d) = difference_at(format!("{pointer}/{i}"), value, other) {
                    return Some(d);
                }
            }
            if want.len() == got.len() {
                None
            } else {
                here(format!("expected {} items got {}", want.len(), got.len()))
            }
        }
        (Value::Number(want), Value::Number(got)) => {
            let equal = match (want.as_i64(), got.as_i64(), want.as_u64(), got.as_u64()) {
                (Some(a), Some(b), _, _) => a == b,
                (_, _, Some(a), Some(b)) => a == b,
                _ => want.as_f64() == got.as_f64(),
            };
            if equal {
                None
            } else {
                here(format!("expected {want} got {got}"))
            }
        }
        _ if expected == actual => None,
        // LocalStack masked what AWS generated (ARNs, names, dates): a wildcard for a string.
        (Value::String(want), Value::String(_)) if is_masked(want) => None,
        _ => here(format!(
            "expected {} got {}",
            short(expected),
            short(actual)
        )),
    }
}

/// A value LocalStack's snapshots masked: `date`, or text with `<partition>`, `<region>` or
/// `<resource:N>`-like placeholders.
fn is_masked(text: &str) -> bool {
    if text == "date" || text.contains("<partition>") || text.contains("<region>") {
        return true;
    }
    text.split('<').skip(1).any(|rest| {
        let Some((inside, _)) = rest.split_once('>') else {
            return false;
        };
        let Some((kind, number)) = inside.split_once(':') else {
            return false;
        };
        !kind.is_empty()
            && kind.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            && !number.is_empty()
            && number.chars().all(|c| c.is_ascii_digit())
    })
}

/// A JSON pointer token (RFC 6901).
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// A value shortened for a one-line reason.
pub fn short(value: &Value) -> String {
    clip(&value.to_string(), 60)
}

/// Text shortened for a one-line reason (on a character boundary, newlines shown as `⏎`).
pub fn clip(text: &str, max: usize) -> String {
    let flat = text.replace('\n', "⏎");
    if flat.chars().count() <= max {
        flat
    } else {
        let cut: String = flat.chars().take(max).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn key_order_and_number_spelling_do_not_matter() {
        assert!(same_json(
            &json!({"a": 1, "b": [1.0, {"c": null}]}),
            &json!({"b": [1, {"c": null}], "a": 1.0})
        ));
    }

    #[test]
    fn rejections_group_by_code_and_message() {
        let m = Mismatch::rejected(&[asl::Diagnostic::new(
            asl::DiagnosticCode::Unsupported,
            "The field 'Parameters' is valid in AWS but not supported by this engine yet",
            "/States/A/Parameters",
        )]);
        assert_eq!(
            m.kind,
            "definition rejected: UNSUPPORTED_BY_PLAYGROUND: The field 'Parameters' is valid in AWS but not supported by this engine yet"
        );
        assert!(m.reason.ends_with(" at /States/A/Parameters"));
    }

    #[test]
    fn the_first_difference_is_located() {
        let d = |a, b| json_difference(&a, &b).unwrap();
        assert_eq!(
            d(json!({"a": {"b": 1}}), json!({"a": {"b": 2}})),
            "/a/b: expected 1 got 2"
        );
        assert_eq!(d(json!({"a": 1}), json!({})), "/a: missing (expected 1)");
        assert_eq!(d(json!({}), json!({"x": 1})), "/x: unexpected 1");
        assert_eq!(d(json!([1]), json!([1, 2])), "/: expected 1 items got 2");
        assert_eq!(d(json!("1"), json!(1)), "/: expected \"1\" got 1");
        assert_eq!(
            d(json!({"a/b": [0, true]}), json!({"a/b": [0, false]})),
            "/a~1b/1: expected true got false"
        );
    }
}
