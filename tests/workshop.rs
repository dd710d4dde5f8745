//! Browser tests of the workshop panel (wasm-bindgen-test, headless Chromium).
//!
//! The panel is mounted on its own, in a small wrapper that owns the playground's state (as
//! the App does) and shows a few of its fields, so these tests do not depend on where the App
//! places the panel. Run them with `cargo xtask test` (stage 2), or by hand:
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown -p sfn-playground --test workshop`
#![cfg(target_arch = "wasm32")]

mod common;

use common::{tick, Mounted};
use sfn_playground::components::workshop::{Workshop, STORAGE_KEY};
use sfn_playground::state::Playground;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

#[function_component(Harness)]
fn harness() -> Html {
    let state = use_reducer(Playground::default);
    html! {
        <>
            <Workshop state={state.clone()} />
            <p id="probe-step">{ format!("{:?}", state.workshop_step) }</p>
            <p id="probe-case">{ state.case_id().unwrap_or_default() }</p>
            <p id="probe-run">{ state.run.is_some().to_string() }</p>
            <p id="probe-selected">{ state.selected.clone().unwrap_or_default() }</p>
            <p id="probe-example">{ state.example.name }</p>
        </>
    }
}

fn storage() -> JsValue {
    let window: JsValue = web_sys::window().unwrap().into();
    js_sys::Reflect::get(&window, &"localStorage".into()).unwrap()
}

fn storage_call(method: &str, args: &[&str]) -> JsValue {
    let storage = storage();
    let f: js_sys::Function = js_sys::Reflect::get(&storage, &method.into())
        .unwrap()
        .unchecked_into();
    let args: js_sys::Array = args.iter().map(|a| JsValue::from_str(a)).collect();
    f.apply(&storage, &args).unwrap()
}

fn stored() -> Option<String> {
    storage_call("getItem", &[STORAGE_KEY]).as_string()
}

fn store(value: Option<&str>) {
    match value {
        Some(v) => storage_call("setItem", &[STORAGE_KEY, v]),
        None => storage_call("removeItem", &[STORAGE_KEY]),
    };
}

fn text(app: &Mounted<Harness>, selector: &str) -> String {
    app.query(selector)
        .unwrap_or_else(|| panic!("{selector} is missing: {}", app.html()))
        .text_content()
        .unwrap_or_default()
        .trim()
        .to_string()
}

async fn click(app: &Mounted<Harness>, selector: &str) {
    let el: web_sys::HtmlElement = app
        .query(selector)
        .unwrap_or_else(|| panic!("{selector} is missing: {}", app.html()))
        .unchecked_into();
    el.click();
    tick().await;
}

#[wasm_bindgen_test]
async fn the_toggle_opens_step_1_and_next_goes_to_step_2() {
    store(None);
    let app = Mounted::<Harness>::new().await;
    assert_eq!(app.count("section#workshop"), 0, "closed at first");
    let toggle = app.query("#workshop-toggle").unwrap();
    assert_eq!(toggle.get_attribute("aria-expanded").unwrap(), "false");

    click(&app, "#workshop-toggle").await;
    assert_eq!(text(&app, "#probe-step"), "Some(1)");
    assert_eq!(app.count("section#workshop"), 1);
    assert_eq!(toggle.get_attribute("aria-expanded").unwrap(), "true");
    assert_eq!(text(&app, "#workshop-step-number"), "Step 1 of 7");
    assert_eq!(text(&app, "#workshop-step-title"), "What you are building");
    assert_eq!(text(&app, "#workshop-progress"), "0 of 7 done");
    assert!(app
        .query("#workshop-back")
        .unwrap()
        .has_attribute("disabled"));

    click(&app, "#workshop-next").await;
    assert_eq!(text(&app, "#probe-step"), "Some(2)");
    assert_eq!(text(&app, "#workshop-step-number"), "Step 2 of 7");
    assert_eq!(text(&app, "#workshop-step-title"), "The Lambda functions");
    let commands = text(&app, "#workshop-command-2-0");
    assert_eq!(
        commands,
        "aws cloudformation create-stack --stack-name call-center-functions \
         --template-body file://call-center-functions.yml --capabilities CAPABILITY_IAM"
    );
    let focused = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .map(|e| e.id());
    assert_eq!(
        focused.as_deref(),
        Some("workshop-step-title"),
        "focus follows the step"
    );

    click(&app, "#workshop-back").await;
    assert_eq!(text(&app, "#workshop-step-number"), "Step 1 of 7");
    click(&app, "#workshop-toggle").await;
    assert_eq!(text(&app, "#probe-step"), "None");
    assert_eq!(app.count("section#workshop"), 0);
}

#[wasm_bindgen_test]
async fn mark_done_updates_the_progress_and_local_storage() {
    store(None);
    let app = Mounted::<Harness>::new().await;
    click(&app, "#workshop-toggle").await;
    click(&app, "#workshop-done").await;
    assert_eq!(text(&app, "#workshop-progress"), "1 of 7 done");
    assert_eq!(stored().as_deref(), Some("[1]"));
    click(&app, "#workshop-next").await;
    click(&app, "#workshop-next").await;
    let done: web_sys::HtmlInputElement = app.query("#workshop-done").unwrap().unchecked_into();
    assert!(!done.checked(), "step 3 is not done");
    click(&app, "#workshop-done").await;
    assert_eq!(text(&app, "#workshop-progress"), "2 of 7 done");
    assert_eq!(stored().as_deref(), Some("[1,3]"));
    click(&app, "#workshop-done").await;
    assert_eq!(text(&app, "#workshop-progress"), "1 of 7 done");
    assert_eq!(stored().as_deref(), Some("[1]"));
    drop(app);

    // Mounted again (a reload): the progress is read back, and the toggle resumes at step 2.
    let app = Mounted::<Harness>::new().await;
    click(&app, "#workshop-toggle").await;
    assert_eq!(text(&app, "#workshop-progress"), "1 of 7 done");
    assert_eq!(text(&app, "#probe-step"), "Some(2)");
    store(None);
}

#[wasm_bindgen_test]
async fn a_corrupt_stored_value_counts_as_nothing_done() {
    for (value, want) in [
        ("{corrupt", "0 of 7 done"),
        ("\"[1,2]\"", "0 of 7 done"),
        ("[1, 99, \"2\", 3]", "2 of 7 done"),
    ] {
        store(Some(value));
        let app = Mounted::<Harness>::new().await;
        click(&app, "#workshop-toggle").await;
        assert_eq!(text(&app, "#workshop-progress"), want, "stored {value}");
    }
    store(None);
}

#[wasm_bindgen_test]
async fn do_it_for_me_starts_case_001_on_the_tutorial() {
    store(None);
    let app = Mounted::<Harness>::new().await;
    click(&app, "#workshop-toggle").await;
    click(&app, "#workshop .workshop-steps li:nth-child(4) button").await;
    assert_eq!(text(&app, "#workshop-step-title"), "Start an execution");
    assert_eq!(text(&app, "#probe-run"), "false");
    click(&app, "#workshop-do-4").await;
    assert_eq!(text(&app, "#probe-run"), "true");
    assert_eq!(text(&app, "#probe-case"), "001");
    assert_eq!(text(&app, "#probe-example"), "tutorial");

    click(&app, "#workshop-next").await;
    click(&app, "#workshop-select-work-on-case").await;
    assert_eq!(text(&app, "#probe-selected"), "Work on Case");
}

#[wasm_bindgen_test]
async fn a_refused_copy_says_how_to_copy_by_hand() {
    store(None);
    let app = Mounted::<Harness>::new().await;
    click(&app, "#workshop-toggle").await;
    click(&app, "#workshop .command-row button.copy").await;
    // The headless page may or may not be allowed to write the clipboard: either way it says so.
    let mut status = String::new();
    for _ in 0..50 {
        status = text(&app, "#workshop-status");
        if !status.is_empty() {
            break;
        }
        gloo_timers::future::TimeoutFuture::new(20).await;
        tick().await;
    }
    assert!(
        status == "Copied command 1." || status == "Select the text and copy it.",
        "{status:?}"
    );
}
