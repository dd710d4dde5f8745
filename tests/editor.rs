//! The definition and input editors, in headless Chromium (see tests/browser.rs for how to run).
#![cfg(target_arch = "wasm32")]

mod common;

use common::Mounted;
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::HtmlTextAreaElement;

wasm_bindgen_test_configure!(run_in_browser);

/// Types `text` into the textarea `selector` as a person would: new value, then `input`.
async fn type_into(app: &Mounted<sfn_playground::App>, selector: &str, text: &str) {
    let area: HtmlTextAreaElement = app.query(selector).unwrap().unchecked_into();
    area.set_value(text);
    area.dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    common::tick().await;
}

/// Waits out the definition's validation debounce (300 ms).
async fn debounce() {
    TimeoutFuture::new(400).await;
    common::tick().await;
}

fn text_of(app: &Mounted<sfn_playground::App>, selector: &str) -> String {
    app.query(selector)
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn the_tutorial_is_valid_and_highlighted() {
    let app = Mounted::<sfn_playground::App>::new().await;
    assert!(text_of(&app, "#definition-status").contains("Valid definition"));
    assert!(app.count(".json-highlight .tok-key") > 10);
    assert!(text_of(&app, ".definition .json-gutter-numbers").contains("\n20\n"));
    assert_eq!(app.count(".json-gutter .ln.marked"), 0);
    assert!(app.query("label[for=definition]").is_some());
    assert!(app.query("label[for=execution-input]").is_some());
}

#[wasm_bindgen_test]
async fn an_invalid_definition_is_listed_with_its_line_and_the_graph_stays() {
    let app = Mounted::<sfn_playground::App>::new().await;
    let invalid = "{\n  \"StartAt\": \"Open Case\",\n  \"States\": {\n    \"Open Case\": {\n      \"Type\": \"Pass\",\n      \"Next\": \"Nowhere\"\n    }\n  }\n}";
    type_into(&app, "#definition", invalid).await;
    // Shown at once, validated only after the debounce.
    assert!(text_of(&app, ".definition .json-gutter-numbers").ends_with("\n8\n9"));
    assert!(text_of(&app, "#definition-status").contains("Valid definition"));
    debounce().await;
    let status = text_of(&app, "#definition-status");
    assert!(
        status.contains("the graph shows the last valid definition"),
        "{status}"
    );
    let first = text_of(&app, "#definition-problems li");
    assert!(first.contains("MISSING_TRANSITION_TARGET"), "{first}");
    // "Next": "Nowhere" is on line 6, its value at column 15.
    assert!(first.starts_with("6:15"), "{first}");
    assert!(first.contains("/States/Open Case/Next"), "{first}");
    assert_eq!(app.count(".json-gutter .ln.marked"), 1);
    assert_eq!(app.count(".json-highlight .line.marked"), 1);
    assert_eq!(app.count("svg#state-graph g.state-node"), 7);
    // What was typed is kept.
    let area: HtmlTextAreaElement = app.query("#definition").unwrap().unchecked_into();
    assert_eq!(area.value(), invalid);

    // Clicking the problem puts the caret on it.
    let button: web_sys::HtmlElement = app
        .query("#definition-problems button.diagnostic")
        .unwrap()
        .unchecked_into();
    button.click();
    common::tick().await;
    let caret = area.selection_start().unwrap().unwrap() as usize;
    assert_eq!(caret, invalid.find("\"Nowhere\"").unwrap());
}

#[wasm_bindgen_test]
async fn a_syntax_error_is_located_and_format_refuses_it() {
    let app = Mounted::<sfn_playground::App>::new().await;
    let broken = "{\n  \"StartAt\": \"A\",\n  \"States\": {\n}";
    type_into(&app, "#definition", broken).await;
    debounce().await;
    let first = text_of(&app, "#definition-problems li");
    assert!(first.contains("INVALID_JSON_DESCRIPTION"), "{first}");
    assert!(first.starts_with("4:"), "{first}");
    assert_eq!(app.count("svg#state-graph g.state-node"), 7);

    let format: web_sys::HtmlElement = app.query("#format-definition").unwrap().unchecked_into();
    format.click();
    common::tick().await;
    assert!(text_of(&app, "#definition-format-status").contains("Not formatted"));
    let area: HtmlTextAreaElement = app.query("#definition").unwrap().unchecked_into();
    assert_eq!(area.value(), broken);
}

#[wasm_bindgen_test]
async fn format_pretty_prints_in_key_order() {
    let app = Mounted::<sfn_playground::App>::new().await;
    let compact = r#"{"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}"#;
    type_into(&app, "#definition", compact).await;
    let format: web_sys::HtmlElement = app.query("#format-definition").unwrap().unchecked_into();
    format.click();
    common::tick().await;
    let area: HtmlTextAreaElement = app.query("#definition").unwrap().unchecked_into();
    assert_eq!(
        area.value(),
        "{\n  \"StartAt\": \"B\",\n  \"States\": {\n    \"B\": {\n      \"Type\": \"Pass\",\n      \"End\": true\n    }\n  }\n}"
    );
    common::tick().await;
    assert!(text_of(&app, "#definition-status").contains("Valid definition"));
    assert_eq!(app.count("svg#state-graph g.state-node"), 1);
}

#[wasm_bindgen_test]
async fn text_is_shown_as_text_never_as_html() {
    let app = Mounted::<sfn_playground::App>::new().await;
    type_into(
        &app,
        "#definition",
        "{\"<img src=x onerror=alert(1)>\": \"<b>bold</b>\"}",
    )
    .await;
    assert_eq!(app.count(".json-highlight img"), 0);
    assert_eq!(app.count(".json-highlight b"), 0);
    assert!(text_of(&app, ".definition .json-highlight").contains("<b>bold</b>"));
}

#[wasm_bindgen_test]
async fn the_input_editor_says_where_its_json_breaks() {
    let app = Mounted::<sfn_playground::App>::new().await;
    type_into(
        &app,
        "#execution-input",
        "{\n  \"inputCaseID\": \"001\",\n}",
    )
    .await;
    let status = text_of(&app, "#execution-input-status");
    assert!(
        status.contains("Not valid JSON: trailing comma at line 3, column 1"),
        "{status}"
    );
    assert!(app.query("#execution-input-status").is_some());
    let area: HtmlTextAreaElement = app.query("#execution-input").unwrap().unchecked_into();
    assert_eq!(area.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(area.value(), "{\n  \"inputCaseID\": \"001\",\n}");
}

#[wasm_bindgen_test]
async fn the_bracket_at_the_caret_is_matched() {
    let app = Mounted::<sfn_playground::App>::new().await;
    let area: HtmlTextAreaElement = app.query("#definition").unwrap().unchecked_into();
    area.focus().unwrap();
    area.set_selection_range(0, 0).unwrap();
    area.dispatch_event(&web_sys::Event::new("select").unwrap())
        .unwrap();
    common::tick().await;
    assert_eq!(app.count(".json-places .bracket-match"), 2);
    assert_eq!(text_of(&app, ".json-places .bracket-match"), "{");
}

fn key(area: &HtmlTextAreaElement, key: &str) -> bool {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    area.dispatch_event(&event).unwrap();
    event.default_prevented()
}

#[wasm_bindgen_test]
async fn tab_indents_and_escape_then_tab_leaves() {
    let app = Mounted::<sfn_playground::App>::new().await;
    type_into(&app, "#execution-input", "{}").await;
    let area: HtmlTextAreaElement = app.query("#execution-input").unwrap().unchecked_into();
    area.focus().unwrap();
    area.set_selection_range(1, 1).unwrap();
    assert!(key(&area, "Tab"), "Tab is taken by the editor");
    common::tick().await;
    assert_eq!(area.value(), "{  }");
    // Esc, then Tab: the browser moves focus on (the event is not prevented).
    assert!(!key(&area, "Escape"));
    assert!(!key(&area, "Tab"));
    // Only the next Tab: after it, Tab indents again.
    assert!(key(&area, "Tab"));
}

/// A long text has only the lines in view (and some either side) laid out, highlighted and
/// numbered; scrolling brings the lines there in.
#[wasm_bindgen_test]
async fn only_the_lines_in_view_are_laid_out() {
    let app = Mounted::<sfn_playground::App>::new().await;
    let items: Vec<String> = (0..5_000).map(|i| format!("  {{\"item\": {i}}}")).collect();
    let text = format!("[\n{}\n]", items.join(",\n"));
    type_into(&app, "#execution-input", &text).await;
    common::tick().await;
    let lines = app.count(".execution-input .json-highlight .line");
    assert!(lines > 0 && lines < 300, "{lines} lines laid out");
    let numbers = text_of(&app, ".execution-input .json-gutter-numbers");
    assert!(numbers.starts_with("1\n2\n"), "{numbers}");
    assert!(!numbers.contains("\n2000\n"));
    // Scrolled to line 2,000 (20 px a line): that line is then numbered and shown.
    let area: HtmlTextAreaElement = app.query("#execution-input").unwrap().unchecked_into();
    area.set_scroll_top(1_999 * 20);
    area.dispatch_event(&web_sys::Event::new("scroll").unwrap())
        .unwrap();
    common::tick().await;
    let numbers = text_of(&app, ".execution-input .json-gutter-numbers");
    assert!(numbers.contains("\n2000\n"), "{numbers}");
    assert!(text_of(&app, ".execution-input .json-highlight").contains("{\"item\": 1998}"));
    assert!(app.count(".execution-input .json-highlight .line") < 300);
}

/// Text over 2 MiB is shown by the textarea itself, not highlighted; it is still checked.
#[wasm_bindgen_test]
async fn a_huge_paste_is_shown_plain() {
    let app = Mounted::<sfn_playground::App>::new().await;
    let text = format!("{{\"data\": \"{}\", }}", "x".repeat(3 << 20));
    type_into(&app, "#execution-input", &text).await;
    common::tick().await;
    assert_eq!(app.count("#execution-input.plain"), 1);
    assert_eq!(app.count(".execution-input .json-highlight"), 0);
    assert!(text_of(&app, "#execution-input-status").contains("Not valid JSON"));
    // Back to a small text: highlighted again.
    type_into(&app, "#execution-input", "{\"a\": 1}").await;
    assert_eq!(app.count("#execution-input.plain"), 0);
    assert!(app.count(".execution-input .json-highlight .tok-key") > 0);
}

/// Only the lines in view are coloured, and scrolled into the middle of a YAML block scalar they
/// are its text (a line there that looks like a key is not one), found without the lines above.
#[wasm_bindgen_test]
async fn lines_in_view_inside_a_yaml_block_scalar_are_text() {
    let app = Mounted::<sfn_playground::App>::new().await;
    let body: Vec<String> = (0..3_000)
        .map(|i| format!("      looks: [like, a key {i}"))
        .collect();
    let text = format!(
        "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Comment: |\n{}\n    End: true\n",
        body.join("\n")
    );
    type_into(&app, "#definition", &text).await;
    let layer = ".definition .json-highlight";
    // At the top: the keys before the block, and the block's first lines as text.
    assert_eq!(text_of(&app, &format!("{layer} .tok-key")), "StartAt");
    assert!(text_of(&app, layer).contains("looks: [like, a key 0"));
    // Scrolled to line 2,000 (the tests run without the page's CSS: the window follows the
    // scroll position at 20 px a line, whatever the lines' height here).
    let area: HtmlTextAreaElement = app.query("#definition").unwrap().unchecked_into();
    area.set_scroll_top(2_000 * 20);
    area.dispatch_event(&web_sys::Event::new("scroll").unwrap())
        .unwrap();
    common::tick().await;
    assert!(text_of(&app, layer).contains("looks: [like, a key 1995"));
    let lines = app.count(&format!("{layer} .line"));
    assert!(lines > 0 && lines < 300, "{lines} lines laid out");
    assert_eq!(
        app.count(&format!("{layer} .tok-string")),
        lines,
        "each of the block's lines is one string"
    );
    assert_eq!(
        app.count(&format!("{layer} .tok-key")),
        0,
        "no keys in the block"
    );
    assert_eq!(app.count(&format!("{layer} .tok-punct")), 0, "nor brackets");
}
