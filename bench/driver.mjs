// The Node.js side of `cargo xtask bench`: runs ONE workload file (written by `bench write`)
// with one engine, and prints one JSON line like the native runner's:
//   {"ms", "events", "status", "output", "max_rss_kb"}
//
//   node bench/driver.mjs ours-wasm target/bench/<id>.json target/bench/pkg/bench.js
//   node bench/driver.mjs peer      target/bench/<id>.json
//
// A JSONata workload ("kind": "jsonata"): the expression is compiled once and evaluated
// `iterations` times over `input`, by our jsonata crate in wasm (Bench.run) or by jsonata-js
// 2.0.6 (bench/node_modules/jsonata), and the last result's digest is printed.
//
// ours-wasm: our engine compiled to wasm (`wasm-bindgen --target nodejs`), timed around
// Bench.run() alone. peer: aws-local-stepfunctions (bench/node_modules), timed around
// `new StateMachine(definition)` and every `run(input).result`, one after the other. For the
// call center, the peer's Task states run the tutorial's own JavaScript, read from
// ../shared/seed/call-center-functions.yml, with Math.random() fixed at 0.5 (the case is
// resolved), as our built-in functions do in WorkOnCase "resolved" mode.

import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const here = dirname(fileURLToPath(import.meta.url));
const [engine, workloadFile, wasmModule] = process.argv.slice(2);
if (!engine || !workloadFile) {
  console.error('usage: node bench/driver.mjs ours-wasm|peer WORKLOAD.json [PKG/bench.js]');
  process.exit(2);
}
const text = readFileSync(workloadFile, 'utf8');
const workload = JSON.parse(text);

/** FNV-1a (32 bits) of the value's JSON.stringify, over its UTF-8 bytes: as bench::digest. */
function digest(value) {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  let hash = 0x811c9dc5;
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${hash.toString(16).padStart(8, '0')}:${bytes.length}`;
}

function print(line, ms) {
  line.ms = Math.round(ms * 10) / 10;
  line.max_rss_kb = process.resourceUsage().maxRSS;
  console.log(JSON.stringify(line));
}

async function oursWasm() {
  const require = createRequire(import.meta.url);
  const { Bench } = require(resolve(wasmModule));
  const bench = new Bench(text);
  const started = performance.now();
  bench.run();
  const ms = performance.now() - started;
  print(JSON.parse(bench.report()), ms);
}

/** The tutorial's handlers, by function name, from the CloudFormation template's ZipFile code. */
function callCenterHandlers() {
  const root = resolve(here, '..');
  const yml = join(root, '..', 'shared', 'seed', 'call-center-functions.yml');
  if (!existsSync(yml)) throw new Error(`${yml} not found (the tutorial's Lambda functions)`);
  const lines = readFileSync(yml, 'utf8').split('\n');
  const handlers = {};
  let name = null;
  for (let i = 0; i < lines.length; i++) {
    const fn = lines[i].match(/^\s*FunctionName:\s*"?([A-Za-z0-9_-]+)"?/);
    if (fn) name = fn[1];
    const zip = lines[i].match(/^(\s*)ZipFile:\s*\|/);
    if (zip && name) {
      const indent = zip[1].length;
      const body = [];
      for (i++; i < lines.length; i++) {
        const line = lines[i];
        const lead = line.match(/^\s*/)[0].length;
        if (line.trim() !== '' && lead <= indent) break;
        body.push(line);
      }
      i--;
      // The functions' own code; `Math.random()` is 0.5 (WorkOnCase resolves every case).
      const math = Object.create(Math, { random: { value: () => 0.5 } });
      const exports = {};
      new Function('exports', 'Math', body.join('\n'))(exports, math);
      handlers[name] = exports.handler;
      name = null;
    }
  }
  return handlers;
}

/** taskResourceLocalHandlers: each Task state of the definition runs its Lambda's handler. */
function localHandlers(definition) {
  const byFunction = callCenterHandlers();
  const overrides = {};
  for (const [stateName, state] of Object.entries(definition.States)) {
    if (state.Type !== 'Task') continue;
    const fn = String(state.Resource).split(':')[6];
    const handler = byFunction[fn];
    if (!handler) throw new Error(`no handler for ${state.Resource}`);
    // The Lambda runtime: callback(error, result), and the result goes through JSON.
    overrides[stateName] = (input) =>
      new Promise((ok, fail) =>
        handler(input, {}, (error, result) => (error ? fail(error) : ok(JSON.parse(JSON.stringify(result))))),
      );
  }
  return overrides;
}

/** What the peer's code has no trace of, among the fields this workload uses. */
function peerLacks(definitionText) {
  const require = createRequire(import.meta.url);
  const source = readFileSync(require.resolve('aws-local-stepfunctions'), 'utf8');
  return ['ItemReader', 'DISTRIBUTED', 'ItemBatcher', 'ResultWriter'].filter(
    (word) => definitionText.includes(`"${word}"`) && !source.includes(word),
  );
}

async function peer() {
  const { StateMachine } = await import('aws-local-stepfunctions');
  const lacks = peerLacks(workload.definition);
  const note = lacks.includes('DISTRIBUTED')
    ? 'aws-local-stepfunctions has no Distributed Map: it ran this one as an INLINE Map (ProcessorConfig.Mode ignored)'
    : undefined;
  const definition = JSON.parse(workload.definition);
  const options = { overrides: {} };
  if (workload.tasks === 'callcenter') options.overrides.taskResourceLocalHandlers = localHandlers(definition);
  let output;
  let status = 'SUCCEEDED';
  let ms;
  const started = performance.now();
  try {
    const machine = new StateMachine(definition);
    for (let i = 0; i < workload.executions; i++) {
      output = await machine.run(workload.input, options).result;
    }
    ms = performance.now() - started;
  } catch (error) {
    ms = performance.now() - started;
    // It throws where it does not support something (or failed): say what it said.
    const inner = error?.cause instanceof Error ? error.cause : error;
    const why = `${inner?.name ?? 'Error'}: ${inner?.message ?? String(error)}`;
    const missing = lacks.filter((word) => word !== 'DISTRIBUTED');
    const because = missing.length ? ` (its code has no ${missing.join(', ')}: it ignores the field)` : '';
    print({ status: 'n/a', unsupported: `aws-local-stepfunctions threw ${why}${because}` }, ms);
    return;
  }
  const line = { status, events: null, output: output === undefined ? null : digest(output) };
  if (note) line.note = note;
  print(line, ms);
}

/** A JSONata workload: jsonata-js 2.0.6 compiles the expression once (timed), then evaluates it
 *  `iterations` times; undefined is printed as a null output, as the native runner does. */
async function peerJsonata() {
  const { default: jsonata } = await import('jsonata');
  let output;
  let line;
  const started = performance.now();
  try {
    const expr = jsonata(workload.expression);
    for (let i = 0; i < workload.iterations; i++) {
      output = await expr.evaluate(workload.input);
    }
    line = { status: 'OK', events: 0, output: output === undefined ? null : digest(output) };
  } catch (error) {
    line = { status: 'ERROR', events: 0, output: null, error: `${error?.code ?? ''} ${error?.message ?? error}` };
  }
  print(line, performance.now() - started);
}

if (engine === 'peer' && workload.kind === 'jsonata') await peerJsonata();
else if (engine === 'ours-wasm') await oursWasm();
else if (engine === 'peer') await peer();
else {
  console.error(`unknown engine ${engine}`);
  process.exit(2);
}
