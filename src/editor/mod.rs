//! Text editing helpers that know JSON: tokens for highlighting, bracket pairs, formatting.

pub mod json_syntax;
