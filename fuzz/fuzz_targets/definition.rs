//! A definition's text → parse and validate (Standard and Express), each problem located in
//! the text as the editor does, and a loaded machine drawn as the page draws it.
#![no_main]

use asl::validate::MachineType;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match asl::load_as(&text, MachineType::Express) {
        Ok(machine) => {
            let _ = sfn_playground::graph::draw(&machine);
        }
        Err(diagnostics) => {
            for d in &diagnostics {
                let _ = asl::locate::line_col(&text, &d.location);
                if let Some(within) = d.within {
                    let _ = asl::locate::line_col_within(&text, &d.location, within);
                }
            }
        }
    }
    let _ = asl::load(&text);
});
