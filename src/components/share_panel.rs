//! "Share": a link that opens exactly this view (definition, input, seed, outcome, selected
//! state, workshop step, and the run replayed to the event shown) on whatever host serves the
//! page.

use crate::browser;
use crate::share;
use crate::state::Playground;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<Playground>,
}

/// What Share made: a link, or why none (a link that would not open).
#[derive(Clone, PartialEq)]
enum Made {
    Link(String),
    TooLarge(String),
}

#[function_component(SharePanel)]
pub fn share_panel(Props { state }: &Props) -> Html {
    let made = use_state(|| None::<Made>);
    let copied = use_state(|| None::<bool>);
    let onshare = {
        let (state, made, copied) = (state.clone(), made.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            let snapshot = state.snapshot();
            let (made, copied) = (made.clone(), copied.clone());
            // The browser deflates the link (a promise): the popover opens when it is ready,
            // within the click's user activation, so the clipboard still takes it.
            yew::platform::spawn_local(async move {
                match share::encode_async(&snapshot).await {
                    Ok(fragment) => {
                        let url = format!("{}#{fragment}", browser::base_url());
                        copied.set(Some(browser::copy(&url)));
                        made.set(Some(Made::Link(url)));
                    }
                    // A link the playground would refuse to open is not made (nor copied).
                    Err(why) => {
                        copied.set(None);
                        made.set(Some(Made::TooLarge(why)));
                    }
                }
            });
        })
    };
    let onclose = {
        let made = made.clone();
        Callback::from(move |_: MouseEvent| made.set(None))
    };
    let body = match (*made).clone() {
        None => {
            return html! {
                <div class="share">
                    <button id="share" type="button" class="secondary on-dark" onclick={onshare}
                        title="Make a link that opens this playground as it is now">{ "Share" }</button>
                </div>
            }
        }
        Some(Made::Link(url)) => html! {
            <>
                <label for="share-link">{ format!("Link ({} characters)", url.len()) }</label>
                <input id="share-link" type="text" readonly=true value={url.clone()}
                    onfocus={Callback::from(|e: FocusEvent| {
                        if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() { input.select(); }
                    })} />
                <p class="hint" role="status" id="share-status">
                    { match *copied {
                        Some(true) => "Copied to the clipboard. Anyone who opens it sees this view; nothing is sent anywhere.",
                        _ => "Select the link and copy it. Anyone who opens it sees this view; nothing is sent anywhere.",
                    } }
                </p>
            </>
        },
        Some(Made::TooLarge(why)) => {
            let state = state.clone();
            let download = Callback::from(move |_: MouseEvent| {
                crate::saved::download_work(&state);
            });
            html! {
                <>
                    <p class="hint warning" role="status" id="share-status">
                        { format!("{why} Send your work as a file instead: it holds the definition, the input and the mocks.") }
                    </p>
                    <button type="button" id="share-download" class="primary" onclick={download}>{ "Download my work" }</button>
                    { " " }
                </>
            }
        }
    };
    html! {
        <div class="share">
            <button id="share" type="button" class="secondary on-dark" onclick={onshare}
                title="Make a link that opens this playground as it is now">{ "Share" }</button>
            <div class="share-popover" role="dialog" aria-labelledby="share-heading">
                <h2 id="share-heading">{ "Share this playground" }</h2>
                { body }
                <button type="button" class="secondary" onclick={onclose}>{ "Close" }</button>
            </div>
        </div>
    }
}
