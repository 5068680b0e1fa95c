import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tempDir } from '../study/helpers.js';
import { cli } from './run-cli.js';

test('a command objective runs through the worker pool: results, reports, failures and a trial timeout', () => {
  // n = 4 ignores SIGTERM (and so does its sleep, which inherits the ignored signal): only the
  // SIGKILL after the 6 s grace stops it, later than the pool's default 5 s thread grace.
  const dir = tempDir();
  // n = 3 fails, n = 4 hangs past the trial timeout (4 s: room for a loaded machine to start the others); the others print two reports and a result.
  writeFileSync(
    join(dir, 'obj.sh'),
    `n=$1
if [ "$n" = 3 ]; then echo "bad n" >&2; exit 2; fi
if [ "$n" = 4 ]; then trap '' TERM; echo $$ > "$SWEETSPOT_WORKDIR/sh.pid"; sleep 30 & echo $! > "$SWEETSPOT_WORKDIR/sleep.pid"; wait; fi
echo '{"step": 1, "loss": 9}'
echo '{"step": 2, "loss": 5}'
echo "{\\"loss\\": $n, \\"size\\": $((10 - n))}"
`,
  );
  writeFileSync(
    join(dir, 'space.yaml'),
    `name: cmd
objective: { command: "sh obj.sh {n}", grace: 6s }
params: { n: { type: categorical, choices: [1, 2, 3, 4] } }
metrics: { loss: minimize, size: minimize }
budget: { trials: 8, workers: 2, trialTimeout: 4s }
sampler: random
seed: 5
`,
  );
  const db = join(dir, 'db.sqlite');
  const run = cli(['run', 'space.yaml', '--storage', db, '--no-report'], dir);
  assert.is(run.code, 0, run.stderr);
  const doc = JSON.parse(cli(['export', 'cmd', '--storage', db], dir).stdout);
  const byN = (n: number) => doc.trials.filter((t: { params: { n: number } }) => t.params.n === n);
  assert.ok(doc.trials.length === 8);
  for (const t of [...byN(1), ...byN(2)]) {
    assert.is(t.state, 'complete', t.error ?? '');
    assert.equal(t.metrics, { loss: t.params.n, size: 10 - t.params.n });
    assert.equal(t.intermediate.map((i: { step: number }) => i.step), [1, 2]);
  }
  for (const t of byN(3)) assert.match(t.error, /exited with code 2; stderr: bad n/);
  for (const t of byN(4)) {
    assert.is(t.state, 'failed');
    assert.match(t.error, /timed out|timeout/i);
  }
  assert.ok(byN(3).length > 0 && byN(4).length > 0, 'seed 5 draws both failing values');
  // The hanging trials' shell and sleep (pids written to their trial folders) are gone.
  const pids = byN(4).flatMap((t: { number: number }) => ['sh.pid', 'sleep.pid'].map((f) => Number(readFileSync(join(dir, 'cmd', 'trials', String(t.number), f), 'utf8'))));
  const isAlive = (pid: number): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  // A process killed just before the CLI exited may take a moment to be reaped.
  for (let waited = 0; waited < 3000 && pids.some(isAlive); waited += 50) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  assert.equal(pids.filter(isAlive), [], 'no process of a stopped trial is left behind');
});

test('a command objective is stopped early by a pruner and reported like a builtin', () => {
  // Accuracy grows with n at every step; queued first, n = 8 and 9 set the median, after which
  // trials with a small n are behind it from step 1 and are stopped: SIGTERM to their group.
  const dir = tempDir();
  writeFileSync(
    join(dir, 'curve.sh'),
    `n=$1
for k in 1 2 3 4 5 6; do
  echo "{\\"step\\": $k, \\"accuracy\\": 0.$n$k}"
  sleep 0.2
done
echo "{\\"accuracy\\": 0.\${n}9}"
`,
  );
  writeFileSync(
    join(dir, 'space.yaml'),
    `name: curves
objective: { command: "sh curve.sh {n}", grace: 1s }
params: { n: { type: int, low: 1, high: 9 } }
metrics: { accuracy: maximize }
budget: { trials: 5, workers: 1 }
enqueue: [ { n: 9 }, { n: 8 }, { n: 1 }, { n: 2 }, { n: 3 } ]
pruner: { name: median, startupTrials: 2 }
sampler: random
seed: 3
`,
  );
  const db = join(dir, 'db.sqlite');
  const run = cli(['run', 'space.yaml', '--storage', db, '--report', 'curves.html'], dir);
  assert.is(run.code, 0, run.stderr);
  const doc = JSON.parse(cli(['export', 'curves', '--storage', db], dir).stdout);
  const state = (n: number) => doc.trials.find((t: { params: { n: number } }) => t.params.n === n);
  for (const n of [9, 8]) assert.is(state(n).state, 'complete', state(n).error ?? '');
  for (const n of [1, 2, 3]) {
    const t = state(n);
    assert.is(t.state, 'pruned', `n = ${n}: ${t.state} ${t.error ?? ''}`);
    assert.ok(t.intermediate.length >= 1 && t.intermediate.length < 6, `n = ${n} stopped before its last step (${t.intermediate.length} reports)`);
  }
  const html = readFileSync(join(dir, 'curves.html'), 'utf8');
  assert.match(html, /3 pruned/);
});

test.run();
