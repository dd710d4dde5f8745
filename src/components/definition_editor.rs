//! The state machine definition, editable, with every problem listed where it is.

use crate::state::{Action, Playground};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<Playground>,
}

#[function_component(DefinitionEditor)]
pub fn definition_editor(Props { state }: &Props) -> Html {
    let on_input = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            state.dispatch(Action::EditDefinition(area.value()));
        })
    };
    let diagnostics = &state.diagnostics;
    html! {
        <section class="panel definition" aria-labelledby="definition-heading">
            <h2 id="definition-heading">{ "Definition" }</h2>
            <textarea id="definition" rows="18" spellcheck="false" wrap="off" value={state.definition.clone()}
                oninput={on_input} aria-invalid={(!diagnostics.is_empty()).to_string()}
                aria-describedby="definition-problems" />
            <div id="definition-problems" aria-live="polite">
                if diagnostics.is_empty() {
                    <p class="ok-text">{ "Valid definition." }</p>
                } else {
                    <p class="error-text">{ format!("{} problem(s); the graph shows the last valid definition.", diagnostics.len()) }</p>
                    <ul class="diagnostics">
                        { for diagnostics.iter().map(|d| html! {
                            <li>
                                <code class="code">{ d.code.as_str() }</code>{ " " }
                                { &d.message }{ " " }
                                <span class="location">{ format!("at {}", d.location) }</span>
                            </li>
                        }) }
                    </ul>
                }
            </div>
        </section>
    }
}
