//! Round trips through YAML, on generated definitions: what the editor shows as YAML
//! (`export::yaml::document`) reads back as the same definition, and so does the template an
//! export writes (`export::export`), whatever the text in them (YAML's indicators, quotes,
//! line breaks, look-alikes of numbers, booleans and null, any Unicode).

use proptest::prelude::*;
use serde_json::{json, Map, Number, Value};

/// Text that YAML must quote or escape, mixed with anything.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,12}",
        "[ -~]{0,12}",
        "[ \t\n\r:#&*!|>'\"%@`,\\[\\]{}?~-]{0,8}",
        prop::sample::select(vec![
            "null",
            "Null",
            "~",
            "true",
            "False",
            "yes",
            "on",
            "1",
            "-1.5",
            "1e3",
            "0x1F",
            "0o7",
            ".inf",
            "-.Inf",
            ".nan",
            "2001-12-14",
            "- a",
            "a: b",
            "# c",
            "---",
            "...",
            "${x}",
            "{% $x %}",
            "\u{85}",
            "\u{2028}",
            "\u{feff}a",
            " lead",
            "trail ",
            "a\n",
            "\n\nb",
            "\t",
            "\\",
            "'",
            "\"",
        ])
        .prop_map(String::from),
    ]
}

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter_map("finite", Number::from_f64)
            .prop_map(Value::Number),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 40, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((text(), inner), 0..5)
                .prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    })
}

/// A definition of Pass states with any names, comments and results, chained.
fn definition() -> impl Strategy<Value = Value> {
    (
        prop::option::of(text()),
        prop::collection::vec((text(), prop::option::of(text()), value()), 1..4),
    )
        .prop_map(|(comment, states)| {
            let mut map = Map::new();
            let names: Vec<String> = states
                .iter()
                .enumerate()
                .map(|(i, (name, ..))| format!("{i}{name}"))
                .collect();
            for (i, (_, state_comment, result)) in states.into_iter().enumerate() {
                let mut state = json!({"Type": "Pass", "Result": result});
                if let Some(c) = state_comment {
                    state["Comment"] = json!(c);
                }
                match names.get(i + 1) {
                    Some(next) => state["Next"] = json!(next),
                    None => state["End"] = json!(true),
                }
                map.insert(names[i].clone(), state);
            }
            let mut definition = json!({"StartAt": names[0], "States": map});
            if let Some(c) = comment {
                definition["Comment"] = json!(c);
            }
            definition
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn a_definition_shown_as_yaml_reads_back_as_itself(states in value(), extra in value()) {
        // Any value under a definition's keys: the writer must not care what it holds.
        let definition = json!({"StartAt": "A", "States": states, "Comment": extra});
        let yaml = export::yaml::document(&definition);
        let back = import::read(&yaml, None).map_err(|e| TestCaseError::fail(format!("{e:?}\n{yaml}")))?;
        prop_assert_eq!(back.origin, import::Origin::Yaml);
        let back: Value = serde_json::from_str(&back.definition).unwrap();
        prop_assert_eq!(back, definition, "YAML:\n{}", yaml);
    }

    #[test]
    fn an_exported_template_reads_back_as_its_definition(definition in definition()) {
        let text = serde_json::to_string_pretty(&definition).unwrap();
        // Names AWS refuses (too long, control characters) are not exported.
        prop_assume!(asl::load(&text).is_ok());
        let exported = export::export(&text, &export::Options::default())
            .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        let template = &exported.file(export::STATE_MACHINE_TEMPLATE).unwrap().contents;
        let back = import::read(template, None).map_err(|e| TestCaseError::fail(format!("{e:?}\n{template}")))?;
        let back: Value = serde_json::from_str(&back.definition).unwrap();
        prop_assert_eq!(back, definition, "template:\n{}", template);
    }
}
