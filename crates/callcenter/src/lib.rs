//! The call-center tutorial, simulated: its state machine definition and its five Lambda
//! functions (OpenCase, AssignCase, WorkOnCase, EscalateCase, CloseCase) as an
//! [`asl::TaskHandler`] that behaves exactly like the tutorial's JavaScript.

mod functions;
mod js;

pub use functions::{CallCenter, WorkOnCase, FUNCTION_NAMES};

/// The tutorial's definition (`call-center.yml`), with the example account id 123456789012 in
/// place of `AWS_ACCOUNT_ID` and region us-east-2 as in the tutorial.
pub const TUTORIAL_DEFINITION: &str = include_str!("tutorial.asl.json");

/// The tutorial's execution input.
pub const TUTORIAL_INPUT: &str = "{\n  \"inputCaseID\": \"001\"\n}";
