/**
 * The bad-input suite: one row per way a user (or an adversarial tester) can get an input wrong.
 * Each row checks the exit code, that stderr is exactly one line naming the file, field or option,
 * and that nothing was written: every file in the working folder is byte-for-byte what it was,
 * and no file appeared (no database, no report, no trial folder).
 *
 * The cases share one working folder, built once; each case must leave it as it found it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FIXTURE_OBJECTIVE, tempDir } from '../study/helpers.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const dir = tempDir('sweetspot-bad-input-');

const GOOD_PARAMS = 'params:\n  x: { type: float, low: 0, high: 1 }\n  n: { type: int, low: 1, high: 8 }\n';
const GOOD_METRICS = 'metrics: { loss: minimize, size: minimize }\n';
const objective = (module = FIXTURE_OBJECTIVE) => `objective: { module: ${JSON.stringify(module)} }\n`;
/** A valid space with `change` applied: [what to replace, replacement] or extra text. */
function space(body: string): string {
  return `${objective()}${GOOD_PARAMS}${GOOD_METRICS}budget: { trials: 2, workers: 1 }\nsampler: random\n${body}`;
}
const ZDT1 = `objective: { builtin: zdt1 }\nparams:\n${[0, 1, 2, 3, 4, 5].map((i) => `  x${i}: { type: float, low: 0, high: 1 }`).join('\n')}\nmetrics: { f1: minimize, f2: minimize }\nbudget: { trials: 2, workers: 1 }\n`;

/** Files written before any case runs (relative to `dir`). */
const FILES: Record<string, string | Buffer> = {
  'good.yaml': space(''),
  'binary.yaml': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3, 0xff, 0xfe, 0, 0]),
  'latin1.yaml': Buffer.from('name: caf\xe9\n', 'latin1'),
  'bad-yaml.yaml': 'objective: { builtin: zdt1\nparams: [\n',
  'bad-json.json': '{"objective": {"builtin": "zdt1"},',
  'dup-keys.json': '{"objective": {"builtin": "zdt1"}, "params": {"x0": {"type": "float", "low": 0, "high": 1}, "x0": {"type": "int", "low": 0, "high": 3}}, "metrics": {"f1": "minimize"}}',
  'dup-keys.yaml': `${objective()}params:\n  x: { type: float, low: 0, high: 1 }\n  x: { type: int, low: 0, high: 3 }\n${GOOD_METRICS}`,
  'proto-param.yaml': `${objective()}params:\n  __proto__: { type: float, low: 0, high: 1 }\n${GOOD_METRICS}`,
  'proto-metric.json': JSON.stringify({ objective: { module: FIXTURE_OBJECTIVE }, params: { x: { type: 'float', low: 0, high: 1 } } }).replace(/}$/, ', "metrics": {"__proto__": "minimize"}}'),
  'constructor-param.yaml': `${objective()}params:\n  constructor: { type: float, low: 0, high: 1 }\n${GOOD_METRICS}`,
  'unknown-field.yaml': space('colour: blue\n'),
  'no-params.yaml': `${objective()}params: {}\n${GOOD_METRICS}`,
  'no-metrics.yaml': `${objective()}${GOOD_PARAMS}metrics: {}\n`,
  'low-high.yaml': `${objective()}params:\n  x: { type: float, low: 1, high: 0 }\n${GOOD_METRICS}`,
  'int-frac.yaml': `${objective()}params:\n  n: { type: int, low: 0.5, high: 3 }\n${GOOD_METRICS}`,
  'log-zero.yaml': `${objective()}params:\n  x: { type: float, low: 0, high: 1, log: true }\n${GOOD_METRICS}`,
  'bad-type.yaml': `${objective()}params:\n  x: { type: real, low: 0, high: 1 }\n${GOOD_METRICS}`,
  'no-choices.yaml': `${objective()}params:\n  c: { type: categorical, choices: [] }\n${GOOD_METRICS}`,
  'dup-choices.yaml': `${objective()}params:\n  c: { type: ordinal, choices: [2, 2] }\n${GOOD_METRICS}`,
  'step.yaml': `${objective()}params:\n  n: { type: int, low: 0, high: 5, step: 2 }\n${GOOD_METRICS}`,
  'direction.yaml': `${objective()}${GOOD_PARAMS}metrics: { loss: smallest }\n`,
  'param-digit.yaml': `${objective()}params:\n  1x: { type: float, low: 0, high: 1 }\n${GOOD_METRICS}`,
  'two-objectives.yaml': `objective: { builtin: zdt1, module: ${JSON.stringify(FIXTURE_OBJECTIVE)} }\n${GOOD_PARAMS}${GOOD_METRICS}`,
  'no-objective-kind.yaml': `objective: { options: {} }\n${GOOD_PARAMS}${GOOD_METRICS}`,
  'unknown-builtin.yaml': `objective: { builtin: zdt9 }\n${GOOD_PARAMS}${GOOD_METRICS}`,
  'module-missing.yaml': space('').replace(FIXTURE_OBJECTIVE, join(dir, 'nope.mjs')),
  'module-throws.yaml': space('').replace(FIXTURE_OBJECTIVE, join(dir, 'throws.mjs')),
  'module-nodefault.yaml': space('').replace(FIXTURE_OBJECTIVE, join(dir, 'nodefault.mjs')),
  'module-syntax.yaml': space('').replace(FIXTURE_OBJECTIVE, join(dir, 'syntax.mjs')),
  'module-number.yaml': space('').replace(FIXTURE_OBJECTIVE, join(dir, 'number.mjs')),
  'command-missing.yaml': `objective: { command: "no-such-trainer --x {x}" }\n${GOOD_PARAMS}${GOOD_METRICS}`,
  'command-file-missing.yaml': `objective: { command: "./train.sh {x}" }\n${GOOD_PARAMS}${GOOD_METRICS}`,
  'command-placeholder.yaml': `objective: { command: "python3 train.py --x {y}" }\n${GOOD_PARAMS}${GOOD_METRICS}`,
  'command-quote.yaml': `objective: { command: "python3 'train.py {x}" }\n${GOOD_PARAMS}${GOOD_METRICS}`,
  'command-cwd.yaml': `objective: { command: "python3 train.py", cwd: nowhere }\n${GOOD_PARAMS}${GOOD_METRICS}`,
  'command-metric.yaml': `objective: { command: "python3 train.py" }\n${GOOD_PARAMS}${GOOD_METRICS}balance: { size: size, efficiency: "1 / latency_ms" }\n`,
  'module-metrics-field.yaml': `${objective()}${GOOD_PARAMS}${GOOD_METRICS}`.replace('}\n', ', metrics: [latency_ms] }\n'),
  'throws.mjs': "throw new Error('cannot find my weights');\n",
  'nodefault.mjs': 'export const objective = async () => ({ loss: 1, size: 1 });\n',
  'syntax.mjs': 'export default async (params) => ({ loss: 1,\n',
  'number.mjs': 'export default 42;\n',
  'builtin-params.yaml': `objective: { builtin: zdt1 }\nparams:\n  a: { type: float, low: 0, high: 1 }\nmetrics: { f1: minimize, f2: minimize }\n`,
  'constraint-metric.yaml': ZDT1 + 'constraints: ["acc >= 0.9"]\n',
  'constraint-form.yaml': ZDT1 + 'constraints: ["f1 is small"]\n',
  'efficiency-metric.yaml': ZDT1 + 'balance: { size: f1, efficiency: "accuracy - f2" }\n',
  'size-metric.yaml': ZDT1 + 'balance: { size: size_bits, efficiency: "f1 - f2" }\n',
  'efficiency-syntax.yaml': ZDT1 + 'balance: { size: f1, efficiency: "f1 - * f2" }\n',
  'trials-zero.yaml': space('').replace('trials: 2', 'trials: 0'),
  'workers-zero.yaml': space('').replace('workers: 1', 'workers: 0'),
  'workers-huge.yaml': space('').replace('workers: 1', 'workers: 100000'),
  'timeout-bad.yaml': space('').replace('workers: 1', 'workers: 1, timeout: soon'),
  'trial-timeout-zero.yaml': space('').replace('workers: 1', 'workers: 1, trialTimeout: 0'),
  'retries-negative.yaml': space('').replace('workers: 1', 'workers: 1, retries: -1'),
  'lease-short.yaml': space('').replace('workers: 1', 'workers: 1, leaseGrace: 10ms'),
  'sampler-name.yaml': space('').replace('sampler: random', 'sampler: tpe'),
  'sampler-option.yaml': space('').replace('sampler: random', 'sampler: { name: sobol, scrambel: true }'),
  'seed-negative.yaml': space('seed: -3\n'),
  'name-slash.yaml': space('name: ../escape\n'),
  'enqueue-value.yaml': space('enqueue:\n  - { x: 2, n: 1 }\n'),
  'enqueue-extra.yaml': space('enqueue:\n  - { x: 0.5, n: 1, width: 3 }\n'),
  'not-a-db.db': 'this is a text file, not SQLite\n',
  'a-file': 'plain\n',
};

/** [label, argv, expected exit code, pattern the single stderr line must match]. */
type Case = [string, string[], number, RegExp];
const db = 'runs/s.db';
const CASES: Case[] = [
  ['space file missing', ['run', 'missing.yaml'], 1, /^sweetspot: missing\.yaml: \(root\): file not found$/],
  ['space file is a folder', ['run', 'runs'], 1, /^sweetspot: runs: \(root\): a file, got a folder$/],
  ['binary space file', ['run', 'binary.yaml'], 1, /^sweetspot: binary\.yaml: \(root\): a text file \(YAML or JSON\), got binary data \(12 bytes\)$/],
  ['not UTF-8', ['run', 'latin1.yaml'], 1, /^sweetspot: latin1\.yaml: \(root\): a text file/],
  ['invalid YAML', ['run', 'bad-yaml.yaml'], 1, /^sweetspot: bad-yaml\.yaml: \(root\): valid YAML at line \d/],
  ['invalid JSON', ['run', 'bad-json.json'], 1, /^sweetspot: bad-json\.json: \(root\): valid JSON/],
  ['duplicate JSON keys', ['run', 'dup-keys.json'], 1, /^sweetspot: dup-keys\.json: \(root\): valid JSON without duplicate keys, got 'x0' twice/],
  ['duplicate YAML keys', ['run', 'dup-keys.yaml'], 1, /^sweetspot: dup-keys\.yaml: \(root\): valid YAML without duplicate keys, got 'x' twice \(line 4\)/],
  ['__proto__ parameter', ['run', 'proto-param.yaml'], 1, /^sweetspot: proto-param\.yaml: params\.__proto__: a name that is not __proto__/],
  ['__proto__ metric (JSON)', ['run', 'proto-metric.json'], 1, /^sweetspot: proto-metric\.json: metrics\.__proto__: a name that is not __proto__/],
  ['constructor parameter', ['run', 'constructor-param.yaml'], 1, /^sweetspot: constructor-param\.yaml: params\.constructor: a name that is not/],
  ['unknown field', ['run', 'unknown-field.yaml'], 1, /^sweetspot: unknown-field\.yaml: colour: unknown field$/],
  ['no parameters', ['run', 'no-params.yaml'], 1, /^sweetspot: no-params\.yaml: params: at least one parameter$/],
  ['no metrics', ['run', 'no-metrics.yaml'], 1, /^sweetspot: no-metrics\.yaml: metrics: at least one metric$/],
  ['low > high', ['run', 'low-high.yaml'], 1, /^sweetspot: low-high\.yaml: params\.x\.high: low <= high must hold$/],
  ['fractional int bound', ['run', 'int-frac.yaml'], 1, /^sweetspot: int-frac\.yaml: params\.n\.low: /],
  ['log with low 0', ['run', 'log-zero.yaml'], 1, /^sweetspot: log-zero\.yaml: params\.x\.low: log: true needs low > 0$/],
  ['unknown parameter type', ['run', 'bad-type.yaml'], 1, /^sweetspot: bad-type\.yaml: params\.x\.type: /],
  ['no choices', ['run', 'no-choices.yaml'], 1, /^sweetspot: no-choices\.yaml: params\.c\.choices: at least one choice$/],
  ['duplicate choices', ['run', 'dup-choices.yaml'], 1, /^sweetspot: dup-choices\.yaml: params\.c\.choices: choices must be distinct$/],
  ['step does not divide the range', ['run', 'step.yaml'], 1, /^sweetspot: step\.yaml: params\.n\.step: /],
  ['bad direction', ['run', 'direction.yaml'], 1, /^sweetspot: direction\.yaml: metrics\.loss: one of "maximize", "minimize", got "smallest"$/],
  ['parameter name starting with a digit', ['run', 'param-digit.yaml'], 1, /^sweetspot: param-digit\.yaml: params\.1x: a parameter name/],
  ['builtin and module', ['run', 'two-objectives.yaml'], 1, /^sweetspot: two-objectives\.yaml: objective: exactly one of builtin, module or command$/],
  ['neither builtin nor module', ['run', 'no-objective-kind.yaml'], 1, /^sweetspot: no-objective-kind\.yaml: objective: exactly one of builtin, module or command$/],
  ['unknown builtin', ['run', 'unknown-builtin.yaml'], 2, /^sweetspot: unknown-builtin\.yaml: objective\.builtin: one of .*got 'zdt9'$/],
  ['module not found', ['run', 'module-missing.yaml'], 2, /^sweetspot: module-missing\.yaml: objective\.module: file not found: /],
  ['module throws at import', ['run', 'module-throws.yaml'], 1, /^sweetspot: module-throws\.yaml: objective\.module: cannot load objective module .*cannot find my weights$/],
  ['module without default export', ['run', 'module-nodefault.yaml'], 1, /^sweetspot: module-nodefault\.yaml: objective\.module: .*default export must be an async function.*got undefined$/],
  ['module syntax error', ['run', 'module-syntax.yaml'], 1, /^sweetspot: module-syntax\.yaml: objective\.module: cannot load objective module .*Unexpected/],
  ['default export not a function', ['run', 'module-number.yaml'], 1, /^sweetspot: module-number\.yaml: objective\.module: .*got number$/],
  ['builtin given the wrong parameter names', ['run', 'builtin-params.yaml'], 1, /^sweetspot: builtin-params\.yaml: params: the built-in 'zdt1' takes parameters x0, .*unknown: a; missing: x0/],
  ['constraint on an unknown metric', ['run', 'constraint-metric.yaml'], 1, /^sweetspot: constraint-metric\.yaml: constraints\.0: 'acc' is not a metric of this study; known metrics: f1, f2$/],
  ['constraint that is no comparison', ['run', 'constraint-form.yaml'], 1, /^sweetspot: constraint-form\.yaml: constraints\.0: a comparison/],
  ['efficiency on an unknown metric', ['run', 'efficiency-metric.yaml'], 1, /^sweetspot: efficiency-metric\.yaml: balance\.efficiency: 'accuracy' is not a metric/],
  ['balance size on an unknown metric', ['run', 'size-metric.yaml'], 1, /^sweetspot: size-metric\.yaml: balance\.size: 'size_bits' is not a metric/],
  ['efficiency syntax error', ['run', 'efficiency-syntax.yaml'], 1, /^sweetspot: efficiency-syntax\.yaml: balance\.efficiency: /],
  ['budget.trials 0', ['run', 'trials-zero.yaml'], 1, /^sweetspot: trials-zero\.yaml: budget\.trials: trials >= 1$/],
  ['budget.workers 0', ['run', 'workers-zero.yaml'], 1, /^sweetspot: workers-zero\.yaml: budget\.workers: workers >= 1$/],
  ['budget.workers 100000', ['run', 'workers-huge.yaml'], 2, /^sweetspot: workers-huge\.yaml: budget\.workers: at most \d+ on this machine/],
  ['budget.timeout not a duration', ['run', 'timeout-bad.yaml'], 1, /^sweetspot: timeout-bad\.yaml: budget\.timeout: a duration/],
  ['budget.trialTimeout 0', ['run', 'trial-timeout-zero.yaml'], 1, /^sweetspot: trial-timeout-zero\.yaml: budget\.trialTimeout: a duration/],
  ['budget.retries -1', ['run', 'retries-negative.yaml'], 1, /^sweetspot: retries-negative\.yaml: budget\.retries: retries >= 0$/],
  ['budget.leaseGrace 10ms', ['run', 'lease-short.yaml'], 1, /^sweetspot: lease-short\.yaml: budget\.leaseGrace: at least 100 ms$/],
  ['unknown sampler', ['run', 'sampler-name.yaml'], 1, /^sweetspot: sampler-name\.yaml: sampler: one of random, sobol, gp/],
  ['command not on PATH', ['run', 'command-missing.yaml'], 1, /^sweetspot: command-missing\.yaml: objective\.command: cannot run the command: 'no-such-trainer' is not on PATH$/],
  ['command file missing', ['run', 'command-file-missing.yaml'], 1, /^sweetspot: command-file-missing\.yaml: objective\.command: cannot run the command: no file .*\/train\.sh$/],
  ['command placeholder', ['run', 'command-placeholder.yaml'], 1, /^sweetspot: command-placeholder\.yaml: objective\.command: placeholder \{y\} is not a parameter \(known: .*trial, seed, workdir\)$/],
  ['command quote', ['run', 'command-quote.yaml'], 1, /^sweetspot: command-quote\.yaml: objective\.command: unclosed ' quote in /],
  ['command cwd', ['run', 'command-cwd.yaml'], 2, /^sweetspot: command-cwd\.yaml: objective\.cwd: folder not found: .*nowhere$/],
  ['command metric not declared', ['run', 'command-metric.yaml'], 1, /^sweetspot: command-metric\.yaml: balance\.efficiency: 'latency_ms' is not a metric of this study; known metrics: loss, size \(a command's other printed metrics go under objective\.metrics\)$/],
  ['objective.metrics on a module', ['run', 'module-metrics-field.yaml'], 1, /^sweetspot: module-metrics-field\.yaml: objective: cwd, env, grace and metrics apply only to a command objective$/],
  ['sampler option typo', ['run', 'sampler-option.yaml'], 1, /^sweetspot: sampler-option\.yaml: sampler\.scrambel: not an option of sampler 'sobol'; its options: scramble$/],
  ['negative seed', ['run', 'seed-negative.yaml'], 1, /^sweetspot: seed-negative\.yaml: seed: /],
  ['name climbing out of runs/', ['run', 'name-slash.yaml'], 1, /^sweetspot: name-slash\.yaml: name: letters, digits/],
  ['--trials without a value', ['run', 'good.yaml', '--trials'], 2, /^sweetspot: --trials: needs a value$/],
  ['--trials 0', ['run', 'good.yaml', '--trials', '0'], 2, /^sweetspot: --trials: an integer >= 1, got 0$/],
  ['--trials 1.5', ['run', 'good.yaml', '--trials', '1.5'], 2, /^sweetspot: --trials: an integer >= 1, got 1\.5$/],
  ['--trials abc', ['run', 'good.yaml', '--trials', 'abc'], 2, /^sweetspot: --trials: an integer >= 1, got NaN$/],
  ['--workers 0', ['run', 'good.yaml', '--workers', '0'], 2, /^sweetspot: --workers: an integer >= 1, got 0$/],
  ['--workers 100000', ['run', 'good.yaml', '--workers', '100000'], 2, /^sweetspot: --workers: at most \d+ on this machine .*got 100000$/],
  ['--trial-timeout 0', ['run', 'good.yaml', '--trial-timeout', '0'], 2, /^sweetspot: --trial-timeout: a duration .*got "0"$/],
  ['--timeout soon', ['run', 'good.yaml', '--timeout', 'soon'], 2, /^sweetspot: --timeout: a duration .*got "soon"$/],
  ['--seed -1', ['run', 'good.yaml', '--seed', '-1'], 2, /^sweetspot: --seed: an integer >= 0, got -1$/],
  ['--study ../../etc/x', ['run', 'good.yaml', '--study', '../../etc/x'], 2, /^sweetspot: --study: letters, digits.*got "\.\.\/\.\.\/etc\/x"$/],
  ['--study with a space', ['run', 'good.yaml', '--study', 'my study'], 2, /^sweetspot: --study: .*got "my study"$/],
  ['--study without a value', ['run', 'good.yaml', '--study'], 2, /^sweetspot: --study: needs a value$/],
  ['--report under a file', ['run', 'good.yaml', '--report', 'a-file/r.html'], 2, /^sweetspot: --report a-file\/r\.html: cannot write there \(.*a-file is not a folder\)$/],
  ['--report is a folder', ['run', 'good.yaml', '--report', 'runs'], 2, /^sweetspot: --report runs: cannot write there \(it is a folder\)$/],
  ['--backend unknown', ['run', join(process.cwd(), 'search-spaces', 'mnist-quick.yaml'), '--backend', 'gpu-please'], 2, /^sweetspot: .*backend must be one of auto, .*got "gpu-please"$/],
  ['--sampler unknown', ['run', 'good.yaml', '--sampler', 'tpe'], 2, /^sweetspot: Invalid values: Argument: sampler, Given: "tpe"/],
  ['--storage mysql://', ['run', 'good.yaml', '--storage', 'mysql://h/db'], 1, /^sweetspot: --storage must be a file path/],
  ['--storage postgres:// hides the password', ['run', 'good.yaml', '--storage', 'postgres://u:secret@h/db'], 1, /^sweetspot: --storage postgres:\/\/u:\*\*\*@h\/db: cannot connect to PostgreSQL: host not found/],
  ['--storage is a folder', ['run', 'good.yaml', '--storage', 'runs'], 1, /^sweetspot: runs: cannot open SQLite database: /],
  ['--storage is a text file', ['run', 'good.yaml', '--storage', 'not-a-db.db'], 1, /^sweetspot: not-a-db\.db: cannot open SQLite database: file is not a database$/],
  ['--storage is another program\'s database', ['run', 'good.yaml', '--storage', 'foreign.db'], 1, /^sweetspot: foreign\.db: not a sweetspot database \(it has tables users/],
  ['--storage is corrupt', ['run', 'good.yaml', '--storage', 'corrupt.db'], 1, /^sweetspot: corrupt\.db: (the database is corrupt|cannot open SQLite database: database disk image is malformed)/],
  ['unknown option', ['run', 'good.yaml', '--bogus'], 2, /^sweetspot: Unknown argument: bogus$/],
  ['unknown command', ['frobnicate'], 2, /^sweetspot: Unknown argument: frobnicate$/],
  ['status: no database', ['status', '--storage', 'missing.db'], 1, /^sweetspot: no database at missing\.db; /],
  ['studies: no database', ['studies', '--storage', 'missing.db'], 1, /^sweetspot: no database at missing\.db; /],
  ['export: no database', ['export', 's', '--storage', 'missing.db'], 1, /^sweetspot: no database at missing\.db; /],
  ['report: no database', ['report', 's', '--storage', 'missing.db'], 1, /^sweetspot: no database at missing\.db; /],
  ['resume: no database', ['resume', 's', '--storage', 'missing.db'], 1, /^sweetspot: no database at missing\.db; /],
  ['status of a foreign database', ['status', '--storage', 'foreign.db'], 1, /^sweetspot: foreign\.db: not a sweetspot database/],
  ['trials of an unknown study', ['trials', 'nope', '--storage', db], 1, /^sweetspot: no study 'nope' in runs\/s\.db; studies there: s$/],
  ['resume of an unknown study', ['resume', 'nope', '--storage', db], 1, /^sweetspot: no study 'nope' in runs\/s\.db/],
  ['worker: no database', ['worker', 's', '--storage', 'missing.db'], 1, /^sweetspot: no database at missing\.db; /],
  ['worker of an unknown study', ['worker', 'nope', '--storage', db], 1, /^sweetspot: no study 'nope' in runs\/s\.db; studies there: s$/],
  ['worker --trials (the budget is the study\'s)', ['worker', 's', '--trials', '5', '--storage', db], 2, /^sweetspot: Unknown argument: trials$/],
  ['worker --workers 0', ['worker', 's', '--workers', '0', '--storage', db], 2, /^sweetspot: --workers: an integer >= 1, got 0$/],
  ['resume --trials 0', ['resume', 's', '--trials', '0', '--storage', db], 2, /^sweetspot: --trials: an integer >= 1, got 0$/],
  ['run --study of an existing study', ['run', 'good.yaml', '--study', 's', '--storage', db], 2, /^sweetspot: study 's' already exists in runs\/s\.db; continue it with 'sweetspot resume s'/],
  ['export --format xml', ['export', 's', '--format', 'xml', '--storage', db], 2, /^sweetspot: Invalid values: Argument: format, Given: "xml"/],
  ['enqueue: value out of range', ['run', 'enqueue-value.yaml'], 1, /^sweetspot: enqueue-value\.yaml: enqueue\.0\.x: a number in \[0, 1\], got 2$/],
  ['enqueue: unknown parameter', ['run', 'enqueue-extra.yaml'], 1, /^sweetspot: enqueue-extra\.yaml: enqueue\.0\.width: not a parameter of this space/],
  ['enqueue --params not JSON', ['enqueue', 's', '--params', '{x: 1}', '--storage', db], 2, /^sweetspot: --params: valid JSON/],
  ['enqueue --params missing a parameter', ['enqueue', 's', '--params', '{"x": 0.5}', '--storage', db], 2, /^sweetspot: --params: n: missing$/],
  ['enqueue without --params or --file', ['enqueue', 's', '--storage', db], 2, /^sweetspot: enqueue: give exactly one of --params JSON or --file PATH$/],
  ['enqueue --file missing', ['enqueue', 's', '--file', 'nope.json', '--storage', db], 2, /^sweetspot: --file nope\.json: cannot read it \(ENOENT\)$/],
  ['ask of an unknown study', ['ask', 'nope', '--storage', db], 1, /^sweetspot: no study 'nope' in runs\/s\.db/],
  ['ask --lease forever', ['ask', 's', '--lease', 'forever', '--storage', db], 2, /^sweetspot: --lease: a duration/],
  ['tell an unknown trial', ['tell', 's', '99', '--failed', 'x', '--storage', db], 1, /^sweetspot: study 's' has no trial 99$/],
  ['tell a finished trial', ['tell', 's', '0', '--failed', 'x', '--storage', db], 1, /^sweetspot: study 's' trial 0 is already complete/],
  ['tell with both --metrics and --failed', ['tell', 's', '0', '--metrics', '{}', '--failed', 'x', '--storage', db], 2, /^sweetspot: tell: give exactly one of/],
  ['tell --metrics not JSON', ['tell', 's', '99', '--metrics', 'loss=1', '--storage', db], 2, /^sweetspot: --metrics: valid JSON/],
  ['trials --state bogus', ['trials', 's', '--state', 'bogus', '--storage', db], 2, /^sweetspot: --state: one of /],
];

function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      const rel = relative(root, path);
      if (statSync(path).isDirectory()) {
        out.set(`${rel}/`, 'dir');
        walk(path);
      } else {
        out.set(rel, createHash('sha256').update(readFileSync(path)).digest('hex'));
      }
    }
  };
  walk(root);
  return out;
}

function cli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

test.before(() => {
  for (const [name, content] of Object.entries(FILES)) writeFileSync(join(dir, name), content);
  // A real study to resume and inspect, a foreign SQLite file, and a corrupt copy of a study.
  const made = spawnSync(process.execPath, [MAIN, 'run', 'good.yaml', '--study', 's', '--storage', db, '--no-report'], { cwd: dir, encoding: 'utf8' });
  if (made.status !== 0) throw new Error(made.stderr);
  const sqlite = spawnSync(process.execPath, ['-e', "const D=require('better-sqlite3'); const d=new D(process.argv[1]); d.exec('CREATE TABLE users (id INTEGER)'); d.close()", join(dir, 'foreign.db')], { cwd: process.cwd(), encoding: 'utf8' });
  if (sqlite.status !== 0) throw new Error(sqlite.stderr);
  copyFileSync(join(dir, db), join(dir, 'corrupt.db'));
  const bytes = readFileSync(join(dir, 'corrupt.db'));
  bytes.fill(0xff, 4096, 4096 + 64); // page 2's header: a b-tree page SQLite cannot read
  writeFileSync(join(dir, 'corrupt.db'), bytes);
  mkdirSync(join(dir, 'runs'), { recursive: true });
});

test(`${CASES.length} bad inputs: exit code, one line naming the file or option, nothing written`, async () => {
  assert.ok(CASES.length >= 60, `${CASES.length} cases`);
  const failures: string[] = [];
  let clear = 0;
  // Two at a time: the cases are independent and each only reads the folder.
  for (let i = 0; i < CASES.length; i += 2) {
    const batch = CASES.slice(i, i + 2);
    const before = snapshot(dir);
    const results = await Promise.all(batch.map(([, args]) => cli(args)));
    const after = snapshot(dir);
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k));
    batch.forEach(([label, , code, pattern], j) => {
      const r = results[j]!;
      const lines = r.stderr.trimEnd().split('\n');
      const problems = [
        r.code === code ? '' : `exit ${r.code}, expected ${code}`,
        lines.length === 1 ? '' : `${lines.length} lines`,
        pattern.test(lines[0] ?? '') ? '' : `message ${JSON.stringify(lines[0])} does not match ${pattern}`,
        changed.length === 0 ? '' : `written: ${changed.join(', ')}`,
      ].filter(Boolean);
      if (problems.length > 0) failures.push(`${label}: ${problems.join('; ')}`);
      else clear++;
    });
  }
  process.stdout.write(`\n  bad inputs: ${clear} of ${CASES.length} give one clear line with nothing written\n`);
  assert.equal(failures, []);
});

test.run();
