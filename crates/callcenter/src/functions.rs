//! Placeholder: the five functions land here.
use asl::{TaskHandler, TaskOutcome, TaskRequest};

pub const FUNCTION_NAMES: [&str; 5] = [
    "OpenCase",
    "AssignCase",
    "WorkOnCase",
    "EscalateCase",
    "CloseCase",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WorkOnCase {
    #[default]
    Random,
    Resolved,
    Unresolved,
}

#[derive(Debug, Clone, Default)]
pub struct CallCenter {
    pub work_on_case: WorkOnCase,
}

impl TaskHandler for CallCenter {
    fn invoke(&mut self, _request: TaskRequest<'_>) -> TaskOutcome {
        TaskOutcome::NotFound
    }
}
