//! The execution's input: the tutorial's `inputCaseID`, the raw JSON behind it, the seed and
//! how WorkOnCase decides.

use super::json_editor::JsonEditor;
use crate::editor::json_syntax::check_json;
use crate::state::{Action, Playground};
use callcenter::WorkOnCase;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<Playground>,
}

#[function_component(ExecutionInput)]
pub fn execution_input(Props { state }: &Props) -> Html {
    let on_case_id = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            state.dispatch(Action::SetCaseId(input.value()));
        })
    };
    // The same callback every render, so the editor (a large input is a large document) is
    // not rendered again while Run to end goes on.
    let on_input = use_callback(state.dispatcher(), |text: String, state| {
        state.dispatch(Action::EditInput(text))
    });
    let on_seed = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(seed) = input.value().trim().parse::<u64>() {
                state.dispatch(Action::SetSeed(seed));
            }
        })
    };
    let on_new_seed = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::SetSeed(new_seed(state.seed))))
    };
    let on_outcome = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let mode = match select.value().as_str() {
                "resolved" => WorkOnCase::Resolved,
                "unresolved" => WorkOnCase::Unresolved,
                _ => WorkOnCase::Random,
            };
            state.dispatch(Action::SetWorkOnCase(mode));
        })
    };
    let outcome = match state.work_on_case {
        WorkOnCase::Random => "random",
        WorkOnCase::Resolved => "resolved",
        WorkOnCase::Unresolved => "unresolved",
    };
    // Read once per text, not once per render: the panel is rendered on every turn of Run to
    // end, and reading a pasted 5 MB input takes tens of milliseconds (twice: its problems,
    // its inputCaseID).
    let (input_error, case_id) = {
        let read = state.clone();
        let read = use_memo(state.input.clone(), move |_| {
            (check_json(&read.input).err(), read.case_id())
        });
        (*read).clone()
    };
    let marks: Vec<(usize, String)> = input_error
        .iter()
        .map(|e| (e.line, format!("Not valid JSON: {}", e.reason)))
        .collect();
    html! {
        <section class="panel execution-input" aria-labelledby="input-heading">
            <h2 id="input-heading">{ "Execution input" }</h2>
            <div class="field-row">
                <label for="case-id">{ "inputCaseID" }</label>
                <input id="case-id" type="text" value={case_id.unwrap_or_default()}
                    oninput={on_case_id} autocomplete="off" spellcheck="false" />
            </div>
            <JsonEditor id="execution-input" label="Input (JSON)" value={state.input.clone()}
                on_change={on_input} marks={marks} rows={5} describedby="execution-input-status" />
            <p id="execution-input-status" class="hint json-status" role="status">
                if let Some(e) = &input_error {
                    <span class="error-text">{ format!("Not valid JSON: {e}.") }</span>
                }
            </p>
            <div class="field-row">
                <label for="work-outcome">{ "WorkOnCase" }</label>
                <select id="work-outcome" onchange={on_outcome}>
                    <option value="random" selected={outcome == "random"}>{ "Random (seeded)" }</option>
                    <option value="resolved" selected={outcome == "resolved"}>{ "Force resolved (1)" }</option>
                    <option value="unresolved" selected={outcome == "unresolved"}>{ "Force unresolved (0)" }</option>
                </select>
            </div>
            <div class="field-row">
                <label for="seed">{ "Seed" }</label>
                <input id="seed" type="number" min="0" value={state.seed.to_string()} onchange={on_seed} />
                <button type="button" class="secondary" onclick={on_new_seed} title="Pick another seed">{ "New seed" }</button>
            </div>
            <p class="hint">{ "The seed decides WorkOnCase's Math.random() when the outcome is random: the same seed replays the same run." }</p>
        </section>
    }
}

/// The next seed to offer: a scrambled step from the current one, so it is reproducible too.
fn new_seed(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)) % 1_000_000
}
