//! The execution's events: the whole history in AWS's format (filterable, each event's details
//! expandable), or a table with one row per state entered and its duration in virtual time.

use crate::browser;
use crate::state::{Action, Playground, Run};
use crate::view::{pretty, Derived};
use asl::history::HistoryEvent;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The most event rows the table shows at once.
const MAX_ROWS: usize = 500;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<Playground>,
}

#[function_component(EventHistory)]
pub fn event_history(Props { state }: &Props) -> Html {
    let table_view = use_state(|| false);
    let filter = use_state(String::new);
    // The events whose JSON is shown (their <details> open), by id: a row is reused for the
    // next event as the run goes on, the open JSON stays with its event.
    let opened = use_state(Vec::<u64>::new);
    let on_toggle = use_callback(opened.clone(), |(id, open): (u64, bool), opened| {
        if opened.contains(&id) != open {
            let mut next = (**opened).clone();
            next.retain(|&o| o != id);
            if open {
                next.push(id);
            }
            opened.set(next);
        }
    });
    let events = state.events();
    let events = events.as_deref().unwrap_or_default();
    let derived = state.derived();
    let empty = Derived::default();
    let derived = derived.as_deref().unwrap_or(&empty);
    let owner = |i: usize| derived.owner(i);
    let start = events.first().map(|e| e.timestamp).unwrap_or_default();
    let needle = browser::lowercase(&filter);
    // A long run has thousands of events: the table shows the latest ones (the filter finds
    // any), so the page stays quick while it runs.
    let matching: Vec<usize> = if needle.is_empty() {
        (events.len().saturating_sub(MAX_ROWS)..events.len()).collect()
    } else {
        // Each state's name is lowered once (in the browser), not once per event; a run
        // visits a handful of states.
        let mut named: Vec<(Arc<str>, bool)> = Vec::new();
        let mut matches = |i: &usize| {
            // Event types are ASCII.
            events[*i]
                .event_type()
                .to_ascii_lowercase()
                .contains(&needle)
                || owner(*i).is_some_and(|o| {
                    if let Some((_, hit)) = named.iter().find(|(n, _)| n == o) {
                        return *hit;
                    }
                    let hit = browser::lowercase(o).contains(&needle);
                    named.push((o.clone(), hit));
                    hit
                })
        };
        (0..events.len()).filter(|i| matches(i)).collect()
    };
    let hidden = if needle.is_empty() {
        events.len().saturating_sub(MAX_ROWS)
    } else {
        matching.len().saturating_sub(MAX_ROWS)
    };
    let shown = matching[matching.len().saturating_sub(MAX_ROWS)..].iter();

    let on_filter = {
        let filter = filter.clone();
        Callback::from(move |e: InputEvent| {
            filter.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let show = |table: bool| {
        let table_view = table_view.clone();
        Callback::from(move |_: MouseEvent| table_view.set(table))
    };
    let select = |name: String| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::Select(name.clone())))
    };

    let run = state.run.clone();
    let body = if *table_view {
        html! {
            <table id="state-table" class="history">
                <caption class="visually-hidden">{ "One row per state entered" }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ "Step" }</th>
                        <th scope="col">{ "Type" }</th>
                        <th scope="col">{ "In" }</th>
                        <th scope="col">{ "Status" }</th>
                        <th scope="col">{ "Started after (ms)" }</th>
                        <th scope="col">{ "Duration (ms)" }</th>
                    </tr>
                </thead>
                <tbody>
                    { for latest(derived.rows().into_iter().filter(|r| browser::lowercase(&r.name).contains(&needle)).collect()).map(|row| html! {
                        <tr data-state={row.name.clone()}>
                            <td><button type="button" class="link" onclick={select(row.name.clone())}>{ &row.name }</button></td>
                            <td>{ &row.state_type }</td>
                            <td class="row-place">{ place(&state.machine, &row) }</td>
                            <td><span class={classes!("status-dot", row.status.key())} aria-hidden="true"></span>{ row.status.label() }</td>
                            <td class="numeric">{ row.entered_at }</td>
                            <td class="numeric">{ row.duration.map_or("–".to_string(), |d| d.to_string()) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        }
    } else {
        html! {
            <table id="event-history" class="history">
                <caption class="visually-hidden">{ "The execution's history events" }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ "ID" }</th>
                        <th scope="col">{ "Type" }</th>
                        <th scope="col">{ "Step" }</th>
                        <th scope="col">{ "Elapsed time (ms)" }</th>
                        <th scope="col">{ "Details" }</th>
                    </tr>
                </thead>
                <tbody>
                    // Not keyed: while a run goes on, each row is patched to show a newer
                    // event (a few texts and attributes) rather than torn down and built again.
                    { for shown.map(|&i| html! {
                        <EventRow run={RunRef(run.clone())} index={i} owner={owner(i).cloned()}
                            start={start} open={opened.contains(&events[i].id)}
                            on_toggle={on_toggle.clone()} />
                    }) }
                </tbody>
            </table>
        }
    };

    html! {
        <section class="panel event-history" aria-labelledby="history-heading">
            <div class="panel-head">
                <h2 id="history-heading">{ format!("Events ({})", events.len()) }</h2>
                <div class="segmented" role="group" aria-label="View">
                    <button type="button" id="show-events" aria-pressed={(!*table_view).to_string()} onclick={show(false)}>{ "Event view" }</button>
                    <button type="button" id="show-table" aria-pressed={(*table_view).to_string()} onclick={show(true)}>{ "Table view" }</button>
                </div>
                <label class="filter">
                    <span>{ "Filter" }</span>
                    <input id="event-filter" type="search" placeholder="type or step" value={(*filter).clone()} oninput={on_filter} />
                </label>
            </div>
            if events.is_empty() {
                <p class="muted">{ "Start an execution to record its events." }</p>
            }
            if hidden > 0 && !*table_view {
                <p class="muted" id="rows-hidden">{ format!("Showing the latest {MAX_ROWS} events; {hidden} earlier ones are hidden (the filter searches them all).") }</p>
            }
            <div class="table-scroll">{ body }</div>
        </section>
    }
}

/// The last [`MAX_ROWS`] rows.
fn latest<T>(rows: Vec<T>) -> impl Iterator<Item = T> {
    let skip = rows.len().saturating_sub(MAX_ROWS);
    rows.into_iter().skip(skip)
}

/// The run a row reads its event from: the same run (not an equal one) renders the same rows.
#[derive(Clone)]
pub struct RunRef(Option<Rc<RefCell<Run>>>);

impl PartialEq for RunRef {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        }
    }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    run: RunRef,
    /// The event's place in the history (a recorded event never changes).
    index: usize,
    owner: Option<Arc<str>>,
    /// The first event's time: the row shows the time elapsed since.
    start: i64,
    /// Its JSON is shown.
    open: bool,
    /// The JSON of event `.0` was opened (`.1` true) or closed.
    on_toggle: Callback<(u64, bool)>,
}

/// One event's row, rendered again only when it shows another event (or its JSON is opened).
/// The JSON is written out only while it is open.
#[function_component(EventRow)]
fn event_row(props: &RowProps) -> Html {
    let run = props.run.0.as_ref().map(|r| r.borrow());
    let Some(event) = run
        .as_ref()
        .and_then(|r| r.engine.history().get(props.index))
    else {
        return html! {};
    };
    let id = event.id;
    let on_toggle = props.on_toggle.clone();
    let ontoggle = Callback::from(move |e: Event| {
        let details: web_sys::Element = e.target_unchecked_into();
        on_toggle.emit((id, details.has_attribute("open")));
    });
    row(
        event,
        props.owner.as_deref(),
        props.start,
        props.open,
        ontoggle,
    )
}

fn row(
    event: &HistoryEvent,
    owner: Option<&str>,
    start: i64,
    open: bool,
    ontoggle: Callback<Event>,
) -> Html {
    let event_type = event.event_type();
    let class = if event_type.ends_with("Failed")
        || event_type.ends_with("Aborted")
        || event_type.ends_with("TimedOut")
    {
        "failed"
    } else if event_type.ends_with("Succeeded") {
        "succeeded"
    } else {
        ""
    };
    html! {
        <tr data-event-type={event_type.clone()} class={class}>
            <td>{ event.id }</td>
            <td class="event-type">{ event_type }</td>
            <td>{ owner.unwrap_or_default().to_string() }</td>
            <td class="numeric">{ event.timestamp - start }</td>
            <td>
                <details {open} {ontoggle}>
                    <summary>{ "JSON" }</summary>
                    if open {
                        <pre>{ pretty(&event.to_aws_json()) }</pre>
                    }
                </details>
            </td>
        </tr>
    }
}

/// Where a row's state ran: the Map iteration (`Work the Queue #2`) or the Parallel branch
/// (`Fan Out, branch 1`) that holds it, or nothing at the top level.
fn place(machine: &asl::StateMachine, row: &crate::view::StateRow) -> String {
    match (machine.enclosing(&row.name), row.iteration) {
        (Some((map, _)), Some(index)) => format!("{map} #{index}"),
        (Some((parallel, branch)), None) => format!("{parallel}, branch {}", branch + 1),
        (None, _) => String::new(),
    }
}
