//! The tutorial's five Lambda functions as JavaScript for the `nodejs24.x` runtime.
//!
//! Node.js 24 on Lambda has no callback-style handlers, so each function is the tutorial's
//! code with two lines changed: `exports.handler = async (event) => {` instead of
//! `(event, context, callback) => {`, and `return result;` instead of
//! `callback(null, result);`. The code stays CommonJS (`exports.handler`): CloudFormation
//! writes inline `ZipFile` code for Node.js to `index.js`, which Node.js loads as a CommonJS
//! module.
//!
//! Every other line is the tutorial's, at the same line and column (trailing spaces aside),
//! so the functions give exactly what `callcenter` simulates: the same fields in the same
//! order, `Case undefined: opened...` for a missing field, the same `TypeError`s, thrown at
//! the same `line:column`. The note about the change goes after the code, where it moves no
//! line.

/// The note that ends every function's code.
const NOTE: &str = "// The call-center tutorial's code, exported by sfn-playground: \"async\" and \"return result\"\n\
                    // in place of the callback, which Node.js 24 on Lambda no longer supports.\n";

/// The JavaScript of the tutorial's function `name` (one of [`callcenter::FUNCTION_NAMES`]).
pub fn code(name: &str) -> Option<String> {
    let body = match name {
        "OpenCase" => OPEN_CASE,
        "AssignCase" => ASSIGN_CASE,
        "WorkOnCase" => WORK_ON_CASE,
        "EscalateCase" => ESCALATE_CASE,
        "CloseCase" => CLOSE_CASE,
        _ => return None,
    };
    Some(format!("{body}{NOTE}"))
}

/// What each function does, for the template's `Description`.
pub fn description(name: &str) -> &'static str {
    match name {
        "OpenCase" => "Opens a support case: its ID is the input's inputCaseID",
        "AssignCase" => "Assigns the support case",
        "WorkOnCase" => "Works on the case: resolved (Status 1) or not (Status 0), at random",
        "EscalateCase" => "Escalates the support case",
        "CloseCase" => "Closes the support case",
        _ => "",
    }
}

const OPEN_CASE: &str = r#"exports.handler = async (event) => {
  // Create a support case using the input as the case ID, then return a confirmation message
 var myCaseID = event.inputCaseID;
 var myMessage = "Case " + myCaseID + ": opened...";
 var result = {Case: myCaseID, Message: myMessage};
 return result;
};
"#;

const ASSIGN_CASE: &str = r#"exports.handler = async (event) => {
  // Assign the support case and update the status message
  var myCaseID = event.Case;
  var myMessage = event.Message + "assigned...";
  var result = {Case: myCaseID, Message: myMessage};
  return result;
};
"#;

const WORK_ON_CASE: &str = r#"exports.handler = async (event) => {
  // Generate a random number to determine whether the support case has been resolved, then return that value along with the updated message.
  var min = 0;
  var max = 1;
  var myCaseStatus = Math.floor(Math.random() * (max - min + 1)) + min;
  var myCaseID = event.Case;
  var myMessage = event.Message;
  if (myCaseStatus == 1) {
      // Support case has been resolved
      myMessage = myMessage + "resolved...";
  } else if (myCaseStatus == 0) {
      // Support case is still open
      myMessage = myMessage + "unresolved...";
  }
  var result = {Case: myCaseID, Status : myCaseStatus, Message: myMessage};
  return result;
};
"#;

const ESCALATE_CASE: &str = r#"exports.handler = async (event) => {
  // Escalate the support case
  var myCaseID = event.Case;
  var myCaseStatus = event.Status;
  var myMessage = event.Message + "escalating.";
  var result = {Case: myCaseID, Status : myCaseStatus, Message: myMessage};
  return result;
};
"#;

const CLOSE_CASE: &str = r#"exports.handler = async (event) => {
  // Close the support case
  var myCaseStatus = event.Status;
  var myCaseID = event.Case;
  var myMessage = event.Message + "closed.";
  var result = {Case: myCaseID, Status : myCaseStatus, Message: myMessage};
  return result;
};
"#;
