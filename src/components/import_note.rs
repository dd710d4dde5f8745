//! Above the definition editor, after a CloudFormation or SAM template was pasted (or opened):
//! which state machine the definition came from, how the template gave it, each value filled
//! in with an example, a picker when the template has several machines, and Undo. After Undo,
//! the template stays as pasted, with a button to import it again.

use crate::state::{Action, Playground};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<Playground>,
}

#[function_component(ImportNote)]
pub fn import_note(Props { state }: &Props) -> Html {
    if let Some(kept) = &state.kept {
        let again = {
            let state = state.dispatcher();
            Callback::from(move |_: MouseEvent| state.dispatch(Action::ImportAgain))
        };
        return html! {
            <div id="import-note" class="import-note" role="status">
                <p>{ "Import undone: the template is as you pasted it." }</p>
                <button type="button" id="import-again" class="secondary" onclick={again}>
                    { format!("Import {} again", kept.extracted.machine) }
                </button>
            </div>
        };
    }
    let Some(template) = &state.template else {
        return html! {};
    };
    let e = &template.extracted;
    let format = if template.yaml { "YAML" } else { "JSON" };
    let undo = {
        let state = state.dispatcher();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::UndoImport))
    };
    let pick = {
        let state = state.dispatcher();
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            state.dispatch(Action::PickStateMachine(select.value()));
        })
    };
    let picker = (e.machines.len() > 1).then(|| {
        html! {
            <label class="import-picker">
                { format!("The template has {} state machines: ", e.machines.len()) }
                <select id="import-machine" onchange={pick}>
                    { for e.machines.iter().map(|m| html! {
                        <option value={m.clone()} selected={*m == e.machine}>{ m.clone() }</option>
                    }) }
                </select>
            </label>
        }
    });
    let filled = if e.filled.is_empty() {
        html! { <p>{ "Nothing was filled in: the definition is as the template wrote it." }</p> }
    } else {
        html! {
            <>
                <p>{ "Filled in with example values (the real ones exist once the stack is deployed):" }</p>
                <ul class="import-filled">
                    { for e.filled.iter().map(|(what, value)| html! {
                        <li><code>{ what.clone() }</code>{ " → " }<code>{ value.clone() }</code></li>
                    }) }
                </ul>
            </>
        }
    };
    html! {
        <div id="import-note" class="import-note" role="status">
            <p>
                <strong>{ "Imported from a CloudFormation template" }</strong>
                { format!(" ({format}): the state machine {} ({}), from its {}.", e.machine, e.resource_type, e.property) }
                if e.express { { " An Express state machine: checked as one." } }
            </p>
            { for picker }
            { filled }
            <button type="button" id="undo-import" class="secondary" onclick={undo}>
                { "Undo import" }
            </button>
        </div>
    }
}
