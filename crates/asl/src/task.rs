//! How a Task state gets its result: the engine asks a [`TaskHandler`], the way Typst asks its
//! `World`. The browser, the CLI and the tests each plug in their own (built-in call-center
//! functions, mocks, or a test double), and the engine stays free of I/O.

use serde_json::Value;

/// What the engine hands a handler when a Task state invokes its resource.
pub struct TaskRequest<'a> {
    /// The state's `Resource` field, e.g. `arn:aws:lambda:us-east-2:123456789012:function:OpenCase`.
    pub resource: &'a str,
    /// The effective input (after InputPath / Parameters).
    pub input: &'a Value,
    /// The name of the Task state being run.
    pub state_name: &'a str,
    /// Randomness for the handler, drawn from the execution's seeded generator, so that the
    /// same seed replays the same run.
    pub random: &'a mut dyn FnMut() -> f64,
}

/// What a task produced.
#[derive(Debug, Clone, PartialEq)]
pub enum TaskOutcome {
    /// The task returned this result.
    Succeeded(Value),
    /// The task failed with an error name and a cause (for a Lambda: the error type and the
    /// JSON text of `{"errorType", "errorMessage", "trace"}`).
    Failed { error: String, cause: String },
    /// Nothing answers for this resource (for a Lambda: the function does not exist).
    NotFound,
}

/// Answers Task states. Implementations must be deterministic given the request (use
/// `request.random` for any randomness).
pub trait TaskHandler {
    fn invoke(&mut self, request: TaskRequest<'_>) -> TaskOutcome;
}

/// A handler that answers nothing: every task fails as a missing function does.
pub struct NoTasks;

impl TaskHandler for NoTasks {
    fn invoke(&mut self, _request: TaskRequest<'_>) -> TaskOutcome {
        TaskOutcome::NotFound
    }
}

/// The Lambda function name in a Lambda ARN, `arn:<partition>:lambda:<region>:<account>:function:<name>[:<qualifier>]`,
/// or a bare function name. `None` for anything else.
pub fn lambda_function_name(resource: &str) -> Option<&str> {
    if let Some(rest) = resource.strip_prefix("arn:") {
        // partition, service, region, account, "function", name, [qualifier]: the fields
        // between colons, found by bytes (this runs for every task invocation).
        let mut fields = [""; 6];
        let mut start = 0;
        let mut n = 0;
        for (i, b) in rest.bytes().enumerate() {
            if b == b':' {
                fields[n] = &rest[start..i];
                n += 1;
                start = i + 1;
                if n == 5 {
                    break;
                }
            }
        }
        if n < 5 {
            return None;
        }
        let name = &rest[start..];
        let name = name.find(':').map_or(name, |end| &name[..end]);
        return match (fields[1], fields[4]) {
            ("lambda", "function") if !name.is_empty() => Some(name),
            _ => None,
        };
    }
    let is_name = !resource.is_empty()
        && resource
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    is_name.then_some(resource)
}

#[cfg(test)]
mod tests {
    use super::lambda_function_name;

    #[test]
    fn function_names_from_arns() {
        let arn = "arn:aws:lambda:us-east-2:123456789012:function:OpenCase";
        assert_eq!(lambda_function_name(arn), Some("OpenCase"));
        assert_eq!(
            lambda_function_name(&format!("{arn}:$LATEST")),
            Some("OpenCase")
        );
        assert_eq!(lambda_function_name("OpenCase"), Some("OpenCase"));
        assert_eq!(lambda_function_name("arn:aws:states:::lambda:invoke"), None);
        assert_eq!(
            lambda_function_name("arn:aws:lambda:us-east-2:1:layer:x"),
            None
        );
    }
}
