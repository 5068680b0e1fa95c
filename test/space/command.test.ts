import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SpaceError } from '../../src/errors.js';
import { parseSpace, splitCommand, substitute } from '../../src/space/index.js';

const space = (objective: string): string => `
objective: ${objective}
params:
  width: { type: int, low: 4, high: 64 }
  lr: { type: float, low: 0.001, high: 0.1, log: true }
metrics: { accuracy: maximize }
`;

function rejects(objective: string, field: string, expected: RegExp): void {
  try {
    parseSpace(space(objective), 'bad.yaml');
  } catch (err) {
    assert.instance(err, SpaceError);
    assert.is((err as SpaceError).field, field, (err as Error).message);
    assert.match((err as Error).message, expected);
    assert.not.match((err as Error).message, /\n/);
    return;
  }
  assert.unreachable(`expected ${objective} to be rejected`);
}

test('splitCommand splits words like a shell: quotes group, backslashes escape, nothing expands', () => {
  assert.equal(splitCommand('python3 train.py --width {width}'), ['python3', 'train.py', '--width', '{width}']);
  assert.equal(splitCommand(`a 'b c' "d \\"e\\"" f\\ g '' $HOME`), ['a', 'b c', 'd "e"', 'f g', '', '$HOME']);
  assert.equal(splitCommand('  x\t\ty  '), ['x', 'y']);
  assert.throws(() => splitCommand('a "b'), /unclosed " quote/);
  assert.throws(() => splitCommand('a \\'), /backslash/);
});

test('substitute replaces known placeholders and leaves the rest', () => {
  assert.is(substitute('--w={width}/{lr}/{other}', { width: 8, lr: 0.5 }), '--w=8/0.5/{other}');
});

test('a command string is split; cwd resolves from the space file; env values become strings', () => {
  const s = parseSpace(space('{ command: "python3 t.py --width {width} --lr={lr} --out {workdir}/x", cwd: sub, env: { A: 1, B: two } }'), '/tmp/sp/a.yaml');
  assert.equal(s.objective.command, {
    argv: ['python3', 't.py', '--width', '{width}', '--lr={lr}', '--out', '{workdir}/x'],
    cwd: '/tmp/sp/sub',
    env: { A: '1', B: 'two' },
    graceMs: 5000,
    metrics: [],
  });
  assert.is(s.objective.builtin, undefined);
});

test('a command list is kept as given; cwd defaults to the space folder; grace is a duration', () => {
  const s = parseSpace(space('{ command: [sh, -c, "echo {width} {trial} {seed}"], grace: 2s }'), '/tmp/sp/a.yaml');
  assert.equal(s.objective.command!.argv, ['sh', '-c', 'echo {width} {trial} {seed}']);
  assert.is(s.objective.command!.cwd, '/tmp/sp');
  assert.is(s.objective.command!.graceMs, 2000);
});

test('objective.metrics lists what a command prints beyond the objectives', () => {
  const s = parseSpace(space('{ command: "python3 t.py", metrics: [latency_ms, macs] }'), '/tmp/sp/a.yaml');
  assert.equal(s.objective.command!.metrics, ['latency_ms', 'macs']);
});

test('rejects: objective.metrics with a name that is not a metric name', () => rejects('{ command: "python3 t.py", metrics: ["a b"] }', 'objective.metrics.0', /a metric name/));

test('rejects: a placeholder that is not a parameter', () => rejects('{ command: "run {widht}" }', 'objective.command', /\{widht\} is not a parameter \(known: width, lr, trial, seed, workdir\)/));
test('rejects: an unclosed quote', () => rejects(`{ command: "run 'x" }`, 'objective.command', /unclosed ' quote/));
test('rejects: an empty command list', () => rejects('{ command: [] }', 'objective.command', /program name/));
test('rejects: an empty program', () => rejects('{ command: [""] }', 'objective.command', /program name/));
test('rejects: command beside module', () => rejects('{ command: "x", module: y.js }', 'objective', /exactly one of builtin, module or command/));
test('rejects: cwd without a command', () => rejects('{ builtin: zdt1, cwd: x }', 'objective', /only to a command objective/));
test('rejects: a bad env name', () => rejects('{ command: x, env: { "1A": x } }', 'objective.env.1A', /environment variable name/));
test('rejects: a bad grace', () => rejects('{ command: x, grace: soon }', 'objective.grace', /duration/));
test('rejects: a command of the wrong type', () => rejects('{ command: 3 }', 'objective.command', /command line string or a list/));

test.run();
