//! A definition's text → exported (CloudFormation templates, commands, README) and, when it
//! loads, written as YAML (as the editor's "YAML" view does) and read back by the importer:
//! the same definition must come back, and so must the template's.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(exported) = export::export(&text, &export::Options::default()) else {
        return;
    };
    let value: Value = serde_json::from_str(&text).expect("a loaded definition is JSON");
    let yaml = export::yaml::document(&value);
    let back = import::read(&yaml, None).expect("the YAML export reads back");
    let back: Value = serde_json::from_str(&back.definition).expect("the importer gives JSON");
    assert_eq!(back, value, "YAML:\n{yaml}");
    // Without Lambda functions (and `${`) the template holds the definition as it is.
    let template = exported
        .file(export::STATE_MACHINE_TEMPLATE)
        .expect("a template");
    let imported = import::read(&template.contents, None).expect("the template reads back");
    if imported.extracted().is_some_and(|e| e.filled.is_empty()) {
        let from_template: Value =
            serde_json::from_str(&imported.definition).expect("the template's definition is JSON");
        assert_eq!(from_template, value, "template:\n{}", template.contents);
    }
});
