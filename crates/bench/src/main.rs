//! The native runner of `cargo xtask bench`.
//!
//! * `bench write DIR`: writes every workload to `DIR/<id>.json` (and `DIR/workloads.txt`,
//!   their ids in order).
//! * `bench run FILE|ID`: runs one workload (its file, or its id) with our engine, natively, and prints one JSON
//!   line: `{"ms", "events", "status", "output", "max_rss_kb"}` (`max_rss_kb` is VmHWM from
//!   /proc/self/status: the peak of this process, which ran only this workload).
//! * `bench compare --dir DIR --node NODE --driver bench/driver.mjs --wasm PKG/bench.js
//!   [--page-script e2e/bench-page.mjs [--page-baseline DIST]] [--repeat N] [--only ID]`: writes the workloads, runs every (engine, workload)
//!   in a process of its own (ours natively with `bench run`, ours in wasm and
//!   aws-local-stepfunctions with the Node driver), checks that the engines agree, and prints
//!   one table.

use bench::{
    jsonata_workloads, report_json, thousands, workloads, Job, JsonataWorkload, Workload, DATASET5,
};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args.first().map(String::as_str) {
        Some("write") if args.len() == 2 => write(Path::new(&args[1])).map(|_| ExitCode::SUCCESS),
        Some("run") if args.len() == 2 => run_file(Path::new(&args[1])),
        Some("compare") => compare(&args[1..]),
        _ => Err("usage: bench write DIR | bench run FILE|ID | bench compare --dir DIR --node NODE \
                  --driver DRIVER.mjs --wasm PKG.js [--page-script SCRIPT.mjs [--page-baseline DIST]] [--repeat N] [--only ID]"
            .to_string()),
    };
    outcome.unwrap_or_else(|message| {
        eprintln!("bench: {message}");
        ExitCode::FAILURE
    })
}

/// Writes the workload files (ASL, then JSONata); returns the workloads.
fn write(dir: &Path) -> Result<(Vec<Workload>, Vec<JsonataWorkload>), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let all = workloads();
    for w in &all {
        w.check_limits()?;
        let path = dir.join(format!("{}.json", w.id));
        let text = serde_json::to_string(&w.to_json()).expect("a Value serializes");
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let jsonata = jsonata_workloads(read_dataset5().as_ref());
    for w in &jsonata {
        let path = dir.join(format!("{}.json", w.id));
        let text = serde_json::to_string(&w.to_json()).expect("a Value serializes");
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let ids: Vec<&str> = all
        .iter()
        .map(|w| w.id.as_str())
        .chain(jsonata.iter().map(|w| w.id.as_str()))
        .collect();
    let list = dir.join("workloads.txt");
    std::fs::write(&list, ids.join("\n") + "\n").map_err(|e| format!("{}: {e}", list.display()))?;
    Ok((all, jsonata))
}

/// The JSONata suite's dataset5, read at run time from [`DATASET5`] (relative to the
/// repository root); `None` (its rows are left out, with a warning) when it is not there.
fn read_dataset5() -> Option<Value> {
    match std::fs::read_to_string(DATASET5) {
        Ok(text) => match serde_json::from_str(&text) {
            Ok(value) => Some(value),
            Err(e) => {
                eprintln!("[bench] {DATASET5}: {e}: no dataset5 rows");
                None
            }
        },
        Err(e) => {
            eprintln!("[bench] {DATASET5}: {e}: no dataset5 rows");
            None
        }
    }
}

fn read_workload(path: &Path) -> Result<Job, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let value: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    Job::from_json(&value)
}

/// Runs a workload file, or a workload by its id (`bench run choice-loop`).
fn run_file(path: &Path) -> Result<ExitCode, String> {
    let workload = if path.exists() {
        read_workload(path)?
    } else {
        let id = path.to_string_lossy();
        let jsonata = || jsonata_workloads(read_dataset5().as_ref());
        workloads()
            .into_iter()
            .map(Job::Asl)
            .chain(jsonata().into_iter().map(Job::Jsonata))
            .find(|w| match w {
                Job::Asl(w) => w.id == id,
                Job::Jsonata(w) => w.id == id,
            })
            .ok_or_else(|| {
                let ids: Vec<String> = workloads()
                    .into_iter()
                    .map(|w| w.id)
                    .chain(jsonata().into_iter().map(|w| w.id))
                    .collect();
                format!(
                    "no file or workload named {id} (workloads: {})",
                    ids.join(", ")
                )
            })?
    };
    let started = Instant::now();
    let outcome = workload.run();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let mut line = report_json(&outcome);
    line.insert("ms".into(), ((ms * 10.0).round() / 10.0).into());
    line.insert(
        "max_rss_kb".into(),
        max_rss_kb().map_or(Value::Null, Value::from),
    );
    println!("{}", Value::Object(line));
    Ok(ExitCode::SUCCESS)
}

/// This process's peak resident set size (VmHWM), in KiB.
fn max_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

struct Options {
    dir: PathBuf,
    node: String,
    driver: String,
    wasm: String,
    page_script: Option<String>,
    /// A dist/ built before (`--page-baseline DIR`): the page rows are measured there too,
    /// in a column beside this dist/'s.
    page_baseline: Option<String>,
    /// Runs of each (engine, workload); the fastest is kept.
    repeat: u32,
    /// Only the workloads whose id contains this.
    only: Option<String>,
}

fn options(args: &[String]) -> Result<Options, String> {
    let get = |name: &str| -> Option<String> {
        let at = args.iter().position(|a| a == name)?;
        args.get(at + 1).cloned()
    };
    let need =
        |value: Option<String>, name: &str| value.ok_or(format!("compare: {name} is required"));
    Ok(Options {
        dir: PathBuf::from(need(get("--dir"), "--dir")?),
        node: need(get("--node"), "--node")?,
        driver: need(get("--driver"), "--driver")?,
        wasm: need(get("--wasm"), "--wasm")?,
        page_script: get("--page-script"),
        page_baseline: get("--page-baseline"),
        repeat: match get("--repeat") {
            Some(n) => n
                .parse()
                .ok()
                .filter(|&n| n >= 1)
                .ok_or("compare: --repeat needs a count >= 1")?,
            None => 1,
        },
        only: get("--only"),
    })
}

/// One (engine, workload) measurement: the runner's JSON line, or why there is none.
type Cell = Result<Map<String, Value>, String>;

/// [`measure`] `repeat` times: the fastest run (an error as soon as one fails).
fn fastest(repeat: u32, mut command: impl FnMut() -> Command) -> Cell {
    let mut best: Option<Map<String, Value>> = None;
    for _ in 0..repeat {
        let cell = measure(&mut command())?;
        let ms = |m: &Map<String, Value>| m.get("ms").and_then(Value::as_f64).unwrap_or(f64::MAX);
        if best.as_ref().is_none_or(|b| ms(&cell) < ms(b)) {
            best = Some(cell);
        }
    }
    best.ok_or_else(|| "not run".to_string())
}

/// Runs a command that prints one JSON line (its last line of standard output).
fn measure(command: &mut Command) -> Cell {
    let output = command.output().map_err(|e| format!("cannot start: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let last = stdout
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with('{'));
    match (output.status.success(), last) {
        (true, Some(line)) => match serde_json::from_str(line) {
            Ok(Value::Object(map)) => Ok(map),
            _ => Err(format!("not a JSON object: {line}")),
        },
        _ => {
            let stderr = String::from_utf8_lossy(&output.stderr);
            // Node's stack traces: the error's own line says the most.
            let is_error_line = |l: &&str| {
                let head = l.trim().split([':', ' ']).next().unwrap_or("");
                head.ends_with("Error") || l.starts_with("bench:")
            };
            let said = match stderr.lines().find(is_error_line) {
                Some(line) => line.trim().to_string(),
                None => {
                    let tail: Vec<&str> = stderr.lines().rev().take(3).collect();
                    tail.into_iter().rev().collect::<Vec<_>>().join(" | ")
                }
            };
            Err(format!("{}: {said}", output.status))
        }
    }
}

/// Runs one workload file with the three engines, each in a process of its own.
fn measure_three(opts: &Options, me: &Path, file: &Path) -> (Cell, Cell, Cell) {
    let native = fastest(opts.repeat, || {
        let mut c = Command::new(me);
        c.arg("run").arg(file);
        c
    });
    let wasm = fastest(opts.repeat, || {
        let mut c = Command::new(&opts.node);
        c.arg(&opts.driver)
            .arg("ours-wasm")
            .arg(file)
            .arg(&opts.wasm);
        c
    });
    let peer = fastest(opts.repeat, || {
        let mut c = Command::new(&opts.node);
        c.arg(&opts.driver).arg("peer").arg(file);
        c
    });
    for (engine, cell) in [
        ("ours native", &native),
        ("ours wasm", &wasm),
        ("peer", &peer),
    ] {
        eprintln!(
            "[bench]   {engine:<11} {}",
            match cell {
                Ok(map) => Value::Object(map.clone()).to_string(),
                Err(e) => format!("error: {e}"),
            }
        );
    }
    (native, wasm, peer)
}

fn compare(args: &[String]) -> Result<ExitCode, String> {
    let opts = options(args)?;
    let (all, jsonata) = write(&opts.dir)?;
    let me = std::env::current_exe().map_err(|e| format!("current_exe: {e}"))?;
    let wanted = |id: &str| opts.only.as_ref().is_none_or(|o| id.contains(o.as_str()));

    let mut rows: Vec<Row> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let mut failed = false;
    for w in all.iter().filter(|w| wanted(&w.id)) {
        let file = opts.dir.join(format!("{}.json", w.id));
        eprintln!("[bench] {} …", w.label);
        let (native, wasm, peer) = measure_three(&opts, &me, &file);
        failed |= check(
            &w.label,
            Some(w.executions),
            &native,
            &wasm,
            &peer,
            &mut notes,
        );
        rows.push(Row {
            label: w.label.clone(),
            native,
            wasm,
            peer,
            note: None,
        });
    }

    // JSONata: ours (the jsonata crate) against jsonata-js 2.0.6, in a table of its own.
    let mut jsonata_rows: Vec<Row> = Vec::new();
    let mut jsonata_notes: Vec<String> = Vec::new();
    for w in jsonata.iter().filter(|w| wanted(&w.id)) {
        let file = opts.dir.join(format!("{}.json", w.id));
        eprintln!("[bench] {} …", w.label);
        let (native, wasm, peer) = measure_three(&opts, &me, &file);
        failed |= check(&w.label, None, &native, &wasm, &peer, &mut jsonata_notes);
        jsonata_rows.push(Row {
            label: w.label.clone(),
            native,
            wasm,
            peer,
            note: None,
        });
    }

    let page_rows = match &opts.page_script {
        Some(script) if Path::new(script).exists() => page_rows(&opts, script, &mut failed),
        _ => Vec::new(),
    };

    if !rows.is_empty() {
        print_table(&rows);
    }
    for row in &rows {
        if let Some(note) = &row.note {
            println!("- {note}");
        }
    }
    for note in &notes {
        println!("- {note}");
    }
    if !rows.is_empty() {
        println!(
            "- each cell is one process running one workload (load the definition, then run every \
         execution to its end); ms is wall time of that part only{}; max RSS is the process's \
         peak (Node's includes the runtime itself, ~40-50 MB).",
            if opts.repeat > 1 {
                format!(", the fastest of {} runs", opts.repeat)
            } else {
                String::new()
            }
        );
    }
    if !jsonata_rows.is_empty() {
        println!();
        println!("JSONata: ours (crates/jsonata) vs jsonata-js 2.0.6 (peer), both under Node.js 22 for wasm/peer");
        print_table(&jsonata_rows);
        for note in &jsonata_notes {
            println!("- {note}");
        }
        println!(
            "- each cell is one process: compile the expression once, then evaluate it the row's \
             count of times over the same input (jsonata-js: `await expr.evaluate(input)`); ms is \
             wall time of that part only{}. The last results are compared (FNV digest of their JSON).",
            if opts.repeat > 1 {
                format!(", the fastest of {} runs", opts.repeat)
            } else {
                String::new()
            }
        );
    }
    if !page_rows.is_empty() {
        print_page_table(&opts, &page_rows);
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

struct Row {
    label: String,
    native: Cell,
    wasm: Cell,
    peer: Cell,
    note: Option<String>,
}

fn str_of<'a>(cell: &'a Cell, key: &str) -> Option<&'a str> {
    cell.as_ref().ok()?.get(key)?.as_str()
}

/// Checks that the engines agree; adds notes, loud ones for mismatches. `true` when ours
/// natively and ours in wasm disagree (the same code: that is a bug).
/// `executions`: the ASL workload's count (`None` for a JSONata one: no history events).
fn check(
    label: &str,
    executions: Option<u32>,
    native: &Cell,
    wasm: &Cell,
    peer: &Cell,
    notes: &mut Vec<String>,
) -> bool {
    let mut ours_disagree = false;
    for (engine, cell) in [("ours native", native), ("ours wasm", wasm), ("peer", peer)] {
        match cell {
            Err(e) => notes.push(format!("{}: {engine} did not run: {e}", label)),
            Ok(map) => {
                if let Some(why) = map.get("unsupported").and_then(Value::as_str) {
                    notes.push(format!("{}: {engine}: {why}", label));
                }
                if let Some(note) = map.get("note").and_then(Value::as_str) {
                    notes.push(format!("{}: {engine}: {note}", label));
                }
                if let Some(warning) = map.get("warning").and_then(Value::as_str) {
                    notes.push(format!("{}: {engine}: WARNING {warning}", label));
                }
                if let Some(error) = map.get("error").and_then(Value::as_str) {
                    notes.push(format!("{}: {engine} failed: {error}", label));
                }
            }
        }
    }
    let ran = |cell: &Cell| {
        cell.as_ref()
            .is_ok_and(|m| m.get("unsupported").is_none() && m.get("status").is_some())
    };
    let mut pairs = vec![("ours native", native, "ours wasm", wasm)];
    pairs.push(("ours native", native, "peer", peer));
    if !ran(native) {
        pairs.push(("ours wasm", wasm, "peer", peer));
    }
    for (a_name, a, b_name, b) in pairs {
        if !(ran(a) && ran(b)) {
            continue;
        }
        let mut differences = Vec::new();
        for key in ["status", "output"] {
            let (x, y) = (str_of(a, key), str_of(b, key));
            if x != y {
                differences.push(format!(
                    "{key} {} vs {}",
                    x.unwrap_or("null"),
                    y.unwrap_or("null")
                ));
            }
        }
        let events = |c: &Cell| {
            c.as_ref()
                .ok()
                .and_then(|m| m.get("events"))
                .and_then(Value::as_u64)
        };
        if b_name == "ours wasm" && events(a) != events(b) {
            differences.push(format!("events {:?} vs {:?}", events(a), events(b)));
        }
        if !differences.is_empty() {
            let line = format!(
                "!!! MISMATCH !!! {}: {a_name} vs {b_name}: {}",
                label,
                differences.join("; ")
            );
            eprintln!("{line}");
            notes.push(line);
            ours_disagree |= b_name == "ours wasm";
        }
    }
    if let (Some(executions), Some(events)) = (
        executions,
        native
            .as_ref()
            .ok()
            .and_then(|m| m.get("events"))
            .and_then(Value::as_u64),
    ) {
        let per = if executions > 1 { " per execution" } else { "" };
        notes.push(format!(
            "{}: {} history events{per} (ours){}",
            label,
            thousands(events),
            str_of(native, "status")
                .map(|s| format!(", {s}"))
                .unwrap_or_default()
        ));
    }
    ours_disagree
}

fn ms(cell: &Cell) -> Option<f64> {
    cell.as_ref().ok()?.get("ms")?.as_f64()
}

fn rss_mb(cell: &Cell) -> String {
    if cell.as_ref().is_ok_and(|m| m.get("unsupported").is_some()) {
        return "–".into();
    }
    match cell
        .as_ref()
        .ok()
        .and_then(|m| m.get("max_rss_kb"))
        .and_then(Value::as_f64)
    {
        Some(kb) => format!("{:.1}", kb / 1024.0),
        None => "–".into(),
    }
}

/// A time cell: milliseconds, or why there is none.
fn time_cell(cell: &Cell) -> String {
    match cell {
        Ok(map) if map.get("unsupported").is_some() => {
            let why = map["unsupported"].as_str().unwrap_or("n/a");
            if why.starts_with("n/a") {
                why.to_string()
            } else {
                "unsupported".to_string()
            }
        }
        Ok(_) => ms(cell).map_or("–".into(), |ms| format!("{ms:.1}")),
        Err(e) if e == "–" => "–".into(),
        Err(_) => "error".into(),
    }
}

fn ratio(peer: &Cell, ours: &Cell) -> String {
    let ran = |c: &Cell| c.as_ref().is_ok_and(|m| m.get("unsupported").is_none());
    match (ms(peer), ms(ours)) {
        (Some(p), Some(o)) if o > 0.0 && ran(peer) && ran(ours) => format!("{:.1}×", p / o),
        _ => "–".into(),
    }
}

/// One row of the page's table (see e2e/bench-page.mjs): its label and target, and its ms in
/// each dist/ measured (the baseline's first, when there is one).
struct PageRow {
    id: String,
    label: String,
    target: String,
    ms: Vec<Option<f64>>,
}

/// Runs the page script (`repeat` times, keeping each row's fastest) against the baseline
/// dist/, if any, then dist/; the rows in the script's order.
fn page_rows(opts: &Options, script: &str, failed: &mut bool) -> Vec<PageRow> {
    let dists: Vec<Option<&str>> = match &opts.page_baseline {
        Some(dir) => vec![Some(dir.as_str()), None],
        None => vec![None],
    };
    let mut rows: Vec<PageRow> = Vec::new();
    for (column, dist) in dists.iter().enumerate() {
        for _ in 0..opts.repeat {
            eprintln!(
                "[bench] page: {script} on {} …",
                dist.unwrap_or("dist/ (this build)")
            );
            let mut c = Command::new(&opts.node);
            c.arg(script);
            if let Some(dir) = dist {
                c.env("E2E_DIST", dir);
            }
            let cell = measure(&mut c);
            let found = match &cell {
                Ok(map) => map.get("rows").and_then(Value::as_array).cloned(),
                Err(e) => {
                    eprintln!("[bench] page: {e}");
                    None
                }
            };
            *failed |= cell.is_err();
            for r in found.unwrap_or_default() {
                let text = |key: &str| r.get(key).and_then(Value::as_str).unwrap_or("").to_string();
                let id = text("id");
                let at = match rows.iter().position(|row| row.id == id) {
                    Some(at) => at,
                    None => {
                        rows.push(PageRow {
                            id,
                            label: text("label"),
                            target: text("target"),
                            ms: vec![None; dists.len()],
                        });
                        rows.len() - 1
                    }
                };
                if let Some(ms) = r.get("ms").and_then(Value::as_f64) {
                    let best = &mut rows[at].ms[column];
                    *best = Some(best.map_or(ms, |b| b.min(ms)));
                }
            }
        }
    }
    rows
}

fn print_page_table(opts: &Options, rows: &[PageRow]) {
    println!();
    println!(
        "The page: headless Chromium, as a person uses it (e2e/bench-page.mjs; ms in the page's clock{})",
        if opts.repeat > 1 {
            format!(", the fastest of {} runs", opts.repeat)
        } else {
            String::new()
        }
    );
    let mut header = vec!["page".to_string()];
    if let Some(dir) = &opts.page_baseline {
        header.push(format!("before: {dir}"));
        header.push("after: dist/".into());
    } else {
        header.push("dist/".into());
    }
    header.push("target".into());
    let cell = |ms: &Option<f64>| match ms {
        Some(ms) => format!("{ms:.1}"),
        None => "–".into(),
    };
    let lines: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut line = vec![r.label.clone()];
            line.extend(r.ms.iter().map(cell));
            line.push(r.target.clone());
            line
        })
        .collect();
    print_grid(&header, lines);
}

fn print_table(rows: &[Row]) {
    let header = [
        "workload",
        "ours native (ms)",
        "ours wasm (ms)",
        "peer (ms)",
        "peer/ours native",
        "peer/ours wasm",
        "max RSS native (MB)",
        "max RSS wasm (MB)",
        "max RSS peer (MB)",
    ];
    let lines: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.label.clone(),
                time_cell(&r.native),
                time_cell(&r.wasm),
                time_cell(&r.peer),
                ratio(&r.peer, &r.native),
                ratio(&r.peer, &r.wasm),
                rss_mb(&r.native),
                rss_mb(&r.wasm),
                rss_mb(&r.peer),
            ]
        })
        .collect();
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    print_grid(&header, lines);
}

/// A Markdown table: the first column left-aligned, the others right-aligned.
fn print_grid(header: &[String], lines: Vec<Vec<String>>) {
    let width = |i: usize| {
        lines
            .iter()
            .map(|l| l[i].chars().count())
            .chain([header[i].chars().count()])
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..header.len()).map(width).collect();
    let print = |cells: Vec<String>| {
        let padded: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let pad = widths[i] - c.chars().count();
                if i == 0 {
                    format!("{c}{}", " ".repeat(pad))
                } else {
                    format!("{}{c}", " ".repeat(pad))
                }
            })
            .collect();
        println!("| {} |", padded.join(" | "));
    };
    println!();
    print(header.to_vec());
    let rule: Vec<String> = widths
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if i == 0 {
                "-".repeat(w + 2)
            } else {
                format!("{}:", "-".repeat(w + 1))
            }
        })
        .collect();
    println!("|{}|", rule.join("|"));
    for line in lines {
        print(line);
    }
    println!();
}
