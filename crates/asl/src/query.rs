//! The JSONPath query language, as AWS Step Functions runs it: every expression a state's
//! fields may hold, compiled once when the definition is parsed.
//!
//! - [`jsonpath`]: Jayway JSONPath 2.0.0 (InputPath, OutputPath, `.$` fields, intrinsic
//!   arguments), and [`path`]: reference paths (ResultPath, ItemsPath, Choice variables).
//! - [`intrinsics`]: the `States.*` functions; [`java`]: the Java text helpers they and the
//!   filters share (Double.toString, Jackson's writer).
//! - [`template`]: payload templates (Parameters, ResultSelector, ItemSelector, Assign …),
//!   compiled to a tree whose `.$` leaves are [`expression::Expression`]s.
//! - [`choice`]: Choice rules' data access and comparisons.
//! - [`context`]: what an expression reads besides the state's data: the context object
//!   (`$$`), built only when read and without copying the execution input, and the
//!   workflow variables.

pub mod choice;
pub mod context;
pub mod expression;
pub mod intrinsics;
pub(crate) mod java;
pub mod jsonpath;
pub mod path;
pub mod template;
