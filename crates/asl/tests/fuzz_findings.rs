//! Inputs the fuzzer (`cargo xtask fuzz`, fuzz/) found that once panicked or misbehaved, each
//! kept small: they must now give an error (or a run's end), never a panic.

use asl::{load, DiagnosticCode};

/// fuzz target `definition`: a JSON syntax error after a character of several bytes that ends
/// a word (here `€`) sliced the line inside that character.
#[test]
fn a_syntax_error_after_a_wide_character_is_reported() {
    for text in ["{\"€a\"€y}", "{\"€tates\": {\"a\": \"b\"€€€}}"] {
        let problems = load(text).unwrap_err();
        assert_eq!(problems.len(), 1, "{text}");
        assert_eq!(
            problems[0].code,
            DiagnosticCode::InvalidJsonDescription,
            "{text}"
        );
    }
}
