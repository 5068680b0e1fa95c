import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tempDir } from '../study/helpers.js';
import { cli } from './run-cli.js';
import type { BalanceResult, SharedBalance } from '../../src/balance/index.js';
import { repeatScheduler } from '../../src/cli/repeats.js';
import { openStorage } from '../../src/storage/index.js';
import { makeSpace, makeTrial } from '../pareto/fixtures.js';
import { newStudy } from '../storage/contract.js';

const SHIPPED = fileURLToPath(new URL('../../../search-spaces/analytic-tradeoff.yaml', import.meta.url));
const OBJECTIVE = fileURLToPath(new URL('../../../search-spaces/objectives/analytic-tradeoff.mjs', import.meta.url));

test('balance.repeats: the last trials re-run the recommended configuration with new seeds, counted in the budget, reported as mean ± sd', () => {
  const dir = tempDir();
  const space = join(dir, 'repeats.yaml');
  const text = readFileSync(SHIPPED, 'utf8')
    .replace('./objectives/analytic-tradeoff.mjs', OBJECTIVE)
    .replace('efficiency: "accuracy - 0.005 * log2(size_bits)"', 'efficiency: "accuracy - 0.005 * log2(size_bits)"\n  repeats: 3')
    .replace('budget: { trials: 40, workers: 2 }', 'budget: { trials: 14, workers: 1 }');
  assert.match(text, /repeats: 3/);
  writeFileSync(space, text);
  const db = join(dir, 'study.db');
  const run = cli(['run', space, '--storage', db, '--sampler', 'sobol', '--report', join(dir, 'r.html')], dir);
  assert.is(run.code, 0, run.stderr);
  const note = /re-running trial (\d+)'s configuration 3 times with new seeds \(balance\.repeats\)/.exec(run.stderr);
  assert.ok(note, run.stderr);
  const trials = JSON.parse(cli(['export', 'analytic-tradeoff', '--storage', db, '--format', 'json'], dir).stdout).trials as { number: number; params: unknown; state: string }[];
  assert.is(trials.length, 14, 'repeats counted in the budget');
  const of = trials.find((t) => t.number === Number(note![1]))!;
  const repeats = trials.filter((t) => t.number !== of.number && JSON.stringify(t.params) === JSON.stringify(of.params));
  assert.equal(repeats.map((t) => t.number), [11, 12, 13], 'the last three trials');
  // The summary, `balance` and the report say E (and each metric) as mean ± sd over the runs.
  assert.match(run.stdout, new RegExp(`Repeated: trial #${of.number} ×4 \\(#${of.number}, #11, #12, #13\\): E [\\d.]+ ± [\\d.e-]+; accuracy [\\d.]+ ± [\\d.e-]+`));
  const balance = cli(['balance', 'analytic-tradeoff', '--storage', db], dir);
  assert.match(balance.stdout, /repeated: trial #\d+ ×4/);
  const json = JSON.parse(cli(['balance', 'analytic-tradeoff', '--storage', db, '--json'], dir).stdout);
  const r = json.replicated[0];
  assert.equal(r.trials, [of.number, 11, 12, 13]);
  assert.ok(r.e.sd > 0, 'new seeds give new noise draws');
  assert.match(readFileSync(join(dir, 'r.html'), 'utf8'), /class="repeated">repeated: trial #\d+ ×4/);
});

test('balance.repeats are planned once per study, even when two processes see the same history at once', async () => {
  const storage = await openStorage(':memory:');
  try {
    const study = await storage.createStudy(newStudy());
    const space = makeSpace(`
objective: { module: ./x.js }
params: { s: { type: float, low: 8, high: 24 } }
metrics: { accuracy: maximize, size_bits: minimize }
balance: { efficiency: "accuracy - 0.005 * log2(size_bits)", repeats: 3 }
budget: { trials: 10 }
`);
    const history = Array.from({ length: 7 }, (_, i) => makeTrial(i, { accuracy: 0.8, size_bits: 2 ** (10 + i) }, 'complete', { s: 10 + i }));
    const balance = { explain: () => ({ result: { recommended: { trial: 3, params: { s: 13 }, metrics: {} } } as unknown as BalanceResult }) } as unknown as SharedBalance;
    const notes: string[] = [];
    const [a, b] = [0, 1].map(() => repeatScheduler(storage, study, space, 10, balance, (line) => notes.push(line)));
    await Promise.all([a!(history), b!(history)]);
    const waiting = await storage.getTrials(study.name, ['waiting']);
    assert.is(waiting.length, 3, 'three repeats, not six');
    assert.equal(waiting.map((t) => t.params), [{ s: 13 }, { s: 13 }, { s: 13 }]);
    assert.is(notes.length, 1, notes.join('\n'));
  } finally {
    await storage.close();
  }
});

test.run();
