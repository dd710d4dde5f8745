//! `asl::locate`: JSON pointers back to lines and columns of the definition's text.

use asl::locate::{line_col, line_col_of_offset, offset};

const MACHINE: &str = r#"{
  "Comment": "A call center",
  "StartAt": "Open Case",
  "States": {
    "Open Case": {
      "Type": "Task",
      "Resource": "arn:aws:lambda:us-east-1:123456789012:function:open_case",
      "Next": "Assign Case"
    },
    "Assign Case": {
      "Type": "Pass",
      "Result": [1, {"deep": [true, null]}, "x"],
      "End": true
    }
  }
}"#;

#[test]
fn the_root_is_where_the_text_starts() {
    assert_eq!(line_col(MACHINE, "/"), Some((1, 1)));
    assert_eq!(line_col(MACHINE, ""), Some((1, 1)));
    assert_eq!(line_col("\n\n  [1]", "/"), Some((3, 3)));
}

#[test]
fn nested_object_members_point_at_their_values() {
    assert_eq!(line_col(MACHINE, "/StartAt"), Some((3, 14)));
    assert_eq!(line_col(MACHINE, "/States"), Some((4, 13)));
    assert_eq!(line_col(MACHINE, "/States/Open Case"), Some((5, 18)));
    assert_eq!(line_col(MACHINE, "/States/Open Case/Next"), Some((8, 15)));
    assert_eq!(line_col(MACHINE, "/States/Assign Case/End"), Some((13, 14)));
}

#[test]
fn array_elements_by_index() {
    assert_eq!(
        line_col(MACHINE, "/States/Assign Case/Result/0"),
        Some((12, 18))
    );
    assert_eq!(
        line_col(MACHINE, "/States/Assign Case/Result/1"),
        Some((12, 21))
    );
    assert_eq!(
        line_col(MACHINE, "/States/Assign Case/Result/1/deep/1"),
        Some((12, 37))
    );
    assert_eq!(
        line_col(MACHINE, "/States/Assign Case/Result/2"),
        Some((12, 45))
    );
    // Not an index: leading zeros, "-" (one past the end), a name.
    assert_eq!(
        line_col(MACHINE, "/States/Assign Case/Result/01"),
        line_col(MACHINE, "/States/Assign Case/Result")
    );
    assert_eq!(
        line_col(MACHINE, "/States/Assign Case/Result/-"),
        line_col(MACHINE, "/States/Assign Case/Result")
    );
}

#[test]
fn a_missing_child_falls_back_to_the_nearest_ancestor() {
    // "These fields are required: [Next]"-style pointers name what is not there.
    assert_eq!(
        line_col(MACHINE, "/States/Open Case/Retry/0/ErrorEquals"),
        Some((5, 18))
    );
    assert_eq!(line_col(MACHINE, "/States/Nowhere"), Some((4, 13)));
    assert_eq!(line_col(MACHINE, "/Missing"), Some((1, 1)));
    // A scalar has no children.
    assert_eq!(line_col(MACHINE, "/StartAt/x"), Some((3, 14)));
    // Out of range.
    assert_eq!(
        line_col(MACHINE, "/States/Assign Case/Result/3"),
        Some((12, 17))
    );
}

#[test]
fn escaped_pointer_tokens_and_escaped_keys() {
    let text = r#"{"a/b": 1, "m~n": 2, "q\"uote": 3, "\u0041": 4, "": 5}"#;
    assert_eq!(offset(text, "/a~1b"), Some(8));
    assert_eq!(offset(text, "/m~0n"), Some(18));
    assert_eq!(offset(text, "/q\"uote"), Some(32));
    assert_eq!(offset(text, "/A"), Some(45));
    assert_eq!(offset(text, "/"), Some(0));
    // "/" is the root here (as the engine writes it); the empty key is reached from deeper.
    let nested = r#"{"x": {"": [7]}}"#;
    assert_eq!(offset(nested, "/x//0"), Some(12));
}

#[test]
fn columns_count_characters_not_bytes() {
    let text = "{\"café\": {\"é\": \"ü\", \"😀\": [1, 2]}}";
    assert_eq!(line_col(text, "/café/é"), Some((1, 16)));
    assert_eq!(line_col(text, "/café/😀/1"), Some((1, 30)));
    // A key written with escapes is the same key.
    let escaped = r#"{"caf\u00e9": 1, "\ud83d\ude00": 2}"#;
    assert_eq!(line_col(escaped, "/café"), Some((1, 15)));
    assert_eq!(line_col(escaped, "/😀"), Some((1, 34)));
}

#[test]
fn the_last_duplicate_key_wins_as_in_serde_json() {
    let text = "{\"a\": {\"b\": 1},\n \"a\": {\"c\": 2}}";
    assert_eq!(line_col(text, "/a"), Some((2, 7)));
    // "b" was in the first "a" only: the one that counts has no "b".
    assert_eq!(line_col(text, "/a/b"), Some((2, 7)));
    assert_eq!(line_col(text, "/a/c"), Some((2, 13)));
}

#[test]
fn scalars_strings_and_numbers_are_skipped_exactly() {
    let text = r#"{"s": "a \"}\" ] \\", "n": -1.5e+3, "t": true, "f": false, "z": null, "e": {}, "l": [], "k": 0}"#;
    assert_eq!(offset(text, "/k"), Some(text.len() - 2));
    assert_eq!(offset(text, "/e"), text.find("{}"));
    assert_eq!(offset(text, "/l"), text.find("[]"));
}

#[test]
fn invalid_text_gives_none() {
    for text in [
        "",
        "   ",
        "{",
        "{\"a\": 1,}",
        "{\"a\" 1}",
        "[1 2]",
        "{\"a\": tru}",
        "{\"a\": 01}",
        "{\"a\": 1.}",
        "{\"a\": -}",
        "{\"a\": \"unterminated}",
        "{\"a\": \"bad \\q escape\"}",
        "{\"a\": \"\\u12\"}",
        "{\"a\": \"raw\nnewline\"}",
        "{\"a\": 1} trailing",
        "{\"a\": 1]",
        "[1}",
        "{1: 2}",
        "nul",
    ] {
        assert_eq!(line_col(text, "/a"), None, "{text:?}");
        assert_eq!(line_col(text, "/"), None, "{text:?}");
    }
}

#[test]
fn a_syntax_error_location_is_not_a_pointer() {
    assert_eq!(line_col(MACHINE, "line 3, column 5"), None);
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    let depth = 200_000;
    let text = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
    let pointer = "/0".repeat(depth);
    assert_eq!(offset(&text, &pointer), Some(depth));
    // Unclosed: not JSON.
    assert_eq!(offset(&"[".repeat(depth), "/0"), None);
}

#[test]
fn huge_inputs_are_scanned_in_linear_time() {
    // 200,000 states: a quadratic scan would take minutes.
    let mut text = String::from("{\"States\": {");
    for i in 0..200_000 {
        if i > 0 {
            text.push_str(",\n");
        }
        text.push_str(&format!(
            "\"S{i}\": {{\"Type\": \"Pass\", \"Next\": \"S{}\"}}",
            i + 1
        ));
    }
    text.push_str("}}");
    let started = std::time::Instant::now();
    assert_eq!(line_col(&text, "/States/S199999/Next"), Some((200_000, 37)));
    assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
}

#[test]
fn offsets_to_lines_and_columns() {
    let text = "ab\ncé\nx";
    assert_eq!(line_col_of_offset(text, 0), (1, 1));
    assert_eq!(line_col_of_offset(text, 2), (1, 3));
    assert_eq!(line_col_of_offset(text, 3), (2, 1));
    // Inside "é" (2 bytes): the next boundary.
    assert_eq!(line_col_of_offset(text, 5), (2, 3));
    assert_eq!(line_col_of_offset(text, 99), (3, 2));
}

#[test]
fn every_diagnostic_of_an_invalid_definition_is_located() {
    let text = r#"{
  "StartAt": "A",
  "States": {
    "A": {"Type": "Pass", "Next": "Nowhere"},
    "B": {"Type": "Task"}
  }
}"#;
    let problems = asl::load(text).unwrap_err();
    assert!(!problems.is_empty());
    for d in &problems {
        let at = line_col(text, &d.location);
        assert!(at.is_some(), "{d}");
    }
}

/// A small deterministic generator (no dependency): xorshift64*.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

#[test]
fn mangled_definitions_never_panic_and_every_pointer_problem_is_located() {
    let pieces = [
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "\\",
        "\\u",
        "é",
        "😀",
        "\n",
        " ",
        "1",
        "-",
        "e",
        "null",
        "\"Next\": \"X\"",
        "\"Type\": \"Fail\"",
        "~",
        "/",
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..3000 {
        let mut text = MACHINE.to_string();
        for _ in 0..1 + rng.below(3) {
            let chars: Vec<(usize, char)> = text.char_indices().collect();
            let (at, c) = chars[rng.below(chars.len())];
            match rng.below(3) {
                0 => text.replace_range(at..at + c.len_utf8(), ""),
                1 => text.insert_str(at, pieces[rng.below(pieces.len())]),
                _ => text.replace_range(at..at + c.len_utf8(), pieces[rng.below(pieces.len())]),
            }
        }
        let problems = match asl::load(&text) {
            Ok(_) => continue,
            Err(problems) => problems,
        };
        let is_json = serde_json::from_str::<serde_json::Value>(&text).is_ok();
        for d in &problems {
            let at = line_col(&text, &d.location);
            if is_json && d.location.starts_with('/') {
                assert!(at.is_some(), "{d} in {text:?}");
            }
            if !is_json {
                assert_eq!(at, None, "{text:?}");
            }
        }
    }
}
