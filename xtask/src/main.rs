//! `cargo xtask <command>`: the one entry point to set up, serve, build and test sfn-playground.
//!
//! Std only, so it compiles in a second or two. Every tool comes from a registry (crates.io,
//! Debian, npm, PyPI); nothing is downloaded from anywhere else (see ../shared/TOOLCHAIN.md).
//!
//! * `setup`: installs what is missing, one line per step (`ok` or `installing`); idempotent.
//! * `serve`: setup, then `trunk serve` on http://127.0.0.1:8080.
//! * `build`: setup, then `trunk build --release` into dist/, and the .wasm size (raw and gzip -9).
//! * `test`:  setup, then every test in order, stopping at the first failure:
//!   native `cargo test --workspace`, the CloudFormation export (`sfn export` of every
//!   example, linted by cfn-lint and read back), wasm-bindgen-test in headless Chromium,
//!   `trunk build --release`, and the end-to-end tests (`node --test`, Playwright + Chromium).
//! * `bench`: the engine and JSONata against their JavaScript peers (see `bench.rs`).
//! * `fuzz`:  the cargo-fuzz targets in fuzz/, seeded, for N seconds each (see `fuzz.rs`).

use std::collections::hash_map::DefaultHasher;
use std::env;
use std::ffi::OsString;
use std::fs;
use std::hash::Hasher;
use std::io::{BufRead, BufReader, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

mod bench;
mod fuzz;

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const TRUNK_VERSION: &str = "0.21.14";
const APT_PACKAGES: [(&str, &str); 2] = [
    ("chromium", "/usr/bin/chromium"),
    ("chromium-driver", "/usr/bin/chromedriver"),
];
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const SERVE_ADDRESS: &str = "127.0.0.1";
const SERVE_PORT: u16 = 8080;
/// Written into node_modules/ after a successful `npm ci`: a hash of package.json + package-lock.json.
const NPM_STAMP: &str = "node_modules/.xtask-npm-stamp";
/// cfn-lint, from PyPI, in a virtualenv of its own: it checks the exported templates.
const CFN_LINT_VERSION: &str = "1.58.0";
const VENV: &str = "target/venv";
/// Where the export stage writes (and the export crate's tests write their tricky cases).
const EXPORT_DIR: &str = "target/export";
/// The exports' definitions as check_export.py resolves them, for cfn-lint's schema.
const EXPORT_RESOLVED_DIR: &str = "target/export-resolved";
/// Environment variable equivalent of `cargo xtask test --e2e-filter`.
const E2E_FILTER_ENV: &str = "SFN_E2E_FILTER";

type Result<T = ()> = std::result::Result<T, String>;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  setup                 install what is missing (wasm target, trunk, wasm-bindgen-cli,
                        chromium + chromium-driver, npm packages, cfn-lint in target/venv);
                        a second run installs nothing
  serve [--release]     setup, then serve the playground at http://127.0.0.1:8080
  build                 setup, then `trunk build --release` into dist/ and print the .wasm size
  test [options]        setup, then every test, stopping at the first failure:
                          1. cargo test --workspace (native)
                          2. export: sfn export of every example (both modes) into
                             target/export/, cfn-lint on every template, and each
                             definition read back (xtask/check_export.py)
                          3. wasm-bindgen-test in headless Chromium (tests/*.rs)
                          4. trunk build --release (dist/)
                          5. end-to-end tests: node --test e2e/*.test.mjs (Playwright + Chromium)
      --e2e-filter <s>  run only the e2e test files whose name contains <s> (e.g. `smoke`);
                        if no file name matches, <s> is used as --test-name-pattern.
                        Same as the environment variable SFN_E2E_FILTER.
  bench [--repeat N] [--only ID-PART] [--page-baseline DIST]
                        two tables: our engine natively and in wasm (Node.js 22) against
                        aws-local-stepfunctions 3.0.0, and our JSONata against jsonata-js
                        2.0.6 (Node.js 22), time and peak memory per workload (the fastest of
                        N runs each; default 1; --only: the workloads whose id contains it);
                        then the page's table (e2e/bench-page.mjs on dist/: drawing, Run to
                        end, keystrokes, pastes). --only page: the page's table alone;
                        --page-baseline DIST: a column for a dist/ built before, beside it.
                        Installs bench/'s npm packages on first run
  fuzz [TARGET] [--seconds N]
                        run one cargo-fuzz target in fuzz/ (or each in turn) for N seconds
                        (default 60), seeded from ../shared/conformance; then per target:
                        executions, seconds, findings (in fuzz/artifacts/). Installs the
                        nightly toolchain and cargo-fuzz 0.13.2 on first run
";

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let outcome = Ctx::new().and_then(|ctx| match args.first().map(String::as_str) {
        Some("setup") => no_options(&args[1..]).and_then(|()| ctx.setup()),
        Some("serve") => ctx.serve(&args[1..]),
        Some("build") => no_options(&args[1..]).and_then(|()| ctx.build()),
        Some("test") => TestOptions::parse(&args[1..]).and_then(|opts| ctx.test(&opts)),
        Some("bench") => ctx.bench(&args[1..]),
        Some("fuzz") => ctx.fuzz(&args[1..]),
        Some("help" | "-h" | "--help") => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command `{other}`\n\n{USAGE}")),
        None => Err(format!("no command given\n\n{USAGE}")),
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nxtask: error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn no_options(args: &[String]) -> Result {
    match args.first() {
        None => Ok(()),
        Some(arg) => Err(format!("unexpected argument `{arg}`\n\n{USAGE}")),
    }
}

struct TestOptions {
    e2e_filter: Option<String>,
}

impl TestOptions {
    fn parse(args: &[String]) -> Result<Self> {
        let mut e2e_filter = env::var(E2E_FILTER_ENV).ok().filter(|s| !s.is_empty());
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            if arg == "--e2e-filter" {
                let value = args.next().ok_or("--e2e-filter needs a value")?;
                e2e_filter = Some(value.clone());
            } else if let Some(value) = arg.strip_prefix("--e2e-filter=") {
                e2e_filter = Some(value.to_string());
            } else {
                return Err(format!("unexpected argument `{arg}`\n\n{USAGE}"));
            }
        }
        Ok(TestOptions { e2e_filter })
    }
}

/// Where things are, and the PATH every child process gets.
struct Ctx {
    root: PathBuf,
    cargo: OsString,
    /// node_modules/.bin (wasm-opt), then `$CARGO_HOME/bin` (where `cargo install` puts trunk
    /// and wasm-bindgen), then the inherited PATH.
    path: OsString,
}

impl Ctx {
    fn new() -> Result<Self> {
        let root = find_root()?;
        let cargo_home = env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
            .ok_or("neither CARGO_HOME nor HOME is set")?;
        let mut dirs = vec![
            root.join("node_modules").join(".bin"),
            cargo_home.join("bin"),
        ];
        dirs.extend(env::split_paths(&env::var_os("PATH").unwrap_or_default()));
        let path = env::join_paths(dirs).map_err(|e| format!("cannot build PATH: {e}"))?;
        let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        Ok(Ctx { root, cargo, path })
    }

    /// A command run at the repository root with our PATH, without the variables `cargo run`
    /// set for the xtask itself (they describe the xtask package, not the child's).
    fn cmd(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(&self.root).env("PATH", &self.path);
        for (key, _) in env::vars_os() {
            let key = key.to_string_lossy();
            if key.starts_with("CARGO_PKG_")
                || matches!(
                    &*key,
                    "CARGO_MANIFEST_DIR"
                        | "CARGO_MANIFEST_PATH"
                        | "CARGO_CRATE_NAME"
                        | "CARGO_BIN_NAME"
                        | "CARGO_PRIMARY_PACKAGE"
                )
            {
                cmd.env_remove(&*key);
            }
        }
        cmd
    }

    fn cargo(&self) -> Command {
        self.cmd(&self.cargo)
    }

    fn trunk(&self) -> Command {
        let mut cmd = self.cmd("trunk");
        cmd.env("TRUNK_SKIP_VERSION_CHECK", "true");
        cmd
    }

    // ------------------------------------------------------------------ setup

    fn setup(&self) -> Result {
        let started = Instant::now();
        let wasm_bindgen = self.wasm_bindgen_version()?;
        self.check_trunk_toml(&wasm_bindgen)?;
        self.step_wasm_target()?;
        self.step_trunk()?;
        self.step_wasm_bindgen(&wasm_bindgen)?;
        self.step_apt()?;
        self.step_npm()?;
        self.step_cfn_lint()?;
        println!("[setup] done in {}", secs(started.elapsed()));
        Ok(())
    }

    /// The `wasm-bindgen` version in Cargo.lock: the CLI must be exactly this version.
    fn wasm_bindgen_version(&self) -> Result<String> {
        let lock = read(&self.root.join("Cargo.lock"))?;
        lock_version(&lock, "wasm-bindgen").ok_or_else(|| {
            "Cargo.lock has no `wasm-bindgen` package (is the root crate's dependency missing?)"
                .to_string()
        })
    }

    fn check_trunk_toml(&self, wasm_bindgen: &str) -> Result {
        let trunk_toml = read(&self.root.join("Trunk.toml"))?;
        let expected = format!("wasm_bindgen = \"{wasm_bindgen}\"");
        if trunk_toml.lines().any(|line| line.trim() == expected) {
            Ok(())
        } else {
            Err(format!(
                "Trunk.toml's [tools] must say `{expected}` (the wasm-bindgen version in Cargo.lock); \
                 otherwise Trunk tries to download another wasm-bindgen"
            ))
        }
    }

    fn step_wasm_target(&self) -> Result {
        let name = format!("rust target {WASM_TARGET}");
        let installed = |ctx: &Ctx| match ctx.stdout_of(ctx.cmd("rustup").args([
            "target",
            "list",
            "--installed",
        ])) {
            Some(list) => list.lines().any(|l| l.trim() == WASM_TARGET),
            // No rustup: look into the sysroot instead.
            None => ctx
                .stdout_of(ctx.cmd("rustc").args(["--print", "sysroot"]))
                .is_some_and(|sysroot| {
                    Path::new(sysroot.trim())
                        .join("lib/rustlib")
                        .join(WASM_TARGET)
                        .is_dir()
                }),
        };
        if installed(self) {
            return step_ok(&name, "");
        }
        step_installing(&name, &format!("rustup target add {WASM_TARGET}"));
        self.run(self.cmd("rustup").args(["target", "add", WASM_TARGET]))?;
        if !installed(self) {
            return Err(format!("{name}: still missing after `rustup target add`"));
        }
        Ok(())
    }

    fn step_trunk(&self) -> Result {
        let name = format!("trunk {TRUNK_VERSION}");
        let installed = |ctx: &Ctx| ctx.tool_version("trunk").as_deref() == Some(TRUNK_VERSION);
        if installed(self) {
            return step_ok(&name, "");
        }
        // trunk 0.22 needs a newer rustc than this machine's 1.95: stay on 0.21.14, --locked.
        let args = ["install", "trunk", "--version", TRUNK_VERSION, "--locked"];
        step_installing(&name, &format!("cargo {}", args.join(" ")));
        self.run(self.cargo().args(args))?;
        if !installed(self) {
            return Err(format!(
                "{name}: `trunk --version` still disagrees after installing"
            ));
        }
        Ok(())
    }

    fn step_wasm_bindgen(&self, version: &str) -> Result {
        let name = format!("wasm-bindgen-cli {version}");
        let installed = |ctx: &Ctx| {
            ctx.tool_version("wasm-bindgen").as_deref() == Some(version)
                && ctx.tool_version("wasm-bindgen-test-runner").as_deref() == Some(version)
        };
        if installed(self) {
            return step_ok(&name, "(version from Cargo.lock)");
        }
        // Without --locked: the CLI's own lockfile pins a webpki-roots release the registry lacks.
        let args = ["install", "wasm-bindgen-cli", "--version", version];
        step_installing(&name, &format!("cargo {}", args.join(" ")));
        self.run(self.cargo().args(args))?;
        if !installed(self) {
            return Err(format!(
                "{name}: `wasm-bindgen --version` still disagrees after installing"
            ));
        }
        Ok(())
    }

    fn step_apt(&self) -> Result {
        let name = APT_PACKAGES.map(|(package, _)| package).join(" + ");
        let missing = |ctx: &Ctx| -> Vec<&'static str> {
            let statuses = ctx
                .stdout_of(
                    ctx.cmd("dpkg-query")
                        .args(["-W", "-f=${Package} ${Status}\\n"])
                        .args(APT_PACKAGES.map(|(package, _)| package)),
                )
                .unwrap_or_default();
            APT_PACKAGES
                .iter()
                .filter(|(package, binary)| {
                    let by_dpkg = statuses.lines().any(|l| {
                        l.starts_with(&format!("{package} ")) && l.ends_with(" installed")
                    });
                    !(by_dpkg && Path::new(binary).exists())
                })
                .map(|(package, _)| *package)
                .collect()
        };
        let before = missing(self);
        if before.is_empty() {
            return step_ok(&name, "(/usr/bin/chromium, /usr/bin/chromedriver)");
        }
        step_installing(
            &name,
            &format!("apt-get update && apt-get install -y {}", before.join(" ")),
        );
        let sudo = self.sudo_prefix()?;
        let apt = |args: &[&str]| {
            let mut cmd = match &sudo {
                Some(sudo) => {
                    let mut cmd = self.cmd(sudo);
                    cmd.args(["-n", "env", "DEBIAN_FRONTEND=noninteractive", "apt-get"]);
                    cmd
                }
                None => self.cmd("apt-get"),
            };
            cmd.env("DEBIAN_FRONTEND", "noninteractive")
                .stdin(Stdio::null())
                .args(args);
            cmd
        };
        self.run(&mut apt(&["update"]))?;
        let mut install = apt(&["install", "-y"]);
        install.args(&before);
        self.run(&mut install)?;
        let after = missing(self);
        if !after.is_empty() {
            return Err(format!(
                "still missing after apt-get install: {}",
                after.join(", ")
            ));
        }
        Ok(())
    }

    /// `None` when we are root; `Some("sudo")` otherwise (non-interactive).
    fn sudo_prefix(&self) -> Result<Option<&'static str>> {
        let uid = self.stdout_of(self.cmd("id").arg("-u")).unwrap_or_default();
        if uid.trim() == "0" {
            Ok(None)
        } else if self.stdout_of(self.cmd("sudo").arg("--version")).is_some() {
            Ok(Some("sudo"))
        } else {
            Err(format!(
                "installing {} needs root: run `apt-get install chromium chromium-driver` as root",
                APT_PACKAGES.map(|(package, _)| package).join(" and ")
            ))
        }
    }

    fn step_npm(&self) -> Result {
        let name = "npm packages (package-lock.json)";
        for tool in ["node", "npm"] {
            if self.stdout_of(self.cmd(tool).arg("--version")).is_none() {
                return Err(format!(
                    "`{tool}` not found: install Node.js 20 (with npm) first"
                ));
            }
        }
        let wanted = self.npm_fingerprint()?;
        let satisfied = |ctx: &Ctx| {
            fs::read_to_string(ctx.root.join(NPM_STAMP)).is_ok_and(|s| s.trim() == wanted)
                && ctx.root.join("node_modules/.bin/wasm-opt").exists()
                && ctx
                    .root
                    .join("node_modules/playwright-core/package.json")
                    .exists()
        };
        if satisfied(self) {
            return step_ok(name, "(playwright-core, binaryen wasm-opt)");
        }
        step_installing(name, "npm ci");
        self.run(
            self.cmd("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .stdin(Stdio::null()),
        )?;
        fs::write(self.root.join(NPM_STAMP), format!("{wanted}\n"))
            .map_err(|e| format!("cannot write {NPM_STAMP}: {e}"))?;
        if !satisfied(self) {
            return Err(
                "after `npm ci`, node_modules lacks wasm-opt or playwright-core: check package.json"
                    .into(),
            );
        }
        Ok(())
    }

    /// cfn-lint, pinned, in a virtualenv under target/ (the system's Python stays as it is).
    fn step_cfn_lint(&self) -> Result {
        let name = format!("cfn-lint {CFN_LINT_VERSION}");
        let venv = self.root.join(VENV);
        let python = venv.join("bin/python");
        let installed = |ctx: &Ctx| {
            ctx.stdout_of(ctx.cmd(venv.join("bin/cfn-lint")).arg("--version"))
                .is_some_and(|v| v.split_whitespace().nth(1) == Some(CFN_LINT_VERSION))
        };
        if installed(self) {
            return step_ok(&name, &format!("({VENV}, from PyPI)"));
        }
        step_installing(
            &name,
            &format!(
                "python3 -m venv {VENV} && {VENV}/bin/pip install cfn-lint=={CFN_LINT_VERSION}"
            ),
        );
        let has_pip = |ctx: &Ctx| {
            ctx.stdout_of(ctx.cmd(&python).args(["-m", "pip", "--version"]))
                .is_some()
        };
        if !has_pip(self) {
            self.run(self.cmd("python3").args(["-m", "venv", "--clear"]).arg(&venv))
                .map_err(|e| {
                    format!("{e}: cfn-lint needs Python 3 with venv and pip (Debian: apt-get install python3-venv)")
                })?;
        }
        self.run(
            self.cmd(&python)
                .args([
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                ])
                .arg(format!("cfn-lint=={CFN_LINT_VERSION}"))
                .stdin(Stdio::null()),
        )?;
        if !installed(self) {
            return Err(format!(
                "{name}: `{VENV}/bin/cfn-lint --version` still disagrees after installing"
            ));
        }
        Ok(())
    }

    fn npm_fingerprint(&self) -> Result<String> {
        let mut hasher = DefaultHasher::new();
        for file in ["package.json", "package-lock.json"] {
            hasher.write(read(&self.root.join(file))?.as_bytes());
            hasher.write_u8(0);
        }
        Ok(format!("{:016x}", hasher.finish()))
    }

    /// The version a tool prints for `--version` (its second word: `trunk 0.21.14`).
    fn tool_version(&self, tool: &str) -> Option<String> {
        let out = self.stdout_of(self.cmd(tool).arg("--version"))?;
        out.split_whitespace().nth(1).map(str::to_string)
    }

    // ------------------------------------------------------------------ serve / build

    fn serve(&self, args: &[String]) -> Result {
        let release = match args {
            [] => false,
            [flag] if flag == "--release" => true,
            [other, ..] => return Err(format!("unexpected argument `{other}`\n\n{USAGE}")),
        };
        self.setup()?;
        println!(
            "\nserving the playground at http://{SERVE_ADDRESS}:{SERVE_PORT}/ (Ctrl-C stops)\n"
        );
        let port = SERVE_PORT.to_string();
        let mut cmd = self.trunk();
        cmd.args([
            "serve",
            "--offline",
            "--address",
            SERVE_ADDRESS,
            "--port",
            &port,
        ]);
        if release {
            cmd.arg("--release");
        }
        self.run(&mut cmd)
    }

    fn build(&self) -> Result {
        self.setup()?;
        self.trunk_build()?;
        println!("{}", self.wasm_size_report()?);
        Ok(())
    }

    fn trunk_build(&self) -> Result {
        self.run(self.trunk().args(["build", "--release", "--offline"]))
    }

    /// `.wasm 123,456 B, 45,678 B gzip -9 (dist/<name>_bg.wasm)`, then the page's weight:
    /// everything it loads (.wasm, .js, .css, index.html), raw and gzip -9.
    fn wasm_size_report(&self) -> Result<String> {
        let dist = self.root.join("dist");
        let mut files: Vec<PathBuf> = fs::read_dir(&dist)
            .map_err(|e| format!("cannot read {}: {e}", dist.display()))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension()
                    .is_some_and(|ext| ["wasm", "js", "css", "html"].iter().any(|e| ext == *e))
            })
            .collect();
        files.sort();
        let wasm = files
            .iter()
            .find(|p| p.extension().is_some_and(|ext| ext == "wasm"))
            .ok_or("no .wasm in dist/ after trunk build")?;
        let (raw, gzipped) = self.sizes(wasm)?;
        let mut report = format!(
            ".wasm {} B, {} B gzip -9 (dist/{})",
            thousands(raw),
            thousands(gzipped),
            wasm.file_name().unwrap_or_default().to_string_lossy()
        );
        let (mut total_raw, mut total_gzipped) = (0, 0);
        for file in &files {
            let (raw, gzipped) = self.sizes(file)?;
            total_raw += raw;
            total_gzipped += gzipped;
        }
        report.push_str(&format!(
            "; page weight {} B, {} B gzip -9 ({} files: .wasm, .js, .css, .html)",
            thousands(total_raw),
            thousands(total_gzipped),
            files.len()
        ));
        Ok(report)
    }

    /// A file's size, raw and compressed by `gzip -9`.
    fn sizes(&self, file: &Path) -> Result<(u64, u64)> {
        let raw = fs::metadata(file).map_err(|e| e.to_string())?.len();
        let gzipped = self
            .cmd("gzip")
            .arg("-9c")
            .arg(file)
            .stderr(Stdio::inherit())
            .output()
            .map_err(|e| format!("cannot run gzip: {e}"))?;
        if !gzipped.status.success() {
            return Err("gzip -9c failed".into());
        }
        Ok((raw, gzipped.stdout.len() as u64))
    }

    // ------------------------------------------------------------------ test

    fn test(&self, opts: &TestOptions) -> Result {
        let started = Instant::now();
        self.setup()?;
        type Stage<'a> = (&'a str, Box<dyn Fn() -> Result<String> + 'a>);
        let stages: Vec<Stage> = vec![
            (
                "native: cargo test --workspace",
                Box::new(|| self.test_native()),
            ),
            (
                "export: sfn export + cfn-lint + read-back of every template",
                Box::new(|| self.test_export()),
            ),
            (
                "browser: wasm-bindgen-test in headless Chromium",
                Box::new(|| self.test_wasm()),
            ),
            (
                "build: trunk build --release",
                Box::new(|| self.test_build()),
            ),
            (
                "e2e: node --test e2e/ (Playwright + Chromium)",
                Box::new(|| self.test_e2e(opts.e2e_filter.as_deref())),
            ),
        ];
        let total = stages.len();
        let mut done = Vec::new();
        for (i, (name, run)) in stages.iter().enumerate() {
            println!("\n=== [{}/{total}] {name}", i + 1);
            let stage_started = Instant::now();
            match run() {
                Ok(detail) => {
                    let took = secs(stage_started.elapsed());
                    println!("=== [{}/{total}] ok: {detail} ({took})", i + 1);
                    done.push(format!("{} {detail} ({took})", short(name)));
                }
                Err(message) => {
                    return Err(format!(
                        "test FAILED at stage {}/{total} ({name}) after {}: {message}",
                        i + 1,
                        secs(started.elapsed())
                    ))
                }
            }
        }
        println!(
            "\nxtask test: all {total} stages passed in {}: {}",
            secs(started.elapsed()),
            done.join("; ")
        );
        Ok(())
    }

    fn test_native(&self) -> Result<String> {
        let lines = self.run_tee(self.cargo().args(["test", "--workspace"]))?;
        Ok(format!("{} passed", cargo_passed(&lines)))
    }

    /// Exports every example in both modes with `sfn export`, lints every template under
    /// target/export/ (the examples', and the tricky cases the export crate's tests wrote
    /// there in stage 1) with cfn-lint (an error fails, warnings are shown), reads every
    /// definition back with xtask/check_export.py, and lints the definitions it resolved
    /// against cfn-lint's Step Functions schema.
    fn test_export(&self) -> Result<String> {
        let export_dir = self.root.join(EXPORT_DIR);
        for tricky in ["tricky", "tricky-no-lambda"] {
            if !export_dir
                .join(tricky)
                .join("two-stack/definition.asl.json")
                .is_file()
            {
                return Err(format!(
                    "{EXPORT_DIR}/{tricky}/ is missing: the export crate's tests write it (stage 1, \
                     `cargo test -p export`)"
                ));
            }
        }
        self.run(self.cargo().args(["build", "--quiet", "-p", "sfn"]))?;
        let sfn = |args: &[&str]| {
            let mut cmd = self.cargo();
            cmd.args(["run", "--quiet", "-p", "sfn", "--"]).args(args);
            cmd
        };
        let list = self
            .stdout_of(&mut sfn(&["example", "--list"]))
            .ok_or("`sfn example --list` failed")?;
        let examples: Vec<&str> = list
            .lines()
            .filter_map(|l| l.split_whitespace().next())
            .collect();
        for example in &examples {
            let dir = export_dir.join(example);
            if dir.exists() {
                fs::remove_dir_all(&dir)
                    .map_err(|e| format!("cannot clear {}: {e}", dir.display()))?;
            }
            for (mode, flag) in [
                ("two-stack", None),
                ("single-stack", Some("--single-stack")),
            ] {
                let out = dir.join(mode);
                let out = out.to_string_lossy();
                let mut args = vec!["export", "--example", example, "--out", &out];
                args.extend(flag);
                let mut cmd = sfn(&args);
                // The examples' warnings (functions to deploy by hand) are expected.
                let output = cmd
                    .stdin(Stdio::null())
                    .output()
                    .map_err(|e| e.to_string())?;
                if !output.status.success() {
                    return Err(format!(
                        "`{}` failed: {}",
                        describe(&cmd),
                        String::from_utf8_lossy(&output.stderr)
                    ));
                }
            }
        }
        let mut exports: Vec<PathBuf> = Vec::new();
        for entry in fs::read_dir(&export_dir)
            .map_err(|e| e.to_string())?
            .flatten()
        {
            for mode in fs::read_dir(entry.path())
                .map_err(|e| e.to_string())?
                .flatten()
            {
                exports.push(mode.path());
            }
        }
        exports.sort();
        let mut templates: Vec<PathBuf> = exports
            .iter()
            .flat_map(|dir| fs::read_dir(dir).into_iter().flatten().flatten())
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "yml"))
            .collect();
        templates.sort();

        println!(
            "cfn-lint {CFN_LINT_VERSION} on {} templates:",
            templates.len()
        );
        let (errors, warnings) = self.cfn_lint(&[], &templates)?;

        let resolved = self.root.join(EXPORT_RESOLVED_DIR);
        if resolved.exists() {
            fs::remove_dir_all(&resolved).map_err(|e| e.to_string())?;
        }
        let checked = self.run_tee(
            self.cmd(self.root.join(VENV).join("bin/python"))
                .arg(self.root.join("xtask/check_export.py"))
                .arg(&export_dir)
                .arg(&resolved),
        )?;
        let read_back = checked.iter().filter(|l| l.starts_with("ok ")).count();
        let mut definitions: Vec<PathBuf> = fs::read_dir(&resolved)
            .map_err(|e| e.to_string())?
            .flatten()
            .map(|entry| entry.path())
            .collect();
        definitions.sort();
        println!(
            "cfn-lint {CFN_LINT_VERSION} on the {} resolved definitions (Step Functions schema):",
            definitions.len()
        );
        // A resolved definition is plain JSON: `${...}` in its strings is text, not a !Sub.
        let (schema_errors, schema_warnings) =
            self.cfn_lint(&["--ignore-checks", "E1029"], &definitions)?;
        if errors + schema_errors > 0 || read_back != exports.len() {
            return Err(format!(
                "cfn-lint found {errors} error(s) in the templates and {schema_errors} in the definitions; \
                 {read_back} of {} exports read back",
                exports.len()
            ));
        }
        Ok(format!(
            "{} templates of {} exports pass cfn-lint {CFN_LINT_VERSION} ({} warning(s)), \
             every definition read back exactly and valid for its schema",
            templates.len(),
            exports.len(),
            warnings + schema_warnings
        ))
    }

    /// Runs cfn-lint (parseable output, shown) and counts its errors and warnings. Its exit
    /// code is a bit mask: 2 errors, 4 warnings, 8 informational; anything else is a failure
    /// of cfn-lint itself.
    fn cfn_lint(&self, options: &[&str], files: &[PathBuf]) -> Result<(usize, usize)> {
        let mut cmd = self.cmd(self.root.join(VENV).join("bin/cfn-lint"));
        cmd.args(["--format", "parseable"])
            .args(options)
            .arg("--")
            .args(files);
        let output = cmd
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run `{}`: {e}", describe(&cmd)))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        print!("{stdout}");
        eprint!("{stderr}");
        let rule = |line: &str| line.split(':').nth(5).map(|r| r.chars().next());
        let count = |letter: char| {
            stdout
                .lines()
                .filter(|l| rule(l) == Some(Some(letter)))
                .count()
        };
        let (errors, warnings) = (count('E'), count('W'));
        match output.status.code() {
            Some(code) if code & !0b1110 == 0 && (code & 2 == 0 || errors > 0) => {
                println!("  {errors} error(s), {warnings} warning(s)");
                Ok((errors, warnings))
            }
            _ => Err(format!("`{}` failed ({})", describe(&cmd), output.status)),
        }
    }

    fn test_wasm(&self) -> Result<String> {
        let mut cmd = self.cargo();
        cmd.args(["test", "--target", WASM_TARGET, "-p", "sfn-playground"]);
        if env::var_os("CHROMEDRIVER").is_none() {
            cmd.env("CHROMEDRIVER", CHROMEDRIVER);
        }
        let mut lines = self.run_tee(&mut cmd)?;
        // JSONata's regular expressions are the browser's own RegExp in wasm: the same cases
        // as natively, run in Chromium.
        let mut regex = self.cargo();
        regex.args([
            "test",
            "--target",
            WASM_TARGET,
            "-p",
            "jsonata",
            "--test",
            "wasm_regex",
        ]);
        if env::var_os("CHROMEDRIVER").is_none() {
            regex.env("CHROMEDRIVER", CHROMEDRIVER);
        }
        lines.extend(self.run_tee(&mut regex)?);
        match cargo_passed(&lines) {
            // The pitfall: a wrong runner or a missing `run_in_browser` can "pass" with 0 tests.
            0 => Err("wasm-bindgen-test reported 0 tests run: expected the tests in tests/*.rs \
                      to run in headless Chromium (is `wasm_bindgen_test_configure!(run_in_browser)` \
                      there, and the runner `wasm-bindgen-test-runner` in .cargo/config.toml?)"
                .into()),
            n => Ok(format!("{n} passed in Chromium")),
        }
    }

    fn test_build(&self) -> Result<String> {
        self.trunk_build()?;
        self.wasm_size_report()
    }

    fn test_e2e(&self, filter: Option<&str>) -> Result<String> {
        let dir = self.root.join("e2e");
        let mut files: Vec<String> = fs::read_dir(&dir)
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .filter_map(|entry| entry.ok())
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".test.mjs"))
            .collect();
        files.sort();
        let mut cmd = self.cmd("node");
        cmd.arg("--test");
        if std::io::stdout().is_terminal() {
            cmd.arg("--test-reporter=spec");
        }
        let mut note = String::new();
        if let Some(filter) = filter {
            let matching: Vec<String> = files
                .iter()
                .filter(|f| f.contains(filter))
                .cloned()
                .collect();
            if matching.is_empty() {
                cmd.arg(format!("--test-name-pattern={filter}"));
                note = format!(", only tests named like `{filter}`");
            } else {
                files = matching;
                note = format!(", only {}", files.join(" "));
            }
        }
        if files.is_empty() {
            return Err("no e2e/*.test.mjs files".into());
        }
        cmd.args(files.iter().map(|f| format!("e2e/{f}")));
        let lines = self.run_tee(&mut cmd)?;
        match node_passed(&lines) {
            0 => Err("node --test passed 0 tests".into()),
            n => {
                println!(
                    "screenshots: {}",
                    self.root.join("target/screenshots").display()
                );
                Ok(format!("{n} passed{note}"))
            }
        }
    }

    // ------------------------------------------------------------------ processes

    /// Runs with inherited stdio; a non-zero exit is an error naming the command.
    fn run(&self, cmd: &mut Command) -> Result {
        let status = cmd
            .status()
            .map_err(|e| format!("cannot run `{}`: {e}", describe(cmd)))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("`{}` failed ({status})", describe(cmd)))
        }
    }

    /// Runs, echoing stdout and stderr as they come, and returns every line (ANSI stripped).
    fn run_tee(&self, cmd: &mut Command) -> Result<Vec<String>> {
        if std::io::stdout().is_terminal() {
            cmd.env("CARGO_TERM_COLOR", "always");
        }
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run `{}`: {e}", describe(cmd)))?;
        let lines = Arc::new(Mutex::new(Vec::new()));
        let out = tee(
            child.stdout.take().expect("piped"),
            false,
            Arc::clone(&lines),
        );
        let err = tee(
            child.stderr.take().expect("piped"),
            true,
            Arc::clone(&lines),
        );
        let status = child.wait().map_err(|e| e.to_string())?;
        let _ = out.join();
        let _ = err.join();
        if !status.success() {
            return Err(format!("`{}` failed ({status})", describe(cmd)));
        }
        let lines = std::mem::take(&mut *lines.lock().expect("tee lock"));
        Ok(lines)
    }

    /// Trimmed stdout of a command that succeeded; `None` if it could not run or failed.
    fn stdout_of(&self, cmd: &mut Command) -> Option<String> {
        let out = cmd
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    }
}

fn tee(
    stream: impl Read + Send + 'static,
    to_stderr: bool,
    lines: Arc<Mutex<Vec<String>>>,
) -> thread::JoinHandle<()> {
    thread::spawn(move || {
        let mut reader = BufReader::new(stream);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match reader.read_until(b'\n', &mut buf) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    if to_stderr {
                        let _ = std::io::stderr().write_all(&buf);
                    } else {
                        let _ = std::io::stdout().write_all(&buf);
                        let _ = std::io::stdout().flush();
                    }
                    let line = strip_ansi(&String::from_utf8_lossy(&buf));
                    lines
                        .lock()
                        .expect("tee lock")
                        .push(line.trim_end().to_string());
                }
            }
        }
    })
}

fn find_root() -> Result<PathBuf> {
    // `cargo run` sets CARGO_MANIFEST_DIR (xtask/) for the process; fall back to the cwd's ancestors.
    let from_cargo = env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .and_then(|xtask| xtask.parent().map(Path::to_path_buf));
    let cwd = env::current_dir().map_err(|e| e.to_string())?;
    from_cargo
        .into_iter()
        .chain(cwd.ancestors().map(Path::to_path_buf))
        .find(|dir| dir.join("xtask/Cargo.toml").is_file() && dir.join("Cargo.lock").is_file())
        .ok_or_else(|| "cannot find the repository root (with xtask/ and Cargo.lock)".into())
}

fn read(path: &Path) -> Result<String> {
    fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn step_ok(name: &str, detail: &str) -> Result {
    println!("[setup] {name:<36} ok {detail}");
    Ok(())
}

fn step_installing(name: &str, how: &str) {
    println!("[setup] {name:<36} installing: {how}");
}

fn describe(cmd: &Command) -> String {
    std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|s| s.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The version of `package` in a Cargo.lock (`[[package]]` blocks of `name = ` / `version = `).
fn lock_version(lock: &str, package: &str) -> Option<String> {
    let wanted = format!("name = \"{package}\"");
    let mut lines = lock.lines().map(str::trim);
    while let Some(line) = lines.next() {
        if line == wanted {
            let version = lines.next()?.strip_prefix("version = \"")?;
            return version.strip_suffix('"').map(str::to_string);
        }
    }
    None
}

/// Sum of `N passed` over libtest's (and wasm-bindgen-test-runner's) `test result:` lines.
fn cargo_passed(lines: &[String]) -> u64 {
    lines
        .iter()
        .filter_map(|l| l.trim().strip_prefix("test result: "))
        .filter_map(|rest| {
            rest.split(';')
                .find_map(|part| {
                    part.trim()
                        .split_once(". ")
                        .map_or(part.trim(), |(_, p)| p)
                        .strip_suffix(" passed")
                })
                .and_then(|n| n.trim().parse::<u64>().ok())
        })
        .sum()
}

/// The `pass N` summary of `node --test` (`ℹ pass 3` with spec, `# pass 3` with TAP).
fn node_passed(lines: &[String]) -> u64 {
    lines
        .iter()
        .filter_map(|l| {
            let l = l.trim();
            let l = l.strip_prefix('ℹ').or_else(|| l.strip_prefix('#'))?.trim();
            l.strip_prefix("pass ")?.trim().parse::<u64>().ok()
        })
        .sum()
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ ... final byte in @..~
            if chars.next() == Some('[') {
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn secs(d: Duration) -> String {
    format!("{:.1}s", d.as_secs_f64())
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `native: cargo test ...` → `native`.
fn short(stage: &str) -> &str {
    stage.split(':').next().unwrap_or(stage)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_package_version_from_cargo_lock() {
        let lock =
            "[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\nsource = \"x\"\n\n\
                    [[package]]\nname = \"wasm-bindgen-test\"\nversion = \"0.3.80\"\n";
        assert_eq!(
            lock_version(lock, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(
            lock_version(lock, "wasm-bindgen-test").as_deref(),
            Some("0.3.80")
        );
        assert_eq!(lock_version(lock, "wasm-bindgen-cli"), None);
    }

    #[test]
    fn sums_libtest_passed_counts() {
        let lines: Vec<String> = [
            "running 2 tests",
            "test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s",
            "no tests to run!",
            "test result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out",
            "test result: ok. 5 passed; 0 failed; 0 ignored; 0 filtered out; finished in 0.30s",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(cargo_passed(&lines), 7);
        assert_eq!(cargo_passed(&["running 0 tests".to_string()]), 0);
    }

    #[test]
    fn reads_node_test_summaries() {
        let spec = ["ℹ tests 4", "ℹ pass 3", "ℹ fail 1"]
            .map(String::from)
            .to_vec();
        assert_eq!(node_passed(&spec), 3);
        let tap = ["# tests 2", "# pass 2", "# fail 0"]
            .map(String::from)
            .to_vec();
        assert_eq!(node_passed(&tap), 2);
    }

    #[test]
    fn strips_ansi_colours() {
        assert_eq!(
            strip_ansi("test result: \u{1b}[32mok\u{1b}[0m. 1 passed"),
            "test result: ok. 1 passed"
        );
    }

    #[test]
    fn formats_sizes() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(120_717), "120,717");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
