//! Workshop mode: a guided panel that walks through the call-center tutorial's steps inside
//! the playground. Each step says what it does, what to look at on the page, and the real AWS
//! commands for when the learner deploys; buttons do the playground's part ("Do it for me").
//!
//! The open step is [`Playground::workshop_step`] (1-based; `None`: closed), so a share link can
//! carry it. This component also opens a step from a `#workshop=N` fragment, on load and when
//! the fragment changes, and leaves every other fragment alone. Which steps are done is kept
//! in localStorage under [`STORAGE_KEY`], a JSON array of step numbers.
//!
//! Browser APIs that need web-sys features the crate does not enable (localStorage, location,
//! the clipboard, the selection) are reached through `js_sys::Reflect`; every failure is
//! handled (a missing or corrupt value is an empty progress, a refused copy says how to copy by
//! hand), nothing here panics.

use crate::state::{Action, Notice, Playground};
use callcenter::WorkOnCase;
use js_sys::{Function, Reflect};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

/// Where the done steps are kept: a JSON array of step numbers, e.g. `[1,2,4]`.
pub const STORAGE_KEY: &str = "sfn-playground.workshop.done";

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<Playground>,
}

/// A paragraph or a bulleted list. In the text, `` `code` `` and `**strong**` are marked up.
pub enum Block {
    P(&'static str),
    List(&'static [&'static str]),
}

/// A command to run against AWS, with what it is for.
pub struct Command {
    pub label: &'static str,
    pub text: &'static str,
}

/// What a step's buttons do in the playground.
#[derive(Clone, Copy, PartialEq)]
pub enum Helper {
    /// Scroll a part of the page into view (an element id).
    ShowMe(&'static str, &'static str),
    /// Select a state, then show its details.
    SelectState(&'static str),
    /// Load the tutorial again (undo edits to the definition).
    RestoreTutorial,
    /// Step 4: the tutorial, `inputCaseID` 001, Start execution.
    StartCase001,
    /// Step 4: Run to end.
    RunToEnd,
    /// Step 6: WorkOnCase forced unresolved, start, run to the end.
    RunUnresolved,
    /// WorkOnCase back to random.
    RandomAgain,
    /// Step 7: Reset.
    Reset,
}

pub struct Step {
    pub title: &'static str,
    pub what: &'static [Block],
    pub look: &'static [Block],
    pub helpers: &'static [Helper],
    pub aws: &'static str,
    pub commands: &'static [Command],
}

/// The tutorial, step by step (its Step 0, the prerequisites, is folded into step 1).
pub const STEPS: &[Step] = &[
    Step {
        title: "What you are building",
        what: &[
            Block::P("You are a developer at a call center. Support cases arrive with an ID, and each one is handled the same way: open it, assign it to someone, work on it, then close it if it was resolved or escalate it if it was not."),
            Block::P("Instead of having each Lambda function call the next one, you let an AWS Step Functions **state machine** coordinate them. Each function stays small and knows nothing about the others; the flow lives in one place, where it is easy to change and easy to debug."),
            Block::P("The machine has seven states: five **Task** states, one for each Lambda function (Open Case, Assign Case, Work on Case, Close Case, Escalate Case), a **Choice** state (Is Case Resolved) and a **Fail** state."),
        ],
        look: &[Block::List(&[
            "The **Graph view**: it is the tutorial's diagram, drawn from the definition. Read it from the top: Open Case → Assign Case → Work on Case → Is Case Resolved, which goes either to Close Case or to Escalate Case → Fail.",
            "Dashed boxes are states that have not run yet. Once an execution runs, each state takes the colour of what happened to it: green succeeded, red failed, blue in progress.",
            "Everything here runs in your browser: you need no AWS account until you want to deploy.",
        ])],
        helpers: &[Helper::ShowMe("graph-heading", "Show me the graph")],
        aws: "To deploy it yourself later, you need an AWS account with an IAM user allowed to create CloudFormation stacks, and the AWS CLI. Everything in this tutorial fits in the AWS Free Tier.",
        commands: &[
            Command { label: "Give the CLI your access key, secret and region (once):", text: "aws configure" },
            Command { label: "Check which account and user you are signed in as:", text: "aws sts get-caller-identity" },
        ],
    },
    Step {
        title: "The Lambda functions",
        what: &[
            Block::P("Each Task state calls one Lambda function. The five functions are tiny Node.js handlers; each passes the case along and adds to its message:"),
            Block::List(&[
                "**OpenCase** takes `inputCaseID` and returns the `Case` with the `Message` \"Case 001: opened...\".",
                "**AssignCase** adds \"assigned...\" to the message.",
                "**WorkOnCase** draws a random number: the case is resolved (`Status` 1, \"resolved...\") or not (`Status` 0, \"unresolved...\").",
                "**CloseCase** adds \"closed.\": the happy ending.",
                "**EscalateCase** adds \"escalating.\": the case goes to Tier 2 support.",
            ]),
            Block::P("In the playground the functions are simulated exactly: the same logic, the same fields, the same messages, even the same errors. You only choose how WorkOnCase's draw goes, with **WorkOnCase** and **Seed** under Execution input."),
        ],
        look: &[Block::List(&[
            "Select **Open Case** in the graph (or use the button below): Step details shows its **Resource**, the ARN of the OpenCase function it calls.",
            "On AWS, a CloudFormation stack creates the five functions and the role they run with. Get its template from **Export → call-center-functions.yml**.",
        ])],
        helpers: &[Helper::SelectState("Open Case")],
        aws: "With call-center-functions.yml in the current folder:",
        commands: &[
            Command { label: "Create the functions' stack:", text: "aws cloudformation create-stack --stack-name call-center-functions --template-body file://call-center-functions.yml --capabilities CAPABILITY_IAM" },
            Command { label: "Wait until it is created (a minute or so):", text: "aws cloudformation wait stack-create-complete --stack-name call-center-functions" },
            Command { label: "Check that the functions are there (or look under Lambda in the AWS console):", text: "aws lambda list-functions" },
        ],
    },
    Step {
        title: "The state machine",
        what: &[
            Block::P("The state machine is written in the **Amazon States Language**: a JSON document that names each state, says what type it is and which state comes next. You can read it, and change it, in the **Definition** panel."),
            Block::P("`StartAt` names the first state. Each Task state has a `Resource` (the ARN of its function) and a `Next`; the last ones say `\"End\": true`, or are a Fail state."),
            Block::P("**Is Case Resolved** is a **Choice** state: it calls no function, it looks at the data. If `$.Status` equals 1 it goes to Close Case; if it equals 0, to Escalate Case."),
        ],
        look: &[Block::List(&[
            "In the Definition panel, find `Is Case Resolved` and its two `Choices`.",
            "Try a change: rename a state, or point a `Next` at a state that does not exist. A valid definition redraws the graph; otherwise the problems are listed with their line. **Load the tutorial again** brings it back.",
            "On AWS the state machine has a stack of its own: **Export → call-center.yml**. Its ARNs are built from `${AWS::AccountId}` and the region, so there is no account ID to paste in by hand: the original tutorial's `perl` step is not needed any more.",
        ])],
        helpers: &[
            Helper::ShowMe("definition-heading", "Show me the definition"),
            Helper::SelectState("Is Case Resolved"),
            Helper::RestoreTutorial,
        ],
        aws: "Once the functions' stack is created, with call-center.yml in the current folder:",
        commands: &[
            Command { label: "Create the state machine's stack:", text: "aws cloudformation create-stack --stack-name call-center --template-body file://call-center.yml --capabilities CAPABILITY_IAM" },
            Command { label: "Wait until it is created:", text: "aws cloudformation wait stack-create-complete --stack-name call-center" },
            Command { label: "Check that the state machine is there (or look under Step Functions in the AWS console):", text: "aws stepfunctions list-state-machines" },
        ],
    },
    Step {
        title: "Start an execution",
        what: &[
            Block::P("An **execution** is one run of the state machine with one input. The tutorial's input is a case ID: `{\"inputCaseID\": \"001\"}`."),
            Block::P("Type `001` in **inputCaseID** under Execution input (the JSON input follows), then press **Start execution**: the execution starts and records its first event."),
            Block::P("Then press **Step** (key `n`) to go forward one event at a time and watch the graph light up, or **Run to end** (key `r`) to play the rest at once. **Step back** (key `b`) goes back over what was recorded, without running anything again."),
        ],
        look: &[Block::List(&[
            "The status next to the buttons: Running, then Succeeded or Failed.",
            "The graph: the state in progress is blue, finished states turn green.",
            "The **Events** panel at the bottom: every event of the execution, as GetExecutionHistory returns them.",
            "Whether case 001 is resolved is up to WorkOnCase's random draw, decided by the seed. Another seed may give the other ending; step 6 forces it.",
        ])],
        helpers: &[Helper::StartCase001, Helper::RunToEnd],
        aws: "In the AWS console: Step Functions → your state machine → Start execution, paste the input, Start execution. Or with the CLI:",
        commands: &[
            Command { label: "Find the state machine's ARN:", text: "aws stepfunctions list-state-machines --query \"stateMachines[].[name,stateMachineArn]\" --output text" },
            Command { label: "Start the execution (put your ARN in place of <arn>):", text: "aws stepfunctions start-execution --state-machine-arn <arn> --input '{\"inputCaseID\": \"001\"}'" },
        ],
    },
    Step {
        title: "Observe each state's input and output",
        what: &[
            Block::P("Each state receives a JSON **input** and produces an **output**, which becomes the next state's input. That is how the case travels: OpenCase's output is AssignCase's input, and so on down the graph."),
            Block::P("Select a state in the graph (click it, or Tab to it and press Enter) to see its input and output in **Step details**, as the console shows them when you click a state."),
        ],
        look: &[Block::List(&[
            "Select **Work on Case**: its input carries the message so far; its output adds `Status` and \"resolved...\" or \"unresolved...\". Compare with the console's Step details: the same input, the same output.",
            "The **Data flow** tab shows every stage of the state's data: the input, after `InputPath`, after `Parameters`, the function's result, after `ResultSelector`, after `ResultPath`, and the output. The tutorial filters nothing, so the output is the function's result.",
            "The **Events** panel: for each Task, `TaskStateEntered`, `LambdaFunctionScheduled`, `LambdaFunctionStarted`, `LambdaFunctionSucceeded` and `TaskStateExited`.",
        ])],
        helpers: &[Helper::SelectState("Work on Case"), Helper::StartCase001],
        aws: "start-execution printed the execution's ARN (executionArn):",
        commands: &[
            Command { label: "The execution's status, input and output:", text: "aws stepfunctions describe-execution --execution-arn <execution-arn>" },
            Command { label: "Every event, with each state's input and output:", text: "aws stepfunctions get-execution-history --execution-arn <execution-arn>" },
        ],
    },
    Step {
        title: "When the case is not resolved",
        what: &[
            Block::P("When WorkOnCase returns `Status` 0, the Choice sends the case to **Escalate Case**, then to the **Fail** state: the execution fails with the cause \"Engage Tier 2 Support.\""),
            Block::P("A Fail state is not a bug: it is how a workflow says, on purpose, that it did not end well. The execution's status is Failed, and its cause is the one written in the definition."),
            Block::P("To see it without waiting for luck, set **WorkOnCase** to **Force unresolved (0)** under Execution input, then start the execution and run it to the end."),
        ],
        look: &[Block::List(&[
            "The graph: Escalate Case is green (its function worked), Fail is red, and Close Case never ran.",
            "**Execution failed**, above the graph: the cause \"Engage Tier 2 Support.\"",
            "Select **Escalate Case**: its output's message ends with \"escalating.\"; select **Is Case Resolved**: its input has `\"Status\": 0`.",
            "Set WorkOnCase back to **Random (seeded)** when you are done.",
        ])],
        helpers: &[
            Helper::RunUnresolved,
            Helper::SelectState("Escalate Case"),
            Helper::RandomAgain,
        ],
        aws: "On AWS, WorkOnCase really is random:",
        commands: &[
            Command { label: "Start a few executions, until one fails:", text: "aws stepfunctions start-execution --state-machine-arn <arn> --input '{\"inputCaseID\": \"002\"}'" },
            Command { label: "List the failed ones:", text: "aws stepfunctions list-executions --state-machine-arn <arn> --status-filter FAILED" },
        ],
    },
    Step {
        title: "Clean up",
        what: &[
            Block::P("In the playground there is nothing to clean up: it all lives in this page. **Reset** forgets the execution, and reloading the page starts afresh (your workshop progress is kept)."),
            Block::P("On AWS, delete the two stacks so nothing is left behind: the state machine's first, then the functions'. CloudFormation deletes everything each stack created, the IAM roles included."),
        ],
        look: &[Block::List(&[
            "That's the whole tutorial: well done!",
            "Next, try the other examples in the menu at the top (Retry and Catch, Parallel, Map, Wait…): each one shows another part of the States Language.",
        ])],
        helpers: &[Helper::Reset],
        aws: "When you are done with the tutorial on AWS:",
        commands: &[
            Command { label: "Delete the state machine's stack:", text: "aws cloudformation delete-stack --stack-name call-center" },
            Command { label: "Then the functions' stack:", text: "aws cloudformation delete-stack --stack-name call-center-functions" },
            Command { label: "Wait until it is gone:", text: "aws cloudformation wait stack-delete-complete --stack-name call-center-functions" },
        ],
    },
];

/// The steps a `#workshop=N` fragment names: exactly that, N a step number written plainly.
pub fn step_from_hash(hash: &str) -> Option<usize> {
    workshop_link(hash.strip_prefix('#')?)?.ok()
}

/// What a `workshop=…` fragment (without its `#`) asks for: the step, or the text after `=`
/// when it names none (`0`, `9`, `05`, `three`). `None`: the fragment is not a workshop link.
pub fn workshop_link(fragment: &str) -> Option<Result<usize, String>> {
    let n = fragment.strip_prefix("workshop=")?;
    let step = n
        .parse::<usize>()
        .ok()
        .filter(|step| step.to_string() == n && (1..=STEPS.len()).contains(step));
    Some(step.ok_or_else(|| n.to_string()))
}

/// The done steps in a stored value, in order, each once; anything unexpected counts as
/// nothing done.
pub fn parse_done(stored: Option<&str>) -> Vec<usize> {
    let Some(Ok(serde_json::Value::Array(items))) = stored.map(serde_json::from_str) else {
        return Vec::new();
    };
    let mut done = Vec::new();
    for n in items
        .iter()
        .filter_map(|v| v.as_u64())
        .filter_map(|n| usize::try_from(n).ok())
        .filter(|n| (1..=STEPS.len()).contains(n))
    {
        mark(&mut done, n, true);
    }
    done
}

/// Marks step `n` done or not in `done` (kept in order, each step once: a sorted Vec rather
/// than a BTreeSet, so the page's .wasm carries no B-tree code).
fn mark(done: &mut Vec<usize>, n: usize, is_done: bool) {
    match (done.binary_search(&n), is_done) {
        (Err(i), true) => done.insert(i, n),
        (Ok(i), false) => {
            done.remove(i);
        }
        _ => {}
    }
}

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// `object[key]`, or `None` if it is missing, null or throws.
fn get(object: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(object, &JsValue::from_str(key))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

/// Calls `object.method(args…)`, or `None` if it is not a function or throws.
fn call(object: &JsValue, method: &str, args: &[JsValue]) -> Option<JsValue> {
    let f: Function = get(object, method)?.dyn_into().ok()?;
    let args: js_sys::Array = args.iter().collect();
    f.apply(object, &args).ok()
}

/// localStorage; `None` where it is missing or forbidden (accessing it can throw).
fn storage() -> Option<JsValue> {
    get(&window()?.into(), "localStorage")
}

pub fn load_done() -> Vec<usize> {
    let stored = storage()
        .and_then(|s| call(&s, "getItem", &[STORAGE_KEY.into()]))
        .and_then(|v| v.as_string());
    parse_done(stored.as_deref())
}

fn save_done(done: &[usize]) {
    let text = serde_json::to_string(done).unwrap_or_else(|_| "[]".into());
    if let Some(s) = storage() {
        // A full or forbidden storage only loses the progress; the page goes on.
        let _ = call(&s, "setItem", &[STORAGE_KEY.into(), text.into()]);
    }
}

fn location_hash() -> Option<String> {
    get(&get(&window()?.into(), "location")?, "hash")?.as_string()
}

/// This page's address with the fragment `#workshop=N` (any other fragment dropped).
pub fn step_link(step: usize) -> Option<String> {
    let href = get(&get(&window()?.into(), "location")?, "href")?.as_string()?;
    let base = href.split('#').next().unwrap_or(&href);
    Some(format!("{base}#workshop={step}"))
}

fn element(id: &str) -> Option<web_sys::Element> {
    window()?.document()?.get_element_by_id(id)
}

fn scroll_to(id: &str) {
    if let Some(el) = element(id) {
        el.scroll_into_view();
    }
}

/// Selects the text of an element, so that the person can copy it by hand.
fn select_text(id: &str) -> bool {
    let (Some(el), Some(w)) = (element(id), window()) else {
        return false;
    };
    let Some(selection) = call(&w.into(), "getSelection", &[]) else {
        return false;
    };
    call(&selection, "selectAllChildren", &[el.into()]).is_some()
}

/// The older way to copy, for pages without `navigator.clipboard` (plain http on a LAN):
/// select the element's text and `document.execCommand("copy")`.
fn copy_by_selection(id: &str) -> bool {
    select_text(id)
        && window()
            .and_then(|w| w.document())
            .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
            .and_then(|d| d.exec_command("copy").ok())
            .unwrap_or(false)
}

/// Copies `text` (shown in the element `id`) to the clipboard; `done` is told whether it
/// worked. Never throws: without a clipboard or permission, the text is selected instead.
fn copy(text: &str, id: &str, done: Callback<bool>) {
    let promise = window()
        .and_then(|w| get(&w.into(), "navigator"))
        .and_then(|n| get(&n, "clipboard"))
        .and_then(|c| call(&c, "writeText", &[text.into()]))
        .filter(|p| p.is_instance_of::<js_sys::Promise>());
    let Some(promise) = promise else {
        let copied = copy_by_selection(id);
        done.emit(copied);
        if !copied {
            select_soon(id.to_string());
        }
        return;
    };
    let on_ok = {
        let done = done.clone();
        Closure::once_into_js(move |_: JsValue| done.emit(true))
    };
    let target = id.to_string();
    let on_err = Closure::once_into_js(move |_: JsValue| {
        done.emit(false);
        select_soon(target);
    });
    if call(&promise, "then", &[on_ok, on_err]).is_none() {
        select_text(id);
    }
}

/// Selects the element's text once the page has rendered what `done` changed (the link's
/// text only appears when copying it failed).
fn select_soon(id: String) {
    gloo_timers::callback::Timeout::new(0, move || {
        select_text(&id);
    })
    .forget();
}

/// Renders `` `code` `` and `**strong**` in a sentence; everything else is text.
fn rich(text: &str) -> Html {
    let mut parts = Vec::new();
    for (i, chunk) in text.split('`').enumerate() {
        if i % 2 == 1 {
            parts.push(html! { <code>{ chunk.to_string() }</code> });
            continue;
        }
        for (j, piece) in chunk.split("**").enumerate() {
            if piece.is_empty() {
                continue;
            }
            if j % 2 == 1 {
                parts.push(html! { <strong>{ piece.to_string() }</strong> });
            } else {
                parts.push(html! { { piece.to_string() } });
            }
        }
    }
    html! { <>{ for parts }</> }
}

fn blocks(blocks: &[Block]) -> Html {
    html! {
        <>
            { for blocks.iter().map(|b| match b {
                Block::P(text) => html! { <p>{ rich(text) }</p> },
                Block::List(items) => html! {
                    <ul>{ for items.iter().map(|t| html! { <li>{ rich(t) }</li> }) }</ul>
                },
            }) }
        </>
    }
}

/// What the person last copied, and whether it worked (shown under the step's buttons).
#[derive(Clone, PartialEq)]
struct Copied {
    step: usize,
    what: String,
    ok: bool,
}

#[function_component(Workshop)]
pub fn workshop(Props { state }: &Props) -> Html {
    let done = use_state(load_done);
    let copied = use_state(|| None::<Copied>);
    let toggle_ref = use_node_ref();
    let heading_ref = use_node_ref();
    // Set by the buttons that move between steps (or open/close the panel): focus follows.
    let focus_next = use_mut_ref(|| false);
    let total = STEPS.len();
    let open = state.workshop_step.map(|n| n.clamp(1, total));

    use_hash_link(state);

    {
        let toggle_ref = toggle_ref.clone();
        let heading_ref = heading_ref.clone();
        let focus_next = focus_next.clone();
        use_effect_with(open, move |open| {
            if std::mem::take(&mut *focus_next.borrow_mut()) {
                let target = if open.is_some() {
                    heading_ref
                } else {
                    toggle_ref
                };
                if let Some(el) = target.cast::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
        });
    }

    let go = |step: Option<usize>| {
        let state = state.clone();
        let focus_next = focus_next.clone();
        Callback::from(move |_: MouseEvent| {
            *focus_next.borrow_mut() = true;
            state.dispatch(Action::Workshop(step));
        })
    };
    // The toggle opens at the first step not done yet (step 1 when all are done).
    let resume = (1..=total).find(|n| !done.contains(n)).unwrap_or(1);
    let on_toggle = go(if open.is_some() { None } else { Some(resume) });
    let count = done.len();
    let progress_text = format!("{count} of {total} done");

    let bar = html! {
        <div class="workshop-bar">
            <p class="workshop-invite">
                { "New to Step Functions? The workshop walks you through the call-center tutorial, one step at a time." }
                if open.is_none() && count > 0 {
                    <span class="workshop-bar-progress">{ format!(" ({progress_text})") }</span>
                }
            </p>
            <button id="workshop-toggle" type="button" ref={toggle_ref}
                class={classes!("workshop-toggle", open.is_some().then_some("open"))}
                aria-expanded={open.is_some().to_string()}
                aria-controls={open.map(|_| "workshop")}
                onclick={on_toggle}>
                { "Workshop" }<span class="workshop-chevron" aria-hidden="true">{ if open.is_some() { " ▴" } else { " ▾" } }</span>
            </button>
        </div>
    };
    let panel = match open {
        None => Html::default(),
        Some(n) => panel(state, n, &done, &copied, &heading_ref, &focus_next, &go),
    };
    html! { <div class="workshop-root">{ bar }{ panel }</div> }
}

/// The open panel at step `n`.
fn panel(
    state: &UseReducerHandle<Playground>,
    n: usize,
    done: &UseStateHandle<Vec<usize>>,
    copied: &UseStateHandle<Option<Copied>>,
    heading_ref: &NodeRef,
    focus_next: &Rc<RefCell<bool>>,
    go: &dyn Fn(Option<usize>) -> Callback<MouseEvent>,
) -> Html {
    let total = STEPS.len();
    let count = done.len();
    let progress_text = format!("{count} of {total} done");
    let step = &STEPS[n - 1];

    let on_done = {
        let done = done.clone();
        Callback::from(move |e: Event| {
            let checked = e
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .checked();
            let mut next = (*done).clone();
            mark(&mut next, n, checked);
            save_done(&next);
            done.set(next);
        })
    };
    let on_keydown = {
        let state = state.clone();
        let focus_next = focus_next.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                *focus_next.borrow_mut() = true;
                state.dispatch(Action::Workshop(None));
            }
        })
    };
    let copy_button = |what: String, text: String, target: String, described_by: String| {
        let copied = copied.clone();
        let label = format!("Copy {what}");
        let onclick = Callback::from(move |_: MouseEvent| {
            let copied = copied.clone();
            let what = what.clone();
            copy(
                &text,
                &target,
                Callback::from(move |ok| {
                    copied.set(Some(Copied {
                        step: n,
                        what: what.clone(),
                        ok,
                    }))
                }),
            );
        });
        html! {
            <button type="button" class="secondary copy" aria-label={label}
                aria-describedby={described_by} {onclick}>{ "Copy" }</button>
        }
    };
    let commands = step.commands.iter().enumerate().map(|(i, c)| {
        let id = format!("workshop-command-{n}-{i}");
        let label_id = format!("{id}-label");
        html! {
            <li class="workshop-command">
                <p id={label_id.clone()}>{ rich(c.label) }</p>
                <div class="command-row">
                    <pre><code id={id.clone()}>{ c.text }</code></pre>
                    { copy_button(format!("command {}", i + 1), c.text.to_string(), id, label_id) }
                </div>
            </li>
        }
    });
    let link = step_link(n);
    let link_button = {
        let copied = copied.clone();
        let link = link.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            let copied = copied.clone();
            let Some(link) = link.clone() else {
                copied.set(Some(Copied {
                    step: n,
                    what: "link".into(),
                    ok: false,
                }));
                return;
            };
            copy(
                &link,
                "workshop-link-text",
                Callback::from(move |ok| {
                    copied.set(Some(Copied {
                        step: n,
                        what: "link".into(),
                        ok,
                    }))
                }),
            );
        });
        html! {
            <button type="button" id="workshop-link" class="secondary" {onclick}
                title="Copy this page's address, opening the workshop at this step">
                { "Link to this step" }
            </button>
        }
    };
    let status = match &**copied {
        Some(c) if c.step == n => {
            let message = match (c.ok, c.what == "link") {
                (true, true) => "Link copied.".to_string(),
                (true, false) => format!("Copied {}.", c.what),
                (false, _) => "Select the text and copy it.".to_string(),
            };
            html! { <span class={if c.ok { "ok-text" } else { "error-text" }}>{ message }</span> }
        }
        _ => html! {},
    };
    let show_link_text = matches!(&**copied, Some(c) if c.step == n && c.what == "link" && !c.ok);
    let nav = STEPS.iter().enumerate().map(|(i, s)| {
        let k = i + 1;
        let current = k == n;
        let is_done = done.contains(&k);
        html! {
            <li class={classes!(current.then_some("current"), is_done.then_some("done"))}>
                <button type="button" class="workshop-jump" onclick={go(Some(k))}
                    aria-current={current.then_some("step")}>
                    <span class="workshop-mark" aria-hidden="true">{ if is_done { "✓" } else { "" } }</span>
                    <span class="workshop-jump-number">{ format!("{k}. ") }</span>
                    { s.title }
                    if is_done { <span class="visually-hidden">{ " (done)" }</span> }
                </button>
            </li>
        }
    });
    let helpers = step.helpers.iter().map(|h| helper_button(state, *h, n));

    html! {
            <section id="workshop" class="panel workshop" aria-labelledby="workshop-heading" onkeydown={on_keydown}>
                <div class="workshop-head">
                    <h2 id="workshop-heading">{ "Workshop: the call-center tutorial" }</h2>
                    <button type="button" class="secondary workshop-close" onclick={go(None)}
                        aria-label="Close the workshop" title="Close the workshop (Escape)">{ "✕" }</button>
                </div>
                <div class="workshop-progress">
                    <progress id="workshop-progress-bar" max={total.to_string()} value={count.to_string()}
                        aria-labelledby="workshop-progress"></progress>
                    <span id="workshop-progress" aria-live="polite">{ progress_text }</span>
                </div>
                <nav aria-label="Workshop steps">
                    <ol class="workshop-steps">{ for nav }</ol>
                </nav>
                <article class="workshop-step" aria-labelledby="workshop-step-title" data-step={n.to_string()}>
                    <p class="workshop-step-number" id="workshop-step-number">{ format!("Step {n} of {total}") }</p>
                    <h3 id="workshop-step-title" tabindex="-1" ref={heading_ref}>{ step.title }</h3>
                    if state.example.name != "tutorial" {
                        <p class="workshop-note">
                            { format!("The playground shows the “{}” example; this step is about the tutorial. ", state.example.title) }
                            { helper_button(state, Helper::RestoreTutorial, n) }
                        </p>
                    }
                    <h4>{ "What it does" }</h4>
                    { blocks(step.what) }
                    if !step.helpers.is_empty() {
                        <div class="workshop-actions" role="group" aria-label="Try it in the playground">
                            { for helpers }
                        </div>
                    }
                    <h4>{ "What to look at" }</h4>
                    { blocks(step.look) }
                    <h4>{ "On AWS" }</h4>
                    <p>{ rich(step.aws) }</p>
                    <ol class="workshop-commands">{ for commands }</ol>
                    <p class="workshop-status" role="status" id="workshop-status">{ status }</p>
                    if show_link_text {
                        <p class="workshop-link-text"><code id="workshop-link-text">{ link.clone().unwrap_or_default() }</code></p>
                    }
                    <div class="workshop-done">
                        <input id="workshop-done" type="checkbox" checked={done.contains(&n)} onchange={on_done} />
                        <label for="workshop-done">{ "Mark done" }</label>
                    </div>
                    <div class="workshop-nav">
                        <button id="workshop-back" type="button" class="secondary" onclick={go(Some(n - 1))}
                            disabled={n == 1}>{ "◀ Back" }</button>
                        { link_button }
                        <button id="workshop-next" type="button" class="primary" onclick={go(Some(n + 1))}
                            disabled={n == total}>{ "Next ▶" }</button>
                    </div>
                </article>
            </section>
    }
}

/// A step's button that does its part in the playground.
fn helper_button(state: &UseReducerHandle<Playground>, helper: Helper, step: usize) -> Html {
    let label = match helper {
        Helper::ShowMe(_, label) => label.to_string(),
        Helper::SelectState(name) => format!("Select {name}"),
        Helper::RestoreTutorial => "Load the tutorial again".into(),
        Helper::StartCase001 if step == 4 => "Do it for me".into(),
        Helper::StartCase001 => "Start case 001".into(),
        Helper::RunToEnd => "Run it to the end".into(),
        Helper::RunUnresolved => "Do it for me".into(),
        Helper::RandomAgain => "WorkOnCase back to random".into(),
        Helper::Reset => "Reset the playground".into(),
    };
    let title = match helper {
        Helper::StartCase001 => {
            "Load the tutorial if needed, set inputCaseID to 001, and start the execution"
        }
        Helper::RunUnresolved => {
            "Force WorkOnCase unresolved, start the execution, and run it to the end"
        }
        Helper::SelectState(_) => "Select the state and show its step details",
        _ => "",
    };
    let disabled = match helper {
        Helper::RunToEnd => state.running || !state.can_step(),
        Helper::Reset => state.run.is_none(),
        Helper::RandomAgain => state.work_on_case == WorkOnCase::Random,
        _ => false,
    };
    let id = match helper {
        Helper::StartCase001 | Helper::RunUnresolved => format!("workshop-do-{step}"),
        Helper::RunToEnd => "workshop-run".into(),
        Helper::SelectState(name) => {
            format!(
                "workshop-select-{}",
                name.to_ascii_lowercase().replace(' ', "-")
            )
        }
        Helper::RestoreTutorial => "workshop-restore".into(),
        Helper::ShowMe(target, _) => format!("workshop-show-{target}"),
        Helper::RandomAgain => "workshop-random".into(),
        Helper::Reset => "workshop-reset".into(),
    };
    let onclick = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| run_helper(&state, helper))
    };
    html! {
        <button type="button" {id} class={if matches!(helper, Helper::StartCase001 | Helper::RunUnresolved) { "primary" } else { "secondary" }}
            title={(!title.is_empty()).then_some(title)} {disabled} {onclick}>{ label }</button>
    }
}

/// The tutorial's definition and an input that is a JSON object, loading it again if needed.
fn ensure_tutorial(state: &UseReducerHandle<Playground>) {
    if state.example.name != "tutorial" || !state.diagnostics.is_empty() {
        state.dispatch(Action::LoadExample("tutorial"));
    } else if !matches!(
        serde_json::from_str::<serde_json::Value>(&state.input),
        Ok(serde_json::Value::Object(_))
    ) {
        state.dispatch(Action::EditInput(callcenter::TUTORIAL_INPUT.into()));
    }
}

fn run_helper(state: &UseReducerHandle<Playground>, helper: Helper) {
    match helper {
        Helper::ShowMe(id, _) => scroll_to(id),
        Helper::SelectState(name) => {
            state.dispatch(Action::Select(name.into()));
            scroll_to("step-details");
        }
        Helper::RestoreTutorial => state.dispatch(Action::LoadExample("tutorial")),
        Helper::StartCase001 => {
            ensure_tutorial(state);
            state.dispatch(Action::SetCaseId("001".into()));
            state.dispatch(Action::Start);
        }
        Helper::RunToEnd => state.dispatch(Action::RunToEnd),
        Helper::RunUnresolved => {
            ensure_tutorial(state);
            state.dispatch(Action::SetWorkOnCase(WorkOnCase::Unresolved));
            state.dispatch(Action::Start);
            state.dispatch(Action::RunToEnd);
        }
        Helper::RandomAgain => state.dispatch(Action::SetWorkOnCase(WorkOnCase::Random)),
        Helper::Reset => state.dispatch(Action::Reset),
    }
}

/// Opens the step a `#workshop=N` fragment names whenever the fragment changes (or says it
/// names none). The fragment the page opens with is read with the saved work
/// ([`crate::components::link_notice::opening`]).
#[hook]
fn use_hash_link(state: &UseReducerHandle<Playground>) {
    let state = state.clone();
    use_effect_with((), move |_| {
        let open = {
            let state = state.clone();
            let fragment = || location_hash()?.strip_prefix('#').map(str::to_string);
            move || match fragment().as_deref().and_then(workshop_link) {
                Some(Ok(step)) if state.workshop_step != Some(step) => {
                    state.dispatch(Action::Workshop(Some(step)))
                }
                Some(Err(bad)) => state.dispatch(Action::Notify(Notice::NoSuchWorkshopStep(bad))),
                _ => {}
            }
        };
        let listener = Closure::<dyn Fn()>::new(open);
        let w = window();
        if let Some(w) = &w {
            let _ =
                w.add_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
        }
        move || {
            if let Some(w) = &w {
                let _ = w.remove_event_listener_with_callback(
                    "hashchange",
                    listener.as_ref().unchecked_ref(),
                );
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_names_a_step_exactly() {
        assert_eq!(step_from_hash("#workshop=5"), Some(5));
        assert_eq!(step_from_hash("#workshop=1"), Some(1));
        assert_eq!(step_from_hash("#workshop=7"), Some(7));
        for other in [
            "",
            "#",
            "#workshop=",
            "#workshop=0",
            "#workshop=8",
            "#workshop=05",
            "#workshop=+5",
            "#workshop=5x",
            "#workshop=5&x",
            "workshop=5",
            "#v1.abc",
            "#Workshop=5",
        ] {
            assert_eq!(step_from_hash(other), None, "{other:?}");
        }
        assert_eq!(workshop_link("workshop=3"), Some(Ok(3)));
        for (bad, named) in [
            ("workshop=9", "9"),
            ("workshop=05", "05"),
            ("workshop=", ""),
            ("workshop=three", "three"),
        ] {
            assert_eq!(workshop_link(bad), Some(Err(named.to_string())), "{bad:?}");
        }
        for other in ["", "#workshop=3", "v1.abc", "Workshop=5", "something-else"] {
            assert_eq!(workshop_link(other), None, "{other:?}");
        }
    }

    #[test]
    fn stored_progress_is_read_forgivingly() {
        assert_eq!(parse_done(None), Vec::<usize>::new());
        assert_eq!(parse_done(Some("")), Vec::<usize>::new());
        assert_eq!(parse_done(Some("{not json")), Vec::<usize>::new());
        assert_eq!(parse_done(Some("{\"1\":true}")), Vec::<usize>::new());
        assert_eq!(parse_done(Some("3")), Vec::<usize>::new());
        assert_eq!(parse_done(Some("null")), Vec::<usize>::new());
        assert_eq!(
            parse_done(Some("[3, 1, 1, 0, 8, -2, 2.5, \"4\", null, 7]")),
            vec![1, 3, 7]
        );
    }

    #[test]
    fn every_step_has_text_and_commands() {
        assert_eq!(STEPS.len(), 7);
        for step in STEPS {
            assert!(!step.title.is_empty() && !step.what.is_empty() && !step.look.is_empty());
            assert!(!step.commands.is_empty(), "{}", step.title);
            for c in step.commands {
                assert!(c.text.starts_with("aws "), "{}", c.text);
                // Markup is balanced, so nothing is shown with a stray backtick or asterisks.
                assert_eq!(c.label.matches('`').count() % 2, 0);
            }
        }
        let all: String = STEPS
            .iter()
            .flat_map(|s| s.commands.iter().map(|c| c.text))
            .collect::<Vec<_>>()
            .join("\n");
        for must in [
            "aws cloudformation create-stack --stack-name call-center-functions --template-body file://call-center-functions.yml --capabilities CAPABILITY_IAM",
            "aws lambda list-functions",
            "aws cloudformation create-stack --stack-name call-center --template-body file://call-center.yml --capabilities CAPABILITY_IAM",
            "aws stepfunctions list-state-machines",
            "aws stepfunctions start-execution --state-machine-arn <arn> --input '{\"inputCaseID\": \"001\"}'",
            "aws stepfunctions describe-execution",
            "aws stepfunctions get-execution-history",
            "aws cloudformation delete-stack --stack-name call-center\n",
            "aws cloudformation delete-stack --stack-name call-center-functions",
        ] {
            assert!(all.contains(must), "missing: {must}");
        }
        assert!(!all.contains("perl"));
    }

    #[test]
    fn markup_is_balanced_in_every_sentence() {
        let mut texts: Vec<&str> = Vec::new();
        for step in STEPS {
            for b in step.what.iter().chain(step.look) {
                match b {
                    Block::P(t) => texts.push(t),
                    Block::List(items) => texts.extend(items.iter()),
                }
            }
            texts.push(step.aws);
        }
        for t in texts {
            assert_eq!(t.matches('`').count() % 2, 0, "{t}");
            assert_eq!(t.matches("**").count() % 2, 0, "{t}");
        }
    }
}
