//! The state machine definition, editable, with every problem listed where it is.
//!
//! What is typed shows at once; it is validated (and the graph redrawn) 300 ms after typing
//! stops. Until then, and while the definition has problems, the graph keeps showing the last
//! valid definition. The text may be JSON or YAML ("JSON"/"YAML" shows it in either), and a
//! CloudFormation or SAM template pasted or opened here is imported (see `crate::imported`).

use super::import_note::ImportNote;
use super::json_editor::{reveal, JsonEditor, Refused};
use crate::imported;
use crate::state::{Action, Playground};
use asl::Diagnostic;
use gloo_timers::callback::Timeout;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// How long after the last keystroke the definition is validated.
pub const DEBOUNCE_MS: u32 = 300;
/// The editor's id (the textarea's).
const EDITOR_ID: &str = "definition";
/// A message is shown up to its first line and this many characters (a syntax error's may
/// quote the whole text); the rest is in its tooltip.
const MESSAGE_CHARS: usize = 240;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<Playground>,
}

/// What the last press of Format, JSON or YAML did.
#[derive(Clone, PartialEq)]
enum Formatted {
    Done(&'static str),
    Refused(String),
}

#[function_component(DefinitionEditor)]
pub fn definition_editor(Props { state }: &Props) -> Html {
    // The text as typed; `state.definition` catches up after the debounce.
    let text = use_state(|| AttrValue::from(state.definition.clone()));
    // The last text given to (or taken from) the state: never sent twice, never taken back.
    let sent = use_mut_ref(|| state.definition.clone());
    let pending = use_mut_ref(|| None::<Timeout>);
    let formatted = use_state_eq(|| None::<Formatted>);

    // A definition replaced from elsewhere (an example chosen, say) replaces the text.
    {
        let (text, sent, pending) = (text.clone(), sent.clone(), pending.clone());
        use_effect_with(state.definition.clone(), move |definition| {
            if *definition != *sent.borrow() {
                pending.borrow_mut().take();
                crate::saved::set_typed_definition(None);
                *sent.borrow_mut() = definition.clone();
                text.set(AttrValue::from(definition.clone()));
            }
        });
    }

    // An imported definition is shown from its first line (the caret was where the paste ended).
    use_effect_with(state.template.clone(), |template| {
        let shown = template
            .is_some()
            .then(|| Timeout::new(0, || reveal(EDITOR_ID, 1, 1)));
        move || drop(shown)
    });

    let send = {
        let (state, sent) = (state.dispatcher(), sent.clone());
        Rc::new(move |value: String| send_once(&sent, &state, value))
    };
    // The same callback every render (it only sets state and dispatches), so the editor is not
    // rendered again while Run to end goes on.
    let on_change = {
        let (pending, sent) = (pending.clone(), sent.clone());
        use_callback(
            (text.setter(), formatted.setter(), state.dispatcher()),
            move |value: String, (text, formatted, state)| {
                text.set(AttrValue::from(value.clone()));
                formatted.set(None);
                // Leaving the page within the debounce saves it all the same.
                crate::saved::set_typed_definition(Some(value.clone()));
                let (sent, state) = (sent.clone(), state.clone());
                // Replacing the timeout drops (cancels) the one before.
                *pending.borrow_mut() = Some(Timeout::new(DEBOUNCE_MS, move || {
                    send_once(&sent, &state, value)
                }));
            },
        )
    };
    // Leaving the editor sends what was typed at once: a Start clicked within the debounce
    // runs the definition as typed, and no late edit resets the run it started.
    let on_leave = {
        let (pending, sent) = (pending.clone(), sent.clone());
        use_callback(
            ((*text).clone(), state.dispatcher()),
            move |(), (typed, state)| {
                if pending.borrow_mut().take().is_some() {
                    send_once(&sent, state, typed.to_string());
                }
            },
        )
    };
    let is_json = import::looks_like_json(&text);
    // Format keeps the text's format; JSON and YAML show the definition in that one.
    let convert = |to_yaml: bool, done: &'static str, refused: &'static str| {
        let (text, pending, formatted, send) = (
            text.clone(),
            pending.clone(),
            formatted.clone(),
            send.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let converted = if to_yaml {
                imported::as_yaml(&text)
            } else {
                imported::as_json(&text)
            };
            match converted {
                Ok(shown) => {
                    pending.borrow_mut().take();
                    crate::saved::set_typed_definition(Some(shown.clone()));
                    text.set(AttrValue::from(shown.clone()));
                    send(shown);
                    formatted.set(Some(Formatted::Done(done)));
                }
                Err(e) => formatted.set(Some(Formatted::Refused(format!(
                    "{refused}: {e}. Nothing was changed."
                )))),
            }
        })
    };
    let on_format = if is_json {
        convert(
            false,
            "Formatted: two spaces, keys in their order.",
            "Not formatted",
        )
    } else {
        convert(
            true,
            "Formatted as YAML: two spaces, keys in their order (comments are not kept).",
            "Not formatted",
        )
    };
    let on_json = convert(false, "Shown as JSON.", "Not shown as JSON");
    let on_yaml = convert(
        true,
        "Shown as YAML, as Workflow Studio writes it.",
        "Not shown as YAML",
    );
    // A file too big for the editor is refused before it is read, the text left as it was.
    let file_refused = use_state(|| None::<Refused>);
    let on_open = {
        let (state, file_refused, before) = (state.dispatcher(), file_refused.clone(), text.len());
        Callback::from(move |event: Event| {
            let (state, file_refused) = (state.clone(), file_refused.clone());
            crate::browser::read_chosen_file(&event, before, move |text| match text {
                Ok(text) => state.dispatch(Action::EditDefinition(text)),
                Err(why) => file_refused.set(Some(Refused::new(why))),
            });
        })
    };

    // Each problem's place in the text it was found in.
    let located: Rc<Vec<Option<(usize, usize)>>> = use_memo(
        (state.definition.clone(), state.diagnostics.clone()),
        |(definition, diagnostics)| {
            diagnostics
                .iter()
                .map(|d| imported::locate(definition, d))
                .collect()
        },
    );
    let diagnostics = &state.diagnostics;
    let marks: Vec<(usize, String)> = diagnostics
        .iter()
        .zip(located.iter())
        .filter_map(|(d, at)| {
            at.map(|(line, _)| (line, format!("{}: {}", d.code.as_str(), short_message(d))))
        })
        .collect();
    // Problems placed inside a line (a JSONata expression's token): boxed where they are.
    let spots: Vec<(usize, usize)> = diagnostics
        .iter()
        .zip(located.iter())
        .filter(|(d, _)| d.within.is_some())
        .filter_map(|(_, at)| *at)
        .collect();
    let count = diagnostics.len();
    let status = if count == 0 {
        html! { <p class="ok-text">{ "Valid definition." }</p> }
    } else {
        let problems = if count == 1 {
            "1 problem".to_string()
        } else {
            format!("{count} problems")
        };
        html! {
            <p class="error-text">
                { problems }{ " — the graph shows the last valid definition." }
            </p>
        }
    };
    let items = diagnostics
        .iter()
        .zip(located.iter())
        .map(|(d, at)| diagnostic_item(d, *at));
    html! {
        <section class="panel definition" aria-labelledby="definition-heading">
            <div class="editor-heading">
                <h2 id="definition-heading">{ "Definition" }</h2>
                <div class="editor-tools">
                    <div class="show-as segmented" role="group" aria-label="Show the definition as">
                        <button type="button" id="show-json" class="secondary" aria-pressed={is_json.to_string()}
                            onclick={on_json} aria-describedby="definition-format-status">{ "JSON" }</button>
                        <button type="button" id="show-yaml" class="secondary" aria-pressed={(!is_json).to_string()}
                            onclick={on_yaml} aria-describedby="definition-format-status">{ "YAML" }</button>
                    </div>
                    <button type="button" id="format-definition" class="secondary" onclick={on_format}
                        aria-describedby="definition-format-status">{ "Format" }</button>
                    <label class="button secondary open-file" title="A definition (JSON or YAML), or a CloudFormation or SAM template">
                        { "Open file…" }
                        <input type="file" id="definition-file" accept=".json,.yaml,.yml,.template,.txt"
                            onchange={on_open} />
                    </label>
                </div>
            </div>
            <ImportNote state={state.clone()} />
            <JsonEditor id={EDITOR_ID} label={if is_json { "Amazon States Language (JSON)" } else { "Amazon States Language (YAML), or a CloudFormation template" }}
                value={(*text).clone()} on_change={on_change} on_leave={on_leave} marks={marks} spots={spots} rows={18} yaml={!is_json}
                describedby="definition-status" refused={(*file_refused).clone()} />
            <p id="definition-format-status" class="hint format-status" role="status">
                { match &*formatted {
                    Some(Formatted::Done(what)) => html! { { *what } },
                    Some(Formatted::Refused(why)) => html! { <span class="error-text">{ why }</span> },
                    None => html! {},
                } }
            </p>
            <div id="definition-status" class="definition-status" role="status" aria-live="polite">
                { status }
            </div>
            if count > 0 {
                <ul id="definition-problems" class="diagnostics" aria-label="Problems in the definition">
                    { for items }
                </ul>
            }
        </section>
    }
}

/// One problem: where it is (line:column, then its JSON pointer), its code and message. With a
/// place in the text, it is a button that moves the caret there.
fn diagnostic_item(d: &Diagnostic, at: Option<(usize, usize)>) -> Html {
    let full = d.message.clone();
    let message = short_message(d);
    let pointer = d
        .location
        .starts_with('/')
        .then(|| html! { <span class="location">{ format!("at {}", d.location) }</span> });
    let body = html! {
        <>
            <code class="code">{ d.code.as_str() }</code>{ " " }
            <span class="message">{ message.clone() }</span>{ " " }
            { pointer }
        </>
    };
    match at {
        Some((line, column)) => {
            let onclick = Callback::from(move |_: MouseEvent| reveal(EDITOR_ID, line, column));
            html! {
                <li>
                    <button type="button" class="diagnostic" onclick={onclick} title={full}
                        aria-label={format!("Line {line}, column {column}: {}: {message}", d.code.as_str())}>
                        <span class="line-col">{ format!("{line}:{column}") }</span>{ " " }
                        { body }
                    </button>
                </li>
            }
        }
        None => html! { <li class="diagnostic" title={full}>{ body }</li> },
    }
}

/// A diagnostic's message up to its first line break and [`MESSAGE_CHARS`] characters.
fn short_message(d: &Diagnostic) -> String {
    let first = d.message.lines().next().unwrap_or_default();
    let mut message: String = first.chars().take(MESSAGE_CHARS).collect();
    if message.len() < d.message.trim_end().len() {
        message.push('…');
    }
    message
}

/// Gives the state `value` unless it was the last text given (or taken from it).
fn send_once(sent: &RefCell<String>, state: &UseReducerDispatcher<Playground>, value: String) {
    if *sent.borrow() != value {
        *sent.borrow_mut() = value.clone();
        state.dispatch(Action::EditDefinition(value));
    }
}
