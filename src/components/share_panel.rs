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

#[function_component(SharePanel)]
pub fn share_panel(Props { state }: &Props) -> Html {
    let link = use_state(|| None::<String>);
    let copied = use_state(|| None::<bool>);
    let onshare = {
        let (state, link, copied) = (state.clone(), link.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            let snapshot = state.snapshot();
            let (link, copied) = (link.clone(), copied.clone());
            // The browser deflates the link (a promise): the popover opens when it is ready,
            // within the click's user activation, so the clipboard still takes it.
            yew::platform::spawn_local(async move {
                let url = format!(
                    "{}#{}",
                    browser::base_url(),
                    share::encode_async(&snapshot).await
                );
                copied.set(Some(browser::copy(&url)));
                link.set(Some(url));
            });
        })
    };
    let onclose = {
        let link = link.clone();
        Callback::from(move |_: MouseEvent| link.set(None))
    };
    html! {
        <div class="share">
            <button id="share" type="button" class="secondary on-dark" onclick={onshare}
                title="Make a link that opens this playground as it is now">{ "Share" }</button>
            if let Some(url) = (*link).clone() {
                <div class="share-popover" role="dialog" aria-labelledby="share-heading">
                    <h2 id="share-heading">{ "Share this playground" }</h2>
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
                    <button type="button" class="secondary" onclick={onclose}>{ "Close" }</button>
                </div>
            }
        </div>
    }
}
