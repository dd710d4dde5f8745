//! Placeholder: the layered layout lands here.
