//! The definition's side of the export: which Lambda functions it calls and from where
//! ([`scan`]), and its text as the string of a `!Sub` with those functions' ARNs as
//! substitutions ([`sub_text`]).

use serde_json::Value;

/// Where a Task names a Lambda function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// The state's `Resource` is the function's ARN (or bare name).
    Resource,
    /// `arn:aws:states:::lambda:invoke` with the function in `Parameters.FunctionName`.
    FunctionName,
}

/// One Task state's call of a Lambda function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LambdaUse {
    /// JSON pointer to the string that names the function.
    pub pointer: String,
    /// That string, as the definition has it.
    pub written: String,
    /// The function's name.
    pub function: String,
    /// The version or alias after the name, without its `:`.
    pub qualifier: Option<String>,
    pub via: Via,
    /// The state, as `Parent/Child` for states in branches and Map processors.
    pub state: String,
}

/// What a definition needs from AWS.
#[derive(Debug, Default)]
pub struct Scan {
    pub uses: Vec<LambdaUse>,
    /// Task resources that are no Lambda function (service integrations, activities), with
    /// their state.
    pub other_resources: Vec<(String, String)>,
    /// lambda:invoke states whose function is chosen at run time (`FunctionName.$`).
    pub dynamic_functions: Vec<String>,
    /// Distributed Map states (they need more than lambda:InvokeFunction).
    pub distributed_maps: Vec<String>,
}

/// Every Lambda function call and every other resource of the definition, in the order the
/// states are written, branches and Map processors included.
pub fn scan(definition: &Value) -> Scan {
    let mut scan = Scan::default();
    walk(definition, "", "", &mut scan);
    scan
}

fn walk(machine: &Value, pointer: &str, path: &str, scan: &mut Scan) {
    let Some(states) = machine.get("States").and_then(Value::as_object) else {
        return;
    };
    for (name, state) in states {
        let at = format!("{pointer}/States/{}", escape_pointer(name));
        let label = if path.is_empty() {
            name.clone()
        } else {
            format!("{path}/{name}")
        };
        match state.get("Type").and_then(Value::as_str) {
            Some("Task") => task(state, &at, &label, scan),
            Some("Parallel") => {
                let branches = state.get("Branches").and_then(Value::as_array);
                for (i, branch) in branches.into_iter().flatten().enumerate() {
                    walk(branch, &format!("{at}/Branches/{i}"), &label, scan);
                }
            }
            Some("Map") => {
                for key in ["ItemProcessor", "Iterator"] {
                    if let Some(processor) = state.get(key) {
                        let mode = processor
                            .pointer("/ProcessorConfig/Mode")
                            .and_then(Value::as_str);
                        if mode == Some("DISTRIBUTED") {
                            scan.distributed_maps.push(label.clone());
                        }
                        walk(processor, &format!("{at}/{key}"), &label, scan);
                    }
                }
            }
            _ => {}
        }
    }
}

fn task(state: &Value, at: &str, label: &str, scan: &mut Scan) {
    let Some(resource) = state.get("Resource").and_then(Value::as_str) else {
        return;
    };
    if let Some((function, qualifier)) = lambda_resource(resource) {
        scan.uses.push(LambdaUse {
            pointer: format!("{at}/Resource"),
            written: resource.to_string(),
            function,
            qualifier,
            via: Via::Resource,
            state: label.to_string(),
        });
        return;
    }
    if is_lambda_invoke(resource) {
        for key in ["Parameters", "Arguments"] {
            let Some(fields) = state.get(key).and_then(Value::as_object) else {
                continue;
            };
            match fields.get("FunctionName").and_then(Value::as_str) {
                Some(name) if !name.starts_with("{%") => {
                    if let Some((function, qualifier)) = function_name(name) {
                        scan.uses.push(LambdaUse {
                            pointer: format!("{at}/{key}/FunctionName"),
                            written: name.to_string(),
                            function,
                            qualifier,
                            via: Via::FunctionName,
                            state: label.to_string(),
                        });
                        return;
                    }
                }
                _ => {}
            }
        }
        scan.dynamic_functions.push(label.to_string());
        return;
    }
    scan.other_resources
        .push((label.to_string(), resource.to_string()));
}

/// The function and qualifier of a Task `Resource` that is a Lambda function: its ARN
/// (`arn:<partition>:lambda:<region>:<account>:function:<name>[:<qualifier>]`) or a bare
/// name, as [`asl::task::lambda_function_name`] reads them.
pub fn lambda_resource(resource: &str) -> Option<(String, Option<String>)> {
    let name = asl::task::lambda_function_name(resource)?;
    let qualifier = resource
        .strip_prefix("arn:")
        .and_then(|rest| rest.splitn(7, ':').nth(6))
        .map(str::to_string);
    Some((name.to_string(), qualifier))
}

/// `arn:<partition>:states:::lambda:invoke`, and its `.waitForTaskToken` form.
fn is_lambda_invoke(resource: &str) -> bool {
    let mut parts = resource.splitn(6, ':');
    matches!(
        (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next()
        ),
        (Some("arn"), Some(_), Some("states"), Some(""), Some(""), Some(action))
            if action == "lambda:invoke" || action == "lambda:invoke.waitForTaskToken"
    )
}

/// lambda:invoke's `FunctionName`: a name, `name:qualifier`, a partial ARN
/// (`123456789012:function:name[:qualifier]`) or a full one.
fn function_name(text: &str) -> Option<(String, Option<String>)> {
    if text.starts_with("arn:") {
        return lambda_resource(text);
    }
    let valid = |name: &str, extra: char| {
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == extra)
    };
    let parts: Vec<&str> = text.split(':').collect();
    let (name, qualifier) = match parts.as_slice() {
        [name] => (*name, None),
        [name, qualifier] => (*name, Some(*qualifier)),
        [_, "function", name] => (*name, None),
        [_, "function", name, qualifier] => (*name, Some(*qualifier)),
        _ => return None,
    };
    // Qualifiers: a version, an alias or $LATEST.
    (valid(name, '_') && qualifier.is_none_or(|q| valid(q, '$')))
        .then(|| (name.to_string(), qualifier.map(str::to_string)))
}

fn escape_pointer(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// The definition `text` as the string of a `!Sub` (when `substitute`) or as plain text:
///
/// * each Lambda use's string is replaced by `"` + `arn(use)` + its `:qualifier` + `"`,
///   `arn(use)` being `!Sub` syntax (`arn:${AWS::Partition}:…`, `${OpenCase.Arn}`);
/// * in every string, a `${` that the `!Sub` would read as a variable is escaped: as `${!`
///   when a `}` closes it in the same string with no other `${` in between (`!Sub` gives
///   back `${`), as the JSON escape `\u0024{` otherwise (no `${` left for `!Sub` to read);
/// * characters that YAML may not carry raw in a block scalar are JSON escapes (`\u2028`);
///   tabs and carriage returns between tokens become spaces and line feeds; lines lose their
///   trailing spaces and the whole its leading and trailing white space.
///
/// The text keeps the user's layout and every token as written (numbers included), so that
/// the definition AWS gets is the one the playground ran. `None` when a use's string is not
/// where its pointer says (text that is not the JSON that was scanned).
pub fn sub_text(
    text: &str,
    uses: &[LambdaUse],
    substitute: bool,
    arn: impl Fn(&LambdaUse) -> String,
) -> Option<String> {
    let mut spans = Vec::with_capacity(uses.len());
    for u in uses {
        let start = asl::locate::offset(text, &u.pointer)?;
        if text.as_bytes().get(start) != Some(&b'"') {
            return None;
        }
        let end = string_end(text, start)?;
        let decoded: String = serde_json::from_str(&text[start..end]).ok()?;
        if decoded != u.written {
            return None;
        }
        spans.push((start, end, u));
    }
    spans.sort_by_key(|(start, _, _)| *start);
    if spans.windows(2).any(|w| w[0].1 > w[1].0) {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 64 * spans.len());
    let mut at = 0;
    for (start, end, u) in spans {
        out.push_str(&json_text(&text[at..start], substitute));
        out.push('"');
        out.push_str(&arn(u));
        if let Some(qualifier) = &u.qualifier {
            let inner = json_string_content(&format!(":{qualifier}"));
            out.push_str(&string_content(&inner, substitute));
        }
        out.push('"');
        at = end;
    }
    out.push_str(&json_text(&text[at..], substitute));
    let lines: Vec<&str> = out.lines().map(str::trim_end).collect();
    Some(lines.join("\n").trim().to_string())
}

/// The end (exclusive) of the JSON string token that starts at `start` (a `"`).
fn string_end(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// JSON text (outside of any string at its start) with its strings' contents passed through
/// [`string_content`], tabs and carriage returns between tokens made spaces and line feeds.
fn json_text(text: &str, substitute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                // The string's content runs to the next unescaped quote.
                let mut end = text.len();
                let mut escaped = false;
                for (j, d) in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if d == '\\' {
                        escaped = true;
                    } else if d == '"' {
                        end = j;
                        break;
                    }
                }
                out.push('"');
                out.push_str(&string_content(&text[i + 1..end], substitute));
                if end < text.len() {
                    out.push('"');
                }
            }
            '\r' => {
                if chars.peek().map(|&(_, d)| d) != Some('\n') {
                    out.push('\n');
                }
            }
            '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The raw content of a JSON string (between its quotes, escapes as written) made safe for
/// a YAML block scalar and, when `substitute`, for `!Sub` (see [`sub_text`]).
fn string_content(content: &str, substitute: bool) -> String {
    let mut out = String::with_capacity(content.len());
    let mut rest = content;
    while let Some(c) = rest.chars().next() {
        if substitute && rest.starts_with("${") {
            let after = &rest[2..];
            let closed = after
                .find('}')
                .is_some_and(|close| !after[..close].contains("${"));
            out.push_str(if closed { "${!" } else { "\\u0024{" });
            rest = after;
            continue;
        }
        if crate::yaml::is_plain_char(c) {
            out.push(c);
        } else {
            // Raw in a JSON string, so neither a control character nor outside the BMP.
            out.push_str(&format!("\\u{:04x}", c as u32));
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// `s` as the content of a JSON string (without the quotes).
fn json_string_content(s: &str) -> String {
    let quoted = serde_json::to_string(s).unwrap_or_default();
    quoted[1..quoted.len() - 1].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lambda_resources() {
        let arn = "arn:aws:lambda:us-east-2:123456789012:function:OpenCase";
        assert_eq!(lambda_resource(arn), Some(("OpenCase".into(), None)));
        assert_eq!(
            lambda_resource(&format!("{arn}:prod")),
            Some(("OpenCase".into(), Some("prod".into())))
        );
        assert_eq!(lambda_resource("OpenCase"), Some(("OpenCase".into(), None)));
        assert_eq!(lambda_resource("arn:aws:states:::lambda:invoke"), None);
        assert_eq!(
            function_name("123456789012:function:Notify:1"),
            Some(("Notify".into(), Some("1".into())))
        );
        assert_eq!(
            function_name("Notify:$LATEST"),
            Some(("Notify".into(), Some("$LATEST".into())))
        );
        assert_eq!(function_name("a b"), None);
        assert_eq!(
            function_name("Notify:live"),
            Some(("Notify".into(), Some("live".into())))
        );
        assert!(is_lambda_invoke("arn:aws:states:::lambda:invoke"));
        assert!(is_lambda_invoke(
            "arn:aws-cn:states:::lambda:invoke.waitForTaskToken"
        ));
        assert!(!is_lambda_invoke("arn:aws:states:::sns:publish"));
    }

    #[test]
    fn escapes_dollar_braces() {
        assert_eq!(string_content("a ${b} c", true), "a ${!b} c");
        assert_eq!(string_content("a ${b} c", false), "a ${b} c");
        assert_eq!(string_content("${${x}}", true), "\\u0024{${!x}}");
        assert_eq!(string_content("cost ${", true), "cost \\u0024{");
        assert_eq!(string_content("\u{2028}é", true), "\\u2028é");
    }
}
