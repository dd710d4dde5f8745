//! The tutorial's five Lambda functions (`call-center-functions.yml`), line for line in Rust
//! over [`JsValue`]s, so that they give exactly what the JavaScript gives: the same fields, the
//! same messages (`Case undefined: opened...` included), the same `TypeError`s.
//!
//! Each function's doc quotes its JavaScript; the comments in its body give the JavaScript
//! line each Rust line stands for, and the `line:column` that V8 reports when it throws there
//! (checked with Node.js 20 on the tutorial's code).

use asl::task::lambda_function_name;
use asl::{TaskHandler, TaskOutcome, TaskRequest};
use serde_json::{json, Value};

use crate::js::{JsError, JsValue};

/// The tutorial's functions, by their Lambda function names.
pub const FUNCTION_NAMES: [&str; 5] = [
    "OpenCase",
    "AssignCase",
    "WorkOnCase",
    "EscalateCase",
    "CloseCase",
];

/// What `WorkOnCase` decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WorkOnCase {
    /// As the tutorial: `Math.random()` is the execution's seeded random number, and the case
    /// is resolved (status 1) when it is at least 0.5, unresolved (status 0) otherwise.
    #[default]
    Random,
    /// Always resolved (status 1).
    Resolved,
    /// Always unresolved (status 0).
    Unresolved,
}

/// The tutorial's five Lambda functions as a task handler. A Task state whose resource is a
/// Lambda function named like one of [`FUNCTION_NAMES`] (a bare name or an ARN, with or
/// without a qualifier) runs it; any other resource is [`TaskOutcome::NotFound`].
///
/// A function's return value is its `callback(null, result)` after `JSON.stringify`; an
/// exception is a [`TaskOutcome::Failed`] with the error's name (`TypeError`) and, as cause,
/// the JSON Lambda reports for an unhandled error (`errorType`, `errorMessage`, `trace`).
#[derive(Debug, Clone, Default)]
pub struct CallCenter {
    pub work_on_case: WorkOnCase,
}

impl TaskHandler for CallCenter {
    fn invoke(&mut self, request: TaskRequest<'_>) -> TaskOutcome {
        let Some(name) = lambda_function_name(request.resource) else {
            return TaskOutcome::NotFound;
        };
        // The Lambda runtime hands the handler `JSON.parse(payload)`.
        let event = JsValue::parse(request.input);
        let result = match name {
            "OpenCase" => open_case(&event),
            "AssignCase" => assign_case(&event),
            "WorkOnCase" => {
                // Math.random() is called whatever the mode (so the seeded sequence advances
                // the same way); Resolved and Unresolved only decide what it returns.
                let drawn = (request.random)();
                let math_random = match self.work_on_case {
                    WorkOnCase::Random => drawn,
                    WorkOnCase::Resolved => 0.5,
                    WorkOnCase::Unresolved => 0.0,
                };
                work_on_case(&event, math_random)
            }
            "EscalateCase" => escalate_case(&event),
            "CloseCase" => close_case(&event),
            _ => return TaskOutcome::NotFound,
        };
        match result {
            // `callback(null, result)`: the runtime sends back `JSON.stringify(result)`.
            Ok(result) => TaskOutcome::Succeeded(result.stringify().unwrap_or(Value::Null)),
            Err(error) => TaskOutcome::Failed {
                error: error.name.to_owned(),
                cause: lambda_error_cause(&error),
            },
        }
    }
}

/// Where the handler's own frame points when `error` was thrown at `line:column` of
/// `index.mjs` (as the Node.js 20 runtime's stack shows it).
fn thrown_at(line: u32, column: u32) -> impl Fn(JsError) -> JsError {
    move |mut error| {
        error.frames.push(format!(
            "    at Runtime.handler (file:///var/task/index.mjs:{line}:{column})"
        ));
        error
    }
}

/// The `Cause` Step Functions gets from Lambda for an unhandled exception: the JSON text of
/// `{"errorType", "errorMessage", "trace"}`, the trace being `error.stack` split into lines,
/// ending in the Node.js 20 runtime's own frame.
fn lambda_error_cause(error: &JsError) -> String {
    let mut trace = vec![error.headline()];
    trace.extend(error.frames.iter().cloned());
    trace.push(
        "    at Runtime.handleOnceNonStreaming (file:///var/runtime/index.mjs:1173:29)".to_owned(),
    );
    json!({ "errorType": error.name, "errorMessage": error.message, "trace": trace }).to_string()
}

/// `OpenCase`:
///
/// ```js
/// exports.handler = (event, context, callback) => {
///   // Create a support case using the input as the case ID, then return a confirmation message
///  var myCaseID = event.inputCaseID;
///  var myMessage = "Case " + myCaseID + ": opened...";
///  var result = {Case: myCaseID, Message: myMessage};
///  callback(null, result);
/// };
/// ```
fn open_case(event: &JsValue) -> Result<JsValue, JsError> {
    // var myCaseID = event.inputCaseID;                          (3:23)
    let my_case_id = event.get("inputCaseID").map_err(thrown_at(3, 23))?;
    // var myMessage = "Case " + myCaseID + ": opened...";         (4:26, 4:37)
    let my_message = JsValue::string("Case ")
        .plus(&my_case_id)
        .map_err(thrown_at(4, 26))?
        .plus(&JsValue::string(": opened..."))
        .map_err(thrown_at(4, 37))?;
    // var result = {Case: myCaseID, Message: myMessage};
    Ok(JsValue::object([
        ("Case", my_case_id),
        ("Message", my_message),
    ]))
}

/// `AssignCase`:
///
/// ```js
/// exports.handler = (event, context, callback) => {
///   // Assign the support case and update the status message
///   var myCaseID = event.Case;
///   var myMessage = event.Message + "assigned...";
///   var result = {Case: myCaseID, Message: myMessage};
///   callback(null, result);
/// };
/// ```
fn assign_case(event: &JsValue) -> Result<JsValue, JsError> {
    // var myCaseID = event.Case;                                  (3:24)
    let my_case_id = event.get("Case").map_err(thrown_at(3, 24))?;
    // var myMessage = event.Message + "assigned...";              (4:25, 4:33)
    let my_message = event
        .get("Message")
        .map_err(thrown_at(4, 25))?
        .plus(&JsValue::string("assigned..."))
        .map_err(thrown_at(4, 33))?;
    // var result = {Case: myCaseID, Message: myMessage};
    Ok(JsValue::object([
        ("Case", my_case_id),
        ("Message", my_message),
    ]))
}

/// `WorkOnCase`, with `math_random` as what `Math.random()` returns:
///
/// ```js
/// exports.handler = (event, context, callback) => {
///   // Generate a random number to determine whether the support case has been resolved, then return that value along with the updated message.
///   var min = 0;
///   var max = 1;
///   var myCaseStatus = Math.floor(Math.random() * (max - min + 1)) + min;
///   var myCaseID = event.Case;
///   var myMessage = event.Message;
///   if (myCaseStatus == 1) {
///       // Support case has been resolved
///       myMessage = myMessage + "resolved...";
///   } else if (myCaseStatus == 0) {
///       // Support case is still open
///       myMessage = myMessage + "unresolved...";
///   }
///   var result = {Case: myCaseID, Status : myCaseStatus, Message: myMessage};
///   callback(null, result);
/// };
/// ```
fn work_on_case(event: &JsValue, math_random: f64) -> Result<JsValue, JsError> {
    // var min = 0;
    // var max = 1;
    let (min, max) = (0.0_f64, 1.0_f64);
    // var myCaseStatus = Math.floor(Math.random() * (max - min + 1)) + min;
    let my_case_status = (math_random * (max - min + 1.0)).floor() + min;
    // var myCaseID = event.Case;                                  (6:24)
    let my_case_id = event.get("Case").map_err(thrown_at(6, 24))?;
    // var myMessage = event.Message;                              (7:25)
    let mut my_message = event.get("Message").map_err(thrown_at(7, 25))?;
    if my_case_status == 1.0 {
        // myMessage = myMessage + "resolved...";                  (10:29)
        my_message = my_message
            .plus(&JsValue::string("resolved..."))
            .map_err(thrown_at(10, 29))?;
    } else if my_case_status == 0.0 {
        // myMessage = myMessage + "unresolved...";                (13:29)
        my_message = my_message
            .plus(&JsValue::string("unresolved..."))
            .map_err(thrown_at(13, 29))?;
    }
    // var result = {Case: myCaseID, Status : myCaseStatus, Message: myMessage};
    Ok(JsValue::object([
        ("Case", my_case_id),
        ("Status", JsValue::Number(my_case_status)),
        ("Message", my_message),
    ]))
}

/// `EscalateCase`:
///
/// ```js
/// exports.handler = (event, context, callback) => {
///   // Escalate the support case
///   var myCaseID = event.Case;
///   var myCaseStatus = event.Status;
///   var myMessage = event.Message + "escalating.";
///   var result = {Case: myCaseID, Status : myCaseStatus, Message: myMessage};
///   callback(null, result);
/// };
/// ```
fn escalate_case(event: &JsValue) -> Result<JsValue, JsError> {
    // var myCaseID = event.Case;                                  (3:24)
    let my_case_id = event.get("Case").map_err(thrown_at(3, 24))?;
    // var myCaseStatus = event.Status;                            (4:28)
    let my_case_status = event.get("Status").map_err(thrown_at(4, 28))?;
    // var myMessage = event.Message + "escalating.";              (5:25, 5:33)
    let my_message = event
        .get("Message")
        .map_err(thrown_at(5, 25))?
        .plus(&JsValue::string("escalating."))
        .map_err(thrown_at(5, 33))?;
    // var result = {Case: myCaseID, Status : myCaseStatus, Message: myMessage};
    Ok(JsValue::object([
        ("Case", my_case_id),
        ("Status", my_case_status),
        ("Message", my_message),
    ]))
}

/// `CloseCase` (note that it reads `Status` first):
///
/// ```js
/// exports.handler = (event, context, callback) => {
///   // Close the support case
///   var myCaseStatus = event.Status;
///   var myCaseID = event.Case;
///   var myMessage = event.Message + "closed.";
///   var result = {Case: myCaseID, Status : myCaseStatus, Message: myMessage};
///   callback(null, result);
/// };
/// ```
fn close_case(event: &JsValue) -> Result<JsValue, JsError> {
    // var myCaseStatus = event.Status;                            (3:28)
    let my_case_status = event.get("Status").map_err(thrown_at(3, 28))?;
    // var myCaseID = event.Case;                                  (4:24)
    let my_case_id = event.get("Case").map_err(thrown_at(4, 24))?;
    // var myMessage = event.Message + "closed.";                  (5:25, 5:33)
    let my_message = event
        .get("Message")
        .map_err(thrown_at(5, 25))?
        .plus(&JsValue::string("closed."))
        .map_err(thrown_at(5, 33))?;
    // var result = {Case: myCaseID, Status : myCaseStatus, Message: myMessage};
    Ok(JsValue::object([
        ("Case", my_case_id),
        ("Status", my_case_status),
        ("Message", my_message),
    ]))
}
