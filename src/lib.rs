//! The sfn-playground web app (placeholder until the UI lands).
use yew::prelude::*;

#[function_component(App)]
pub fn app() -> Html {
    html! { <main><h1>{ "sfn-playground" }</h1></main> }
}
