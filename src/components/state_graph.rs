//! The state graph in SVG, coloured by each state's status, with its legend and its zoom
//! controls: Parallel and Map states are containers holding their branches, Choice and Catch
//! edges are labelled, and the view pans, zooms, fits, and follows the run.
//!
//! Pan and zoom live here ([`super::graph_view`]'s reducer), not in the playground's state:
//! they only concern this drawing.

use super::graph_view::{View, ViewAction, PAN_STEP, ZOOM_STEP};
use crate::graph::{
    draw, DrawnEdge, DrawnNode, EdgeKind, NodeKind, Place, Transition, HEADER, PADDING,
};
use crate::inline_style::use_style;
use crate::state::{Action, Playground};
use crate::view::{Derived, NodeStatus};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<Playground>,
}

/// Tallest the viewport gets (CSS also caps it at a share of the window's height).
const MAX_VIEWPORT_HEIGHT: f64 = 680.0;
const MIN_VIEWPORT_HEIGHT: f64 = 160.0;
/// Above this many nodes, only the states and arrows near the view are in the page (see
/// [`near_view`]): at the smallest zoom a 2,000-state machine shows a few dozen states, and the
/// browser took seconds to lay out the text of all 2,000 and their arrows' labels. A smaller
/// drawing is all in the page, so that Tab reaches every state.
const NEAR_VIEW_ABOVE: usize = 300;
/// In a big drawing, a node with more arrows than this has only those near the view drawn
/// (see `edge_html`).
const FAN_LIMIT: usize = 64;
/// A press that moves less than this is a click, not a drag.
const DRAG_THRESHOLD: f64 = 4.0;

/// A drag in progress: where it started and the view then.
struct Drag {
    pointer: i32,
    x: f64,
    y: f64,
    start: super::graph_view::Transform,
    moving: bool,
}

/// The fingers on the graph (touch pointers: id, point in the viewport), and the pinch they
/// make once there are two: where both began and the view then.
#[derive(Default)]
struct Touches {
    down: Vec<(i32, (f64, f64))>,
    pinch: Option<([(f64, f64); 2], super::graph_view::Transform)>,
}

impl Touches {
    fn two(&self) -> Option<[(f64, f64); 2]> {
        match self.down.as_slice() {
            [(_, a), (_, b)] => Some([*a, *b]),
            _ => None,
        }
    }
}

fn num(v: f64) -> String {
    format!("{:.2}", v)
        .trim_end_matches('0')
        .trim_end_matches('.')
        .to_string()
}

/// The point (client_x, client_y) relative to `el`'s top-left corner.
fn local_point(el: &web_sys::Element, client_x: i32, client_y: i32) -> (f64, f64) {
    // getBoundingClientRect, read through Reflect (web-sys's DomRect is not enabled).
    let rect = js_sys::Reflect::get(el, &"getBoundingClientRect".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call0(el).ok());
    let get = |key: &str| {
        rect.as_ref()
            .and_then(|r| js_sys::Reflect::get(r, &key.into()).ok())
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0)
    };
    (client_x as f64 - get("left"), client_y as f64 - get("top"))
}

fn measure(el: &web_sys::Element) -> ViewAction {
    ViewAction::Measure(el.client_width() as f64, el.client_height() as f64)
}

#[function_component(StateGraph)]
pub fn state_graph(Props { state }: &Props) -> Html {
    let machine = state.machine.clone();
    // The layout depends only on the machine: recompute it when the definition changes.
    let drawing = use_memo(machine, |machine| draw(machine));
    let content = (drawing.width, drawing.height);
    let view = use_reducer(View::default);
    let viewport = use_node_ref();
    let drag: Rc<RefCell<Option<Drag>>> = use_mut_ref(|| None);
    let touches: Rc<RefCell<Touches>> = use_mut_ref(Touches::default);
    let content_group = use_node_ref();

    // As tall as the drawing at the width it is shown (fitted), within limits. Set before the
    // viewport is measured below (effects run in order).
    let (vw, _) = view.viewport;
    let shown = if vw > 0.0 && drawing.width > 0.0 {
        (vw / drawing.width).min(1.0)
    } else {
        1.0
    };
    let height = (drawing.height * shown).clamp(MIN_VIEWPORT_HEIGHT, MAX_VIEWPORT_HEIGHT);
    use_style(viewport.clone(), vec![("height", format!("{height:.0}px"))]);

    // Measure the viewport after each render and whenever the window is resized. Not while
    // Run to end goes on: reading the size makes the browser lay out the page there and then,
    // once per slice, and nothing that sizes the graph changes during a run (it is measured
    // again when the run pauses or ends).
    {
        let (viewport, view, running) = (viewport.clone(), view.dispatcher(), state.running);
        use_effect(move || {
            if let Some(el) = viewport.cast::<web_sys::Element>().filter(|_| !running) {
                view.dispatch(measure(&el));
            }
        });
    }
    {
        let (viewport, view) = (viewport.clone(), view.dispatcher());
        use_effect_with((), move |_| {
            let listener = Closure::<dyn Fn()>::new(move || {
                if let Some(el) = viewport.cast::<web_sys::Element>() {
                    view.dispatch(measure(&el));
                }
            });
            let window = web_sys::window();
            if let Some(w) = &window {
                let _ =
                    w.add_event_listener_with_callback("resize", listener.as_ref().unchecked_ref());
            }
            move || {
                if let Some(w) = &window {
                    let _ = w.remove_event_listener_with_callback(
                        "resize",
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }
    // A new definition is fitted afresh.
    {
        let view = view.dispatcher();
        use_effect_with(drawing.clone(), move |_| view.dispatch(ViewAction::Fit));
    }
    // Follow the run: the selected state (the one the run is in) is brought into view.
    {
        let (view, drawing) = (view.dispatcher(), drawing.clone());
        use_effect_with(state.selected.clone(), move |selected| {
            if let Some(v) = selected.as_deref().and_then(|name| drawing.find(name)) {
                view.dispatch(ViewAction::Reveal {
                    rect: drawing.nodes[v].rect,
                    content: (drawing.width, drawing.height),
                });
            }
        });
    }

    // What the events before the cursor did (brought up to date as the run goes, not
    // recomputed from the first event on every render): every colour, arrow and badge below
    // is read from it.
    let derived = state.derived();
    let empty = Derived::default();
    let derived = derived.as_deref().unwrap_or(&empty);
    let progress = &derived.maps.maps;
    let status_of = |name: &str| derived.status(name, &state.picks);

    let transform = view.transform(content);
    use_style(content_group.clone(), vec![("transform", transform.css())]);
    // One callback each for every state and arrow, the same from render to render (so that a
    // state whose status did not change is not rendered again while the run goes on).
    let on_select = use_callback(state.dispatcher(), |name: String, state| {
        state.dispatch(Action::Select(name))
    });
    let on_reveal = use_callback((view.dispatcher(), content), |rect, (view, content)| {
        view.dispatch(ViewAction::Reveal {
            rect,
            content: *content,
        })
    });
    let shared = Shared(drawing.clone());
    // Tab in a big drawing: the states out of view are not in the page, so Tab would skip them.
    // Tab (Shift+Tab) from a state goes to the next (previous) state in the drawing's order:
    // when that one is not in the page, the view is moved to it and it is focused once drawn.
    let big = drawing.nodes.len() > NEAR_VIEW_ABOVE;
    let focus_next = use_mut_ref(|| None::<usize>);
    let on_tab = {
        let focus_next = focus_next.clone();
        use_callback(
            (
                view.dispatcher(),
                content,
                drawing.clone(),
                big,
                viewport.clone(),
            ),
            move |(from, forward): (usize, bool), (view, content, drawing, big, viewport)| {
                if !*big {
                    return false;
                }
                let nodes = &drawing.nodes;
                let mut next = (0..nodes.len()).filter(|&j| nodes[j].is_state());
                let Some(to) = (if forward {
                    next.find(|&j| j > from)
                } else {
                    next.rfind(|&j| j < from)
                }) else {
                    // The first or last state: Tab leaves the graph as usual.
                    return false;
                };
                if state_element(viewport, &nodes[to].name).is_some() {
                    // In the page: the browser's Tab gets there.
                    return false;
                }
                *focus_next.borrow_mut() = Some(to);
                view.dispatch(ViewAction::Reveal {
                    rect: nodes[to].rect,
                    content: *content,
                });
                true
            },
        )
    };
    {
        let (focus_next, viewport, drawing) =
            (focus_next.clone(), viewport.clone(), drawing.clone());
        use_effect(move || {
            let wanted = *focus_next.borrow();
            if let Some(to) = wanted {
                if let Some(el) = drawing
                    .nodes
                    .get(to)
                    .and_then(|n| state_element(&viewport, &n.name))
                {
                    focus_next.borrow_mut().take();
                    if let Some(el) = el.dyn_ref::<web_sys::SvgElement>() {
                        let _ = el.focus();
                    }
                }
            }
        });
    }
    // How many arrows each node has (in and out).
    let arrows = use_memo(drawing.clone(), |drawing| {
        let mut arrows = vec![0usize; drawing.nodes.len()];
        for e in &drawing.edges {
            arrows[e.from] += 1;
            arrows[e.to] += 1;
        }
        arrows
    });
    let near = (drawing.nodes.len() > NEAR_VIEW_ABOVE).then(|| near_view(transform, view.viewport));
    let shows = |r: &layout::Rect| near.is_none_or(|v| overlaps(r, &v));
    let edge_html = |index: usize| {
        let e = &drawing.edges[index];
        // An arrow near the view is drawn; its label only when the label itself is. A state
        // with more than FAN_LIMIT arrows (a wide Choice's, the End under it) has only those
        // whose other end or label is near: the thousands of others run together in the
        // same gaps, drawn over by those near, and took the browser a second to lay out.
        if let Some(v) = near {
            let ends_near = shows(&drawing.nodes[e.from].rect) && shows(&drawing.nodes[e.to].rect);
            let label_near = e.label.as_ref().is_some_and(|l| shows(&l.rect));
            let crowded = arrows[e.from] > FAN_LIMIT || arrows[e.to] > FAN_LIMIT;
            if !(ends_near || label_near || (!crowded && passes_through(e, &v))) {
                return None;
            }
        }
        let label = e.label.as_ref().is_some_and(|l| shows(&l.rect));
        let place = |n: &DrawnNode| match n.kind {
            NodeKind::Start => Place::Start,
            NodeKind::End => Place::End,
            _ => Place::State(n.name.clone()),
        };
        let taken = derived.transitions.contains(&Transition {
            from: place(&drawing.nodes[e.from]),
            to: place(&drawing.nodes[e.to]),
            caught: e.kind == EdgeKind::Catch,
        });
        // Keyed by index: the ones still near the view are kept as the view moves.
        Some(html! { <Arrow key={index} drawing={shared.clone()} {index} {taken} {label} /> })
    };
    let node_html = |index: usize| {
        let n = &drawing.nodes[index];
        if !shows(&n.rect) {
            return None;
        }
        let key = format!("n{index}");
        if !n.is_state() {
            return Some(
                html! { <StateBox {key} drawing={shared.clone()} {index} status={NodeStatus::NotRun}
                selected={false} progress={None} pick={None}
                on_select={on_select.clone()} on_reveal={on_reveal.clone()} on_tab={on_tab.clone()} /> },
            );
        }
        let name = n.name.as_str();
        Some(html! {
            <StateBox {key} drawing={shared.clone()} {index} status={status_of(name)}
                selected={state.selected.as_deref() == Some(name)}
                progress={(n.kind == NodeKind::Map).then(|| progress.get(name).copied()).flatten()}
                pick={state.picks.get(name).copied()}
                on_select={on_select.clone()} on_reveal={on_reveal.clone()} on_tab={on_tab.clone()} />
        })
    };

    // Document order, which is also the Tab order and the painting order: the top level's
    // edges, then each node; a container is followed by its own edges and what it holds.
    let mut inner_edges: Vec<Vec<usize>> = vec![Vec::new(); drawing.nodes.len()];
    for (i, e) in drawing.edges.iter().enumerate() {
        if let Some(edges) = e.parent.and_then(|p| inner_edges.get_mut(p)) {
            edges.push(i);
        }
    }
    let top_edges = (0..drawing.edges.len()).filter(|&i| drawing.edges[i].parent.is_none());
    let mut items: Vec<Html> =
        vec![html! { <g key="edges" class="edges">{ for top_edges.filter_map(edge_html) }</g> }];
    for v in 0..drawing.nodes.len() {
        let Some(node) = node_html(v) else { continue };
        items.push(node);
        if let Some(edges) = inner_edges.get(v).filter(|edges| !edges.is_empty()) {
            items.push(
                html! { <g key={format!("e{v}")} class="edges nested">{ for edges.iter().filter_map(|&e| edge_html(e)) }</g> },
            );
        }
    }

    // Pan and zoom.
    let zoom = |factor: f64| {
        let view = view.dispatcher();
        Callback::from(move |_: MouseEvent| view.dispatch(ViewAction::Zoom { factor, content }))
    };
    let fit = {
        let view = view.dispatcher();
        Callback::from(move |_: MouseEvent| view.dispatch(ViewAction::Fit))
    };
    let onwheel = {
        let (view, viewport) = (view.dispatcher(), viewport.clone());
        Callback::from(move |e: WheelEvent| {
            let Some(el) = viewport.cast::<web_sys::Element>() else {
                return;
            };
            e.prevent_default();
            // Lines (Firefox) or pages, in pixels.
            let scale = match e.delta_mode() {
                1 => 16.0,
                2 => 400.0,
                _ => 1.0,
            };
            let factor = (-e.delta_y() * scale * 0.0015).clamp(-0.5, 0.5).exp();
            let (x, y) = local_point(&el, e.client_x(), e.client_y());
            view.dispatch(ViewAction::ZoomAt {
                factor,
                x,
                y,
                content,
            });
        })
    };
    let onpointerdown = {
        let (drag, touches, viewport) = (drag.clone(), touches.clone(), viewport.clone());
        Callback::from(move |e: PointerEvent| {
            if e.pointer_type() == "touch" {
                let Some(el) = viewport.cast::<web_sys::Element>() else {
                    return;
                };
                let mut t = touches.borrow_mut();
                t.down.retain(|(id, _)| *id != e.pointer_id());
                t.down
                    .push((e.pointer_id(), local_point(&el, e.client_x(), e.client_y())));
                if let Some(two) = t.two() {
                    // A second finger: a pinch, not a drag, from now on.
                    *drag.borrow_mut() = None;
                    t.pinch = Some((two, transform));
                    for (id, _) in &t.down {
                        let _ = el.set_pointer_capture(*id);
                    }
                    return;
                }
            }
            if e.button() == 0 {
                *drag.borrow_mut() = Some(Drag {
                    pointer: e.pointer_id(),
                    x: e.client_x() as f64,
                    y: e.client_y() as f64,
                    start: transform,
                    moving: false,
                });
            }
        })
    };
    let onpointermove = {
        let (drag, view, viewport) = (drag.clone(), view.dispatcher(), viewport.clone());
        let touches = touches.clone();
        Callback::from(move |e: PointerEvent| {
            {
                let mut t = touches.borrow_mut();
                if let (Some(el), Some(i)) = (
                    viewport.cast::<web_sys::Element>(),
                    t.down.iter().position(|(id, _)| *id == e.pointer_id()),
                ) {
                    t.down[i].1 = local_point(&el, e.client_x(), e.client_y());
                }
                if let (Some((from, start)), Some(to)) = (t.pinch, t.two()) {
                    e.prevent_default();
                    view.dispatch(ViewAction::Drag(super::graph_view::pinch(start, from, to)));
                    return;
                }
            }
            let mut drag = drag.borrow_mut();
            let Some(d) = drag.as_mut().filter(|d| d.pointer == e.pointer_id()) else {
                return;
            };
            let (dx, dy) = (e.client_x() as f64 - d.x, e.client_y() as f64 - d.y);
            if !d.moving {
                if dx.hypot(dy) < DRAG_THRESHOLD {
                    return;
                }
                // From now on it is a drag: the release is not a click on a state.
                d.moving = true;
                if let Some(el) = viewport.cast::<web_sys::Element>() {
                    let _ = el.set_pointer_capture(d.pointer);
                }
            }
            view.dispatch(ViewAction::Drag(d.start.pan(dx, dy)));
        })
    };
    let end_drag = {
        let (drag, viewport) = (drag.clone(), viewport.clone());
        let touches = touches.clone();
        Callback::from(move |e: PointerEvent| {
            {
                let mut t = touches.borrow_mut();
                t.down.retain(|(id, _)| *id != e.pointer_id());
                if t.pinch.is_some() && t.down.len() < 2 {
                    t.pinch = None;
                }
            }
            let mut drag = drag.borrow_mut();
            if drag.as_ref().is_some_and(|d| d.pointer == e.pointer_id()) {
                if let Some(el) = viewport.cast::<web_sys::Element>() {
                    let _ = el.release_pointer_capture(e.pointer_id());
                }
                *drag = None;
            }
        })
    };
    let onkeydown = {
        let view = view.dispatcher();
        Callback::from(move |e: KeyboardEvent| {
            if e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            let action = match e.key().as_str() {
                "+" | "=" => ViewAction::Zoom {
                    factor: ZOOM_STEP,
                    content,
                },
                "-" | "_" => ViewAction::Zoom {
                    factor: 1.0 / ZOOM_STEP,
                    content,
                },
                "0" => ViewAction::Fit,
                "ArrowLeft" => ViewAction::Pan {
                    dx: PAN_STEP,
                    dy: 0.0,
                    content,
                },
                "ArrowRight" => ViewAction::Pan {
                    dx: -PAN_STEP,
                    dy: 0.0,
                    content,
                },
                "ArrowUp" => ViewAction::Pan {
                    dx: 0.0,
                    dy: PAN_STEP,
                    content,
                },
                "ArrowDown" => ViewAction::Pan {
                    dx: 0.0,
                    dy: -PAN_STEP,
                    content,
                },
                _ => return,
            };
            e.prevent_default();
            view.dispatch(action);
        })
    };

    html! {
        <section class="panel graph" aria-labelledby="graph-heading">
            <div class="graph-header">
                <h2 id="graph-heading">{ "Graph view" }</h2>
                <div class="zoom-controls" role="group" aria-label="Zoom">
                    <button type="button" class="secondary zoom-in" aria-label="Zoom in" title="Zoom in (+)"
                        onclick={zoom(ZOOM_STEP)}>{ "+" }</button>
                    <button type="button" class="secondary zoom-out" aria-label="Zoom out" title="Zoom out (−)"
                        onclick={zoom(1.0 / ZOOM_STEP)}>{ "−" }</button>
                    <button type="button" class="secondary zoom-fit" aria-label="Fit the graph to the view" title="Fit (0)"
                        onclick={fit}>{ "Fit" }</button>
                </div>
            </div>
            if !state.diagnostics.is_empty() {
                <p class="graph-stale" id="graph-stale" role="status">
                    { "The definition has problems: the graph shows the last valid one." }
                </p>
            }
            <ul class="legend" aria-label="Legend">
                { for NodeStatus::LEGEND.iter().map(|s| html! {
                    <li><span class={classes!("swatch", s.key())} aria-hidden="true"></span>{ s.label() }</li>
                }) }
            </ul>
            <div class="graph-viewport" ref={viewport} tabindex="0" role="group"
                aria-label="Graph viewport: drag or use the arrow keys to pan, the wheel or + and − to zoom, 0 to fit"
                {onwheel} {onpointerdown} {onpointermove}
                onpointerup={end_drag.clone()} onpointercancel={end_drag}
                {onkeydown}>
                <svg id="state-graph" role="group" aria-label="State machine graph"
                    width="100%" height="100%"
                    data-width={num(drawing.width)} data-height={num(drawing.height)}>
                    <defs>
                        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                            <path d="M 0 0 L 10 5 L 0 10 z" />
                        </marker>
                        <marker id="arrow-taken" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                            <path d="M 0 0 L 10 5 L 0 10 z" />
                        </marker>
                    </defs>
                    <g ref={content_group} class={classes!("graph-content", view.animate.then_some("animate"))}
                        data-zoom={format!("{:.3}", transform.k)}>
                        { for items }
                    </g>
                </svg>
            </div>
            <p class="hint graph-hint">{ "Drag to pan; wheel, + or − to zoom; 0 or Fit to see it all. Tab to a state, Enter to select it." }</p>
        </section>
    }
}

/// The part of the drawing (in its coordinates) whose states and arrows are in the page when
/// it is big: the view and as much again on every side, in steps of half a view, so that
/// panning a little renders nothing new. Before the viewport is measured, a window-sized one.
fn near_view(t: super::graph_view::Transform, viewport: (f64, f64)) -> layout::Rect {
    let (vw, vh) = if viewport.0 > 0.0 && viewport.1 > 0.0 {
        viewport
    } else {
        (1400.0, MAX_VIEWPORT_HEIGHT)
    };
    let (w, h) = (vw / t.k, vh / t.k);
    let (sx, sy) = (w / 2.0, h / 2.0);
    let x = (-t.x / t.k / sx).floor() * sx;
    let y = (-t.y / t.k / sy).floor() * sy;
    layout::Rect {
        x: x - w,
        y: y - h,
        width: 3.0 * w + sx,
        height: 3.0 * h + sy,
    }
}

fn overlaps(a: &layout::Rect, b: &layout::Rect) -> bool {
    a.x <= b.right() && b.x <= a.right() && a.y <= b.bottom() && b.y <= a.bottom()
}

/// Whether a segment of an arrow's polyline, or its label, lies in `view` (each segment tested
/// by its own bounding box: a good enough test for the layout's mostly straight runs).
fn passes_through(e: &DrawnEdge, view: &layout::Rect) -> bool {
    let segment = |a: &layout::Point, b: &layout::Point| layout::Rect {
        x: a.x.min(b.x),
        y: a.y.min(b.y),
        width: (a.x - b.x).abs(),
        height: (a.y - b.y).abs(),
    };
    e.points
        .windows(2)
        .any(|w| overlaps(&segment(&w[0], &w[1]), view))
        || e.label.as_ref().is_some_and(|l| overlaps(&l.rect, view))
}

/// The drawing, compared by identity: it is recomputed only for a new definition, and
/// comparing 2,000 states' geometry for each of them would cost more than drawing them.
#[derive(Clone)]
struct Shared(Rc<crate::graph::Drawing>);

impl PartialEq for Shared {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, PartialEq)]
struct ArrowProps {
    drawing: Shared,
    /// The edge's index in the drawing.
    index: usize,
    /// The run followed it.
    taken: bool,
    /// Its label (if any) is drawn.
    label: bool,
}

/// One arrow (and its label): rendered again only when the run first follows it, or for a
/// new drawing.
#[function_component(Arrow)]
fn arrow(
    ArrowProps {
        drawing,
        index,
        taken,
        label: show_label,
    }: &ArrowProps,
) -> Html {
    let drawing = &drawing.0;
    let e: &DrawnEdge = &drawing.edges[*index];
    let (a, b) = (&drawing.nodes[e.from], &drawing.nodes[e.to]);
    let kind = match e.kind {
        EdgeKind::Next => "next",
        EdgeKind::Choice => "choice",
        EdgeKind::Default => "default",
        EdgeKind::Catch => "catch",
    };
    let marker = if *taken {
        "url(#arrow-taken)"
    } else {
        "url(#arrow)"
    };
    let label = e.label.as_ref().filter(|_| *show_label).map(|l| {
        let c = l.rect.center();
        html! {
            <g class="edge-label">
                <title>{ l.title.clone() }</title>
                <rect x={num(l.rect.x)} y={num(l.rect.y)} width={num(l.rect.width)}
                    height={num(l.rect.height)} rx="4" />
                <text x={num(c.x)} y={num(c.y)} dominant-baseline="central" text-anchor="middle">{ l.text.clone() }</text>
            </g>
        }
    });
    html! {
        <g class={classes!("edge-group", kind)} data-from={a.name.clone()} data-to={b.name.clone()}>
            <path class={classes!("edge", kind, taken.then_some("taken"))}
                d={layout::smooth_path(&e.points)} marker-end={marker} />
            { for label }
        </g>
    }
}

#[derive(Properties, PartialEq)]
struct StateBoxProps {
    drawing: Shared,
    /// The node's index in the drawing.
    index: usize,
    status: NodeStatus,
    selected: bool,
    /// A Map's iterations so far.
    progress: Option<crate::graph::MapProgress>,
    /// A Map's picked iteration.
    pick: Option<usize>,
    on_select: Callback<String>,
    /// Brings a rectangle of the drawing into view.
    on_reveal: Callback<layout::Rect>,
    /// Tab (`true`) or Shift+Tab (`false`) pressed on this node: whether the graph took it.
    on_tab: Callback<(usize, bool), bool>,
}

/// The element of the state `name` in the graph, if it is in the page.
fn state_element(viewport: &NodeRef, name: &str) -> Option<web_sys::Element> {
    let root = viewport.cast::<web_sys::Element>()?;
    let found = root.query_selector_all("[data-state]").ok()?;
    (0..found.length())
        .filter_map(|i| found.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .find(|e| e.get_attribute("data-state").as_deref() == Some(name))
}

/// One state (a box, or a Parallel or Map container), or the Start or End circle: rendered
/// again only when what it shows changes.
#[function_component(StateBox)]
fn state_box(props: &StateBoxProps) -> Html {
    let StateBoxProps {
        drawing,
        index,
        status,
        selected,
        progress,
        pick,
        ..
    } = props;
    let n: &DrawnNode = &drawing.0.nodes[*index];
    let rect = n.rect;
    let c = rect.center();
    if !n.is_state() {
        let label = if n.kind == NodeKind::Start {
            "Start"
        } else {
            "End"
        };
        return html! {
            <g class="terminal-node">
                <circle cx={num(c.x)} cy={num(c.y)} r={num(rect.width / 2.0)} />
                <text x={num(c.x)} y={num(c.y)} dominant-baseline="central" text-anchor="middle">{ label }</text>
            </g>
        };
    }
    let name = n.name.clone();
    let selected = *selected;
    let onclick = {
        let (on_select, name) = (props.on_select.clone(), name.clone());
        Callback::from(move |_: MouseEvent| on_select.emit(name.clone()))
    };
    let onkeydown = {
        let (on_select, name) = (props.on_select.clone(), name.clone());
        let (on_tab, index) = (props.on_tab.clone(), *index);
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                on_select.emit(name.clone());
            } else if e.key() == "Tab"
                && !(e.ctrl_key() || e.alt_key() || e.meta_key())
                && on_tab.emit((index, !e.shift_key()))
            {
                e.prevent_default();
            }
        })
    };
    // Tabbing to a state out of view brings it in.
    let onfocus = {
        let on_reveal = props.on_reveal.clone();
        Callback::from(move |_: FocusEvent| on_reveal.emit(rect))
    };
    let ring = html! {
        <rect class="focus-ring" x={num(rect.x - 4.0)} y={num(rect.y - 4.0)}
            width={num(rect.width + 8.0)} height={num(rect.height + 8.0)} rx="8" />
    };
    if !n.is_container() {
        return html! {
            <g class={classes!("state-node", status.key(), selected.then_some("selected"))}
                data-state={name.clone()} data-status={status.key()}
                tabindex="0" role="button" aria-label={format!("{name}: {}", status.label())}
                aria-pressed={selected.to_string()}
                {onclick} {onkeydown} {onfocus}>
                <rect class="state-box" x={num(rect.x)} y={num(rect.y)} width={num(rect.width)}
                    height={num(rect.height)} rx="4" />
                <text x={num(c.x)} y={num(c.y)} dominant-baseline="central" text-anchor="middle">{ &name }</text>
                { ring }
            </g>
        };
    }
    let (kind, type_name) = match n.kind {
        NodeKind::Map => ("map", "Map"),
        _ => ("parallel", "Parallel"),
    };
    let header_y = rect.y + HEADER / 2.0;
    let type_x = rect.right() - PADDING;
    // The badge: a pill behind text that belongs to the header's one <text> (so that the
    // visible text reads "name type badge", as the accessible name starts).
    let badge = progress.as_ref().map(|p| {
        // A picked iteration is named before the progress: "#2 · 3/3".
        let text = match pick {
            Some(index) => format!("#{index} · {}", p.badge()),
            None => p.badge(),
        };
        let w = text.chars().count() as f64 * 6.6 + 14.0;
        let x = type_x - type_name.len() as f64 * 6.6 - 10.0 - w;
        let pill = html! {
            <rect class={classes!("badge-box", (p.failed > 0).then_some("has-failed"))}
                x={num(x)} y={num(header_y - 9.0)} width={num(w)} height="18" rx="9" />
        };
        // Centred, less the half space that separates it from the type.
        let span = html! {
            <tspan class="badge-text" x={num(x + w / 2.0 - 1.5)} text-anchor="middle">{ format!(" {text}") }</tspan>
        };
        (pill, span)
    });
    let (pill, badge_text) = badge.unzip();
    // The accessible name starts with the visible text (name, type, badge), then says more.
    let described = match (n.kind, progress) {
        (NodeKind::Map, Some(p)) => format!(
            "{name} {type_name} {}: {} of {} iterations done, {}",
            p.badge(),
            p.done(),
            p.total,
            status.label()
        ),
        (NodeKind::Map, None) => format!("{name} {type_name}: {}", status.label()),
        _ => format!(
            "{name} {type_name}: {} branches, {}",
            n.frames.len(),
            status.label()
        ),
    };
    let frames = n.frames.iter().map(|f| {
        html! {
            <rect class="branch-frame" x={num(f.x)} y={num(f.y)} width={num(f.width)}
                height={num(f.height)} rx="6" />
        }
    });
    html! {
        <g class={classes!("state-node", "container", kind, status.key(), selected.then_some("selected"))}
            data-state={name.clone()} data-status={status.key()} data-kind={kind}
            tabindex="0" role="button" aria-label={described} aria-pressed={selected.to_string()}
            {onclick} {onkeydown} {onfocus}>
            <rect class="container-box" x={num(rect.x)} y={num(rect.y)} width={num(rect.width)}
                height={num(rect.height)} rx="10" />
            { for pill }
            <text class="container-header" y={num(header_y)} dominant-baseline="central">
                <tspan class="container-name" x={num(rect.x + PADDING)}>{ &name }</tspan>
                <tspan class="container-type" x={num(type_x)} text-anchor="end">{ format!(" {type_name}") }</tspan>
                { for badge_text }
            </text>
            { for frames }
            { ring }
        </g>
    }
}
