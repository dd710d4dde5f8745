//! "Deploy it on AWS": the CloudFormation templates that deploy the current definition for
//! real (the tutorial's two stacks, or one), each downloadable and copyable, all of them as a
//! zip, and the AWS CLI commands to deploy, check and clean up.

use crate::browser;
use crate::state::Playground;
use std::rc::Rc;
use yew::prelude::*;

/// What the export is of (definition, input, one stack, mocks), and what it gave.
struct Done {
    wanted: (String, String, bool, Option<(String, String)>),
    exported: Result<(export::Export, Rc<Vec<u8>>), Vec<asl::Diagnostic>>,
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<Playground>,
}

#[function_component(ExportPanel)]
pub fn export_panel(Props { state }: &Props) -> Html {
    let single_stack = use_state(|| false);
    let status = use_state(String::new);
    // Exported (and zipped) again only when the definition, the input or the choice changes,
    // and then only once the page has painted: for a 2,000-state definition the export (its
    // own parse of the definition, the templates, the zip) took a third of the time to the
    // graph's first frame. Until it is done the panel says so (never an export of the
    // definition before).
    let wanted = (
        state.definition_json().to_string(),
        state.input.clone(),
        *single_stack,
        // The mocks the runs use, when there are some: written beside the templates.
        (!state.mocks.trim().is_empty())
            .then(|| {
                state
                    .mock_case
                    .as_ref()
                    .map(|c| (state.mocks.clone(), c.label()))
            })
            .flatten(),
    );
    let done = use_state(|| None::<Rc<Done>>);
    {
        let done = done.clone();
        use_effect_with(wanted.clone(), move |wanted| {
            let wanted = wanted.clone();
            let pending = browser::after_paint(move || {
                let (definition, input, single, mocks) = &wanted;
                let options = export::Options {
                    single_stack: *single,
                    input: Some(input.clone()),
                    mocks: mocks.clone(),
                    ..Default::default()
                };
                let exported = export::export(definition, &options).map(|export| {
                    let archive = crate::archive::zip(
                        export
                            .files
                            .iter()
                            .map(|f| (f.name.as_str(), f.contents.as_bytes())),
                    );
                    (export, Rc::new(archive))
                });
                done.set(Some(Rc::new(Done { wanted, exported })));
            });
            move || drop(pending)
        });
    }
    let exported = done.as_ref().filter(|d| d.wanted == wanted);
    let choose = |single: bool| {
        let single_stack = single_stack.clone();
        Callback::from(move |_: Event| single_stack.set(single))
    };
    let body = match exported.map(|d| &d.exported) {
        None => html! {
            <p class="muted" id="export-preparing">{ "Preparing the templates for this definition…" }</p>
        },
        Some(Err(problems)) => html! {
            <p class="error-text">{ format!("Fix the definition's {} problem(s) to export it.", problems.len()) }</p>
        },
        Some(Ok((export, archive))) => {
            let copy = |what: String, text: String| {
                let status = status.clone();
                Callback::from(move |_: MouseEvent| {
                    status.set(if browser::copy(&text) {
                        format!("Copied {what}.")
                    } else {
                        format!("Copying is not available here: select {what} and copy it.")
                    })
                })
            };
            let download = |name: String, bytes: Rc<Vec<u8>>, mime: &'static str| {
                let status = status.clone();
                Callback::from(move |_: MouseEvent| {
                    status.set(if browser::download(&name, &bytes, mime) {
                        format!("Downloaded {name}.")
                    } else {
                        format!("Could not download {name} here.")
                    })
                })
            };
            html! {
                <>
                    <ul class="export-files" id="export-files">
                        { for export.files.iter().map(|f| html! {
                            <li data-file={f.name.clone()}>
                                <code>{ &f.name }</code>
                                <button type="button" class="secondary" aria-label={format!("Download {}", f.name)}
                                    onclick={download(f.name.clone(), Rc::new(f.contents.clone().into_bytes()), "text/plain")}>{ "Download" }</button>
                                <button type="button" class="secondary" aria-label={format!("Copy {}", f.name)}
                                    onclick={copy(f.name.clone(), f.contents.clone())}>{ "Copy" }</button>
                            </li>
                        }) }
                    </ul>
                    <button type="button" id="download-all" class="primary"
                        onclick={download("call-center.zip".into(), archive.clone(), "application/zip")}>{ "Download all (zip)" }</button>
                    { for export.warnings.iter().map(|w| html! { <p class="hint warning">{ w }</p> }) }
                    <h3>{ "Deploy, check and clean up" }</h3>
                    <pre id="export-commands" tabindex="0" aria-label="AWS CLI commands">{ &export.commands }</pre>
                    <button type="button" class="secondary" onclick={copy("the commands".into(), export.commands.clone())}>{ "Copy the commands" }</button>
                </>
            }
        }
    };
    html! {
        <section class="panel export" aria-labelledby="export-heading" id="export">
            <h2 id="export-heading">{ "Deploy it on AWS" }</h2>
            <p class="muted">{ "CloudFormation templates for this definition, with Lambda functions that do exactly what the playground simulates." }</p>
            <fieldset class="export-mode">
                <legend>{ "Stacks" }</legend>
                <label><input type="radio" name="stacks" id="two-stacks" checked={!*single_stack} onchange={choose(false)} />{ " Two, as in the tutorial" }</label>
                <label><input type="radio" name="stacks" id="single-stack" checked={*single_stack} onchange={choose(true)} />{ " One" }</label>
            </fieldset>
            { body }
            <p class="hint" role="status" id="export-status">{ (*status).clone() }</p>
        </section>
    }
}
