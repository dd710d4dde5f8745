//! An expression's text → the JSONata tokenizer and parser, as jsonata-js 2.0.6 (AWS) and as
//! the current JSONata; an error is worded as the page shows it.
#![no_main]

use jsonata::{CompileOptions, Expression};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for jsonata_2_0_6 in [false, true] {
        if let Err(e) = Expression::compile_with(&text, &CompileOptions { jsonata_2_0_6 }) {
            let _ = e.to_string();
        }
    }
});
