//! Component tests that run in headless Chromium (wasm-bindgen-test).
//!
//! Run them with `cargo xtask test` (stage 2), or by hand:
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown -p sfn-playground`
//! (webdriver.json beside Cargo.toml points chromedriver at Debian's Chromium).
//!
//! On the host this file compiles to nothing (the cfg below): a plain `cargo test` would otherwise
//! build it and run 0 tests. To add a test, write another `#[wasm_bindgen_test] async fn` here, or
//! a new `tests/<name>.rs` starting with the same three lines (cfg, `mod common;`, configure).
#![cfg(target_arch = "wasm32")]

mod common;

use common::Mounted;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn app_mounts_and_renders_content() {
    let app = Mounted::<sfn_playground::App>::new().await;
    assert!(
        app.root.child_element_count() > 0,
        "App rendered nothing into its root: {:?}",
        app.html()
    );
    assert!(
        !app.text().trim().is_empty(),
        "App rendered no text: {:?}",
        app.html()
    );
}
