//! The expression box of Step details: a JSONata expression (or AWS's JSONPath) evaluated as
//! the person types, against what the selected state's expressions read: `$states.input`,
//! `$states.result` once the state has one, `$states.context`, and the variables in scope.
//! Errors are shown as text, with their code and position; nothing here can panic.

use crate::view::{pretty, Variables};
use asl::query::context::{Context, Env};
use gloo_timers::callback::Timeout;
use serde_json::Value;
use std::sync::Arc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// How long typing must pause before the expression is evaluated, in milliseconds.
const DEBOUNCE_MS: u32 = 120;

/// What an expression reads.
#[derive(Properties, PartialEq, Clone)]
pub struct Props {
    /// The state's input (`$states.input`; `$` in JSONPath), once it has been entered.
    pub input: Option<asl::Payload>,
    /// The state's result (`$states.result`), once known.
    pub result: Option<asl::Payload>,
    /// `$states.context` (`$$` in JSONPath).
    pub context: Arc<Value>,
    pub variables: Variables,
    /// When the state was entered (`$now()`, `$millis()`).
    pub now: i64,
}

/// What an expression gave.
#[derive(Debug, Clone, PartialEq)]
pub enum Evaluated {
    Value(Value),
    Undefined,
    /// `CODE: message`, and where, as the person reads it.
    Error(String),
}

/// The box evaluates as the person types, on the page's own thread: a tenth of the work a
/// run's expression may do (runs are in the worker, where Stop can end them), so that no
/// expression typed here holds the page for more than a moment.
fn preview_limits() -> asl::jsonata::Limits {
    asl::jsonata::Limits {
        max_steps: 1_000_000,
        max_range_items: 1_000_000,
        ..Default::default()
    }
}
const PREVIEW_NOTE: &str = " The expression box stops an expression after 1,000,000 steps or range items; a run allows ten times as many.";

/// Evaluates `text` as JSONata (or AWS's JSONPath: a path or an intrinsic call).
pub fn evaluate(text: &str, jsonpath: bool, props: &Props) -> Evaluated {
    let null = Value::Null;
    let input = props.input.as_deref().unwrap_or(&null);
    let context = Context::Given(props.context.clone());
    if jsonpath {
        let expression = match asl::expression::Expression::parse(text) {
            Ok(e) => e,
            Err(why) => {
                return Evaluated::Error(format!(
                    "States.Runtime: '{text}' is not a valid JSONPath or intrinsic function call: {why}"
                ))
            }
        };
        let env = Env {
            context,
            variables: props.variables.clone(),
        };
        let mut state = 0u64;
        let mut random = move || {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            ((state >> 11) as f64) / (1u64 << 53) as f64
        };
        let mut scope = asl::expression::Scope {
            data: input,
            env: &env,
            random: &mut random,
        };
        return match expression.evaluate("expression", &mut scope) {
            Ok(v) => Evaluated::Value(v),
            Err((error, cause)) => Evaluated::Error(format!("{error}: {cause}")),
        };
    }
    let scope = asl::jsonata::JsonataScope {
        input,
        result: props.result.as_deref(),
        error_output: None,
        context: &context,
        variables: &props.variables,
        now: props.now,
        seed: 0,
        converted: Default::default(),
    };
    match asl::jsonata::evaluate_expression_within(text, &scope, preview_limits()) {
        Ok(Some(v)) => Evaluated::Value(v),
        Ok(None) => Evaluated::Undefined,
        Err(e) => {
            let mut message = match e.position {
                Some(p) => format!("{} (at position {p})", e.message),
                None => e.message,
            };
            if e.code == "U1001" && message.contains("timeout") || message.contains("in all") {
                message.push_str(PREVIEW_NOTE);
            }
            Evaluated::Error(message)
        }
    }
}

#[function_component(ExpressionBox)]
pub fn expression_box(props: &Props) -> Html {
    let text = use_state(|| "$states.input".to_string());
    // What was evaluated: the text once typing pauses.
    let settled = use_state(|| (*text).clone());
    let jsonpath = use_state(|| false);
    let timer = use_mut_ref(|| None::<Timeout>);
    let oninput = {
        let text = text.clone();
        let settled = settled.clone();
        Callback::from(move |e: InputEvent| {
            let Some(el) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            let value = el.value();
            text.set(value.clone());
            let settled = settled.clone();
            // Dropping the previous timeout cancels it.
            *timer.borrow_mut() = Some(Timeout::new(DEBOUNCE_MS, move || settled.set(value)));
        })
    };
    let onchange = {
        let jsonpath = jsonpath.clone();
        Callback::from(move |e: Event| {
            if let Some(el) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
            {
                jsonpath.set(el.value() == "jsonpath");
            }
        })
    };
    // Evaluated again only when the text, the language or what it reads changes.
    let outcome = use_memo(
        ((*settled).clone(), *jsonpath, props.clone()),
        |(text, jsonpath, props)| {
            (!text.trim().is_empty()).then(|| evaluate(text, *jsonpath, props))
        },
    );
    let placeholder = if *jsonpath {
        "$.Case"
    } else {
        "$states.input.Case"
    };
    html! {
        <div class="expression-box">
            <h3 id="expression-heading">{ "Try an expression" }</h3>
            <div class="expression-row">
                <select id="expression-language" aria-label="Query language" {onchange}>
                    <option value="jsonata" selected={!*jsonpath}>{ "JSONata" }</option>
                    <option value="jsonpath" selected={*jsonpath}>{ "JSONPath" }</option>
                </select>
                <input id="expression" type="text" spellcheck="false" autocomplete="off"
                    aria-labelledby="expression-heading" aria-describedby="expression-help"
                    {placeholder} value={(*text).clone()} {oninput} />
            </div>
            <p id="expression-help" class="muted">
                { if *jsonpath {
                    "A path ($.x, $$.State.Name, $name) or an intrinsic call (States.Format(…)), on this state's input."
                } else {
                    "Reads $states.input, $states.result (once the state has one), $states.context and the variables in scope."
                } }
            </p>
            { match (*outcome).clone() {
                None => html! { <pre id="expression-result" class="muted">{ "–" }</pre> },
                Some(Evaluated::Value(v)) => html! { <pre id="expression-result">{ pretty(&v) }</pre> },
                Some(Evaluated::Undefined) => html! { <pre id="expression-result" class="muted">{ "undefined" }</pre> },
                Some(Evaluated::Error(message)) => html! { <p id="expression-error" class="expression-error">{ message }</p> },
            } }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn props() -> Props {
        let mut vars = serde_json::Map::new();
        vars.insert("caseId".into(), json!("001"));
        Props {
            input: Some(Arc::new(json!({"Case": "001", "n": [1, 2, 3]}))),
            result: Some(Arc::new(json!({"Status": 1}))),
            context: Arc::new(json!({"State": {"Name": "Work on Case"}})),
            variables: Arc::new(vars),
            now: 0,
        }
    }

    #[test]
    fn jsonata_reads_states_and_variables() {
        let p = props();
        assert_eq!(
            evaluate("$states.input.Case = $caseId", false, &p),
            Evaluated::Value(json!(true))
        );
        assert_eq!(
            evaluate("$sum($states.input.n) + $states.result.Status", false, &p),
            Evaluated::Value(json!(7))
        );
        assert_eq!(
            evaluate("$states.context.State.Name", false, &p),
            Evaluated::Value(json!("Work on Case"))
        );
        assert_eq!(evaluate("$nothing", false, &p), Evaluated::Undefined);
    }

    #[test]
    fn errors_are_text_with_code_and_position() {
        let p = props();
        let Evaluated::Error(e) = evaluate("$states.input.Case + 1", false, &p) else {
            panic!("expected an error");
        };
        assert!(e.starts_with("T2001: "), "{e}");
        assert!(e.contains("at position"), "{e}");
        let Evaluated::Error(e) = evaluate("(", false, &p) else {
            panic!("expected an error");
        };
        assert!(e.starts_with('S'), "{e}");
    }

    #[test]
    fn the_box_allows_a_tenth_of_a_runs_work_and_says_so() {
        let p = props();
        let started = std::time::Instant::now();
        for heavy in [
            "$count([1..2000000])",
            "($a := [1..1000]; $count($a.($a).($a)))",
        ] {
            let Evaluated::Error(e) = evaluate(heavy, false, &p) else {
                panic!("{heavy}: expected an error");
            };
            assert!(e.ends_with(PREVIEW_NOTE), "{heavy}: {e}");
        }
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
        assert_eq!(
            evaluate("$count([1..1000000])", false, &p),
            Evaluated::Value(json!(1_000_000))
        );
    }

    #[test]
    fn jsonpath_reads_input_context_and_variables() {
        let p = props();
        assert_eq!(evaluate("$.Case", true, &p), Evaluated::Value(json!("001")));
        assert_eq!(
            evaluate("$caseId", true, &p),
            Evaluated::Value(json!("001"))
        );
        assert_eq!(
            evaluate("$$.State.Name", true, &p),
            Evaluated::Value(json!("Work on Case"))
        );
        assert!(matches!(evaluate("nope(", true, &p), Evaluated::Error(_)));
    }
}
