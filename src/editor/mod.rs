//! Text editing helpers that know JSON (and YAML): tokens for highlighting, bracket pairs,
//! formatting.

pub mod json_syntax;
pub mod yaml_syntax;
