//! The Amazon States Language engine (work in progress: see the pipeline below as it lands).

pub mod task;

pub use task::{NoTasks, TaskHandler, TaskOutcome, TaskRequest};
