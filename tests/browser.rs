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

#[wasm_bindgen_test]
async fn opens_on_the_tutorial_with_every_state_not_run() {
    let app = Mounted::<sfn_playground::App>::new().await;
    assert_eq!(app.count("svg#state-graph g.state-node"), 7);
    assert_eq!(app.count("g.state-node[data-status=not-run]"), 7);
    assert_eq!(
        app.query("#execution-status")
            .unwrap()
            .text_content()
            .unwrap(),
        "Not started"
    );
}

#[wasm_bindgen_test]
async fn a_forced_resolved_run_colours_the_graph_and_fills_the_history() {
    use wasm_bindgen::JsCast;
    let app = Mounted::<sfn_playground::App>::new().await;
    let select: web_sys::HtmlSelectElement = app.query("#work-outcome").unwrap().unchecked_into();
    select.set_value("resolved");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    common::tick().await;
    let run: web_sys::HtmlElement = app.query("#run").unwrap().unchecked_into();
    run.click();
    // Run to end records a slice per timer tick: wait for the end (bounded).
    let status = || {
        app.query("#execution-status")
            .unwrap()
            .text_content()
            .unwrap()
    };
    for _ in 0..100 {
        if status() == "Succeeded" {
            break;
        }
        gloo_timers::future::TimeoutFuture::new(20).await;
        common::tick().await;
    }
    assert_eq!(status(), "Succeeded");
    assert_eq!(app.count("g.state-node[data-status=succeeded]"), 5);
    assert_eq!(
        app.count("#event-history tbody tr"),
        24,
        "1 start + 4 tasks × 5 + choice 2 + 1 end"
    );
    let output = app
        .query("#execution-output")
        .unwrap()
        .text_content()
        .unwrap();
    assert!(
        output.contains("Case 001: opened...assigned...resolved...closed."),
        "{output}"
    );
}
