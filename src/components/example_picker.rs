//! Which example to open: the call-center tutorial, or one for each part of the language.

use crate::state::{Action, Playground};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<Playground>,
}

#[function_component(ExamplePicker)]
pub fn example_picker(Props { state }: &Props) -> Html {
    let onchange = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let name = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(example) = examples::find(&name) {
                state.dispatch(Action::LoadExample(example.name));
            }
        })
    };
    html! {
        <label class="example-picker">
            <span>{ "Example" }</span>
            <select id="example" {onchange}>
                { for examples::ALL.iter().map(|e| html! {
                    <option value={e.name} selected={e.name == state.example.name}>{ e.title }</option>
                }) }
            </select>
        </label>
    }
}
