//! Which iteration of a Map the page shows: the latest (as the console does), or one the
//! person picks; the states inside the Map then show that iteration's run, in the graph and
//! in Step details.

use crate::state::{Action, Playground};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<Playground>,
    /// The Map whose iteration is picked.
    pub map: AttrValue,
}

#[function_component(IterationPicker)]
pub fn iteration_picker(Props { state, map }: &Props) -> Html {
    let total = state
        .derived()
        .and_then(|d| d.maps.maps.get(map).map(|p| p.total))
        .unwrap_or(0);
    if total == 0 {
        return html! {};
    }
    let picked = state.picks.get(map).copied();
    let onchange = {
        let (state, map) = (state.dispatcher(), map.to_string());
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            state.dispatch(Action::PickIteration(
                map.clone(),
                select.value().parse().ok(),
            ));
        })
    };
    html! {
        <div class="field-row iteration-picker">
            <label for="iteration-pick">{ format!("{map}: iteration") }</label>
            <select id="iteration-pick" {onchange}>
                <option value="" selected={picked.is_none()}>{ "Latest" }</option>
                { for (0..total).map(|i| html! {
                    <option value={i.to_string()} selected={picked == Some(i)}>{ format!("#{i}") }</option>
                }) }
            </select>
            <span class="muted">{ format!("of {total}: the states inside show this iteration") }</span>
        </div>
    }
}
