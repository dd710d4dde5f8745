//! Text → the importer (a JSON or YAML definition, a CloudFormation or SAM template, with
//! each of its state machines picked), then the definition it gives read by the engine, and
//! its problems located back in the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = import::looks_like_json(&text);
    match import::read(&text, None) {
        Ok(imported) => {
            if let Some(extracted) = imported.extracted() {
                for machine in extracted.machines.iter().take(3) {
                    let _ = import::read(&text, Some(machine));
                }
            }
            if let Err(diagnostics) = asl::load(&imported.definition) {
                for d in diagnostics.iter().take(5) {
                    let _ = import::line_col(&text, &d.location);
                }
            }
        }
        Err(e) => {
            let _ = e.message;
        }
    }
});
