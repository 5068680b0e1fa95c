import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SpaceError } from '../../src/errors.js';
import { UsageError } from '../../src/errors.js';
import { loadSpace, parsePruner, parseSpace } from '../../src/space/index.js';

const root = process.cwd(); // tests run from the repository root

const BASE = `
name: t
objective: { builtin: zdt1 }
params:
  width: { type: int, low: 4, high: 64, log: true }
  bits: { type: ordinal, choices: [2, 4, 8] }
metrics: { accuracy: maximize }
`;

function fails(text: string, field: string, expected: RegExp, file = 'bad.yaml'): void {
  try {
    parseSpace(text, file);
  } catch (err) {
    assert.instance(err, SpaceError);
    const e = err as SpaceError;
    assert.is(e.file, file);
    assert.is(e.field, field, `field of: ${e.message}`);
    assert.match(e.message, expected);
    assert.not.match(e.message, /\n/, 'one line');
    return;
  }
  assert.unreachable(`expected ${field} to be rejected`);
}

test('every shipped search-space file parses', () => {
  const dir = join(root, 'search-spaces');
  const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f));
  assert.ok(files.length >= 6);
  for (const f of files) {
    const space = loadSpace(join(dir, f));
    assert.ok(Object.keys(space.params).length > 0, f);
    assert.ok(Object.isFrozen(space.params), 'space is immutable');
  }
});

test('defaults: step 1, log false, budget, sampler, name from file', () => {
  const s = parseSpace(BASE.replace('name: t\n', ''), 'dir/my-space.yaml');
  assert.is(s.name, 'my-space');
  assert.equal(s.params.width, { type: 'int', low: 4, high: 64, step: 1, log: true });
  assert.is(s.budget.trials, 50);
  assert.ok(s.budget.workers >= 1);
  assert.is(s.seed, undefined);
  assert.equal(s.constraints, []);
  assert.is(s.hash.length, 64);
});

test('JSON files parse like YAML', () => {
  const json = JSON.stringify({ objective: { builtin: 'branin' }, params: { x0: { type: 'float', low: -5, high: 10 } }, metrics: { f: 'minimize' }, budget: { trials: 3, timeout: '2h', trialTimeout: 90 } });
  const s = parseSpace(json, 'a.json');
  assert.is(s.budget.timeoutMs, 2 * 3600_000);
  assert.is(s.budget.trialTimeoutMs, 90_000);
});

test('module objective resolves relative to the file', () => {
  const s = parseSpace(BASE.replace('{ builtin: zdt1 }', '{ module: ./obj.js, options: { a: 1 } }'), '/tmp/spaces/x.yaml');
  assert.is(s.objective.module, '/tmp/spaces/obj.js');
  assert.equal(s.objective.options, { a: 1 });
});

test('sampler as a name or a block', () => {
  assert.is(parseSpace(BASE + 'sampler: random\n', 'a.yaml').sampler.name, 'random');
  const s = parseSpace(BASE + 'sampler: { name: gp, initial: 7, xi: 0.1 }\n', 'a.yaml');
  assert.is(s.sampler.initial, 7);
  assert.equal(s.sampler.options, { xi: 0.1 });
});

test('constraints and balance are parsed', () => {
  const s = parseSpace(BASE + 'constraints: ["accuracy >= 0.9", "log2(size_bits) < 20"]\nbalance: {}\n', 'a.yaml');
  assert.equal(s.constraints.map((c) => [c.lhs, c.op, c.rhs]), [['accuracy', '>=', '0.9'], ['log2(size_bits)', '<', '20']]);
  assert.equal(s.balance, { size: 'size_bits', efficiency: 'accuracy - 0.005 * log2(size_bits)' });
});

// One test per validation rule.
test('rejects: invalid YAML', () => fails('params: [unclosed', '', /valid YAML/));
test('rejects: invalid YAML, naming the line', () => fails('name: a\nmetrics: {}\nparams:\n\tx: 1\nq: 2\n', '', /valid YAML at line 4 \(Tabs are not allowed/));
test('rejects: a key given twice', () => fails('name: a\nname: b\n', '', /valid YAML without duplicate keys, got 'name' twice \(line 2\)/));
test('rejects: invalid JSON', () => fails('{"a":', '', /valid JSON/, 'bad.json'));
test('rejects: unknown top-level field', () => fails(BASE + 'budgte: {}\n', 'budgte', /unknown field/));
test('rejects: unknown param field', () => fails(BASE.replace('log: true', 'log: true, lgo: 1'), 'params.width.lgo', /unknown field/));
test('rejects: unknown param type', () => fails(BASE.replace('type: int', 'type: integer'), 'params.width.type', /int, float, categorical, ordinal/));
test('rejects: low > high', () => fails(BASE.replace('high: 64', 'high: 2'), 'params.width.high', /low <= high/));
test('rejects: log with low <= 0', () => fails(BASE.replace('low: 4', 'low: 0'), 'params.width.low', /low > 0/));
test('rejects: non-integer int bound', () => fails(BASE.replace('low: 4', 'low: 4.5'), 'params.width.low', /integer/));
test('rejects: log with step', () => fails(BASE.replace('log: true', 'log: true, step: 2'), 'params.width.step', /step 1/));
test('rejects: range not a multiple of step', () => fails(BASE.replace('log: true', 'step: 7'), 'params.width.step', /multiple of step/));
test('rejects: empty choices', () => fails(BASE.replace('[2, 4, 8]', '[]'), 'params.bits.choices', /at least one/));
test('rejects: duplicate choices', () => fails(BASE.replace('[2, 4, 8]', '[2, 2]'), 'params.bits.choices', /distinct/));
test('rejects: no params', () => fails(BASE.replace(/params:[\s\S]*?metrics/, 'params: {}\nmetrics'), 'params', /at least one parameter/));
test('rejects: bad parameter name', () => fails(BASE.replace('width:', '"my width":'), 'params.my width', /parameter name.*"my width"/));
test('rejects: bad direction', () => fails(BASE.replace('maximize', 'max'), 'metrics.accuracy', /maximize.*minimize/));
test('rejects: no metrics', () => fails(BASE.replace('{ accuracy: maximize }', '{}'), 'metrics', /at least one metric/));
test('rejects: both builtin and module', () => fails(BASE.replace('{ builtin: zdt1 }', '{ builtin: zdt1, module: x.js }'), 'objective', /exactly one/));
test('rejects: missing objective', () => fails(BASE.replace('objective: { builtin: zdt1 }\n', ''), 'objective', /required/));
test('rejects: bad trials', () => fails(BASE + 'budget: { trials: 0 }\n', 'budget.trials', /trials >= 1/));
test('rejects: bad duration', () => fails(BASE + 'budget: { timeout: soon }\n', 'budget.timeout', /duration/));
test('rejects: negative gpuWorkers; accepts 0 and more', () => {
  fails(BASE + 'budget: { gpuWorkers: -1 }\n', 'budget.gpuWorkers', /gpuWorkers >= 0/);
  assert.is(parseSpace(BASE + 'budget: { gpuWorkers: 3 }\n', 'ok.yaml').budget.gpuWorkers, 3);
  assert.is(parseSpace(BASE, 'ok.yaml').budget.gpuWorkers, undefined, 'absent: the pool plan decides');
});
test('rejects: unknown sampler', () => fails(BASE + 'sampler: tpe\n', 'sampler', /random|sobol|gp/));
test('rejects: constraint without comparison', () => fails(BASE + 'constraints: ["accuracy"]\n', 'constraints.0', /comparison/));
test('rejects: constraint with bad expression', () => fails(BASE + 'constraints: ["acc +* 2 > 1"]\n', 'constraints.0', /position/));
test('rejects: balance with unknown function', () => fails(BASE + 'balance: { efficiency: "evil(accuracy)" }\n', 'balance.efficiency', /unknown function 'evil'/));
test('rejects: log float with low <= 0', () => fails(BASE.replace('bits: { type: ordinal, choices: [2, 4, 8] }', 'lr: { type: float, low: 0, high: 1, log: true }'), 'params.lr.low', /low > 0/));
test('rejects: constraint with an empty side', () => fails(BASE + 'constraints: [" >= 0.9"]\n', 'constraints.0', /a comparison such as/));
test('rejects: constraint with a bad right-hand side', () => fails(BASE + 'constraints: ["accuracy >= 0.9 +* 2"]\n', 'constraints.0', /position/));
test('rejects: empty builtin name', () => fails(BASE.replace('{ builtin: zdt1 }', '{ builtin: "" }'), 'objective.builtin', /./));
test('accepts: int step dividing the range, initial 0, log float with low > 0', () => {
  const space = parseSpace(
    BASE.replace('bits: { type: ordinal, choices: [2, 4, 8] }', 'n: { type: int, low: 1, high: 7, step: 3 }\n  lr: { type: float, low: 1e-4, high: 1, log: true }') + 'sampler: { name: gp, initial: 0 }\n',
    'ok.yaml',
  );
  assert.equal(space.params['n'], { type: 'int', low: 1, high: 7, step: 3, log: false });
  assert.is(space.sampler.initial, 0);
  assert.is((space.params['lr'] as { log: boolean }).log, true);
});
test('rejects: empty module path', () => fails(BASE.replace('{ builtin: zdt1 }', '{ module: "" }'), 'objective.module', /./));
test('rejects: asha minResource 0', () => fails(BASE + 'pruner: { name: asha, minResource: 0 }\n', 'pruner.minResource', /minResource >= 1/));
test('rejects: median interval 0', () => fails(BASE + 'pruner: { name: median, interval: 0 }\n', 'pruner.interval', /interval >= 1/));
test('rejects: zero workers', () => fails(BASE + 'budget: { workers: 0 }\n', 'budget.workers', /workers >= 1/));
test('accepts: the smallest allowed pruner and budget values', () => {
  const space = parseSpace(BASE + 'pruner: { name: median, interval: 1, startupTrials: 0 }\nbudget: { workers: 1, gpuWorkers: 0 }\n', 'ok.yaml');
  assert.is(space.budget.workers, 1);
});
test('rejects: bad direction, naming the choices and the value', () => fails(BASE.replace('maximize', 'max'), 'metrics.accuracy', /^bad\.yaml: metrics\.accuracy: one of "maximize", "minimize", got "max"$/));
test('rejects: bad metric name', () => fails(BASE.replace('{ accuracy: maximize }', '{ "bad name": maximize }'), 'metrics.bad name', /a metric name \(letters, digits and _/));
test('rejects: an enqueued value out of range, naming its entry and parameter', () => fails(BASE + 'enqueue: [{ width: 8, bits: 2 }, { width: 999, bits: 2 }]\n', 'enqueue.1.width', /an integer in \[4, 64\], got 999/));
test('rejects: an enqueued entry that is not a record', () => fails(BASE + 'enqueue: [5]\n', 'enqueue.0', /record/));
test('rejects: hyperband maxResource 0', () => fails(BASE + 'pruner: { name: hyperband, maxResource: 0 }\n', 'pruner.maxResource', /maxResource >= 1/));
test('rejects: unknown pruner', () => fails(BASE + 'pruner: { name: sha }\n', 'pruner.name', /one of none, asha, hyperband, median/));
test('rejects: negative seed', () => fails(BASE + 'seed: -1\n', 'seed', />=0|>= 0|too small/i));
test('pruner: none by default, a name or a block, defaults filled', () => {
  assert.equal(parseSpace(BASE, 'p.yaml').pruner, { name: 'none' });
  assert.equal(parseSpace(BASE + 'pruner: asha\n', 'p.yaml').pruner, { name: 'asha', minResource: 1, reductionFactor: 3 });
  assert.equal(parseSpace(BASE + 'pruner: { name: hyperband, maxResource: 27, reductionFactor: 4 }\n', 'p.yaml').pruner, { name: 'hyperband', minResource: 1, reductionFactor: 4, maxResource: 27 });
  assert.equal(parseSpace(BASE + 'pruner: { name: median, warmupSteps: 2 }\n', 'p.yaml').pruner, { name: 'median', startupTrials: 5, warmupSteps: 2, interval: 1 });
});
test('rejects: unknown pruner', () => fails(BASE + 'pruner: optuna\n', 'pruner.name', /one of none, asha, hyperband, median/));
test('rejects: unknown pruner option', () => fails(BASE + 'pruner: { name: asha, eta: 3 }\n', 'pruner.eta', /unknown field/));
test('rejects: pruner reduction factor below 2', () => fails(BASE + 'pruner: { name: asha, reductionFactor: 1 }\n', 'pruner.reductionFactor', /reductionFactor >= 2/));
test('rejects: pruner minResource below 1', () => fails(BASE + 'pruner: { name: asha, minResource: 0 }\n', 'pruner.minResource', /minResource >= 1/));
test('rejects: pruner maxResource not above minResource', () => fails(BASE + 'pruner: { name: asha, minResource: 3, maxResource: 3 }\n', 'pruner.maxResource', /maxResource > minResource/));
test('rejects: hyperband without maxResource', () => fails(BASE + 'pruner: hyperband\n', 'pruner.maxResource', /required/));
test('rejects: median interval 0', () => fails(BASE + 'pruner: { name: median, interval: 0 }\n', 'pruner.interval', /interval >= 1/));
test('rejects: fractional pruner steps', () => fails(BASE + 'pruner: { name: median, warmupSteps: 1.5 }\n', 'pruner.warmupSteps', /integer/));
test('--pruner outside a file: same rules, the option named', () => {
  assert.equal(parsePruner('asha', '--pruner asha'), { name: 'asha', minResource: 1, reductionFactor: 3 });
  assert.throws(() => parsePruner('hyperband', '--pruner hyperband'), (e: unknown) => e instanceof UsageError && /^--pruner hyperband: pruner.maxResource: required/.test(e.message));
});
test('rejects: missing file', () => {
  try {
    loadSpace('/nonexistent/space.yaml');
    assert.unreachable();
  } catch (err) {
    assert.match((err as Error).message, /^\/nonexistent\/space.yaml: \(root\): file not found$/);
  }
});

test.run();
