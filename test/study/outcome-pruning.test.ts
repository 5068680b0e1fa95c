/** The loop's two pure helpers: checking an objective's output, and the pruning hook. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSpace } from '../../src/space/index.js';
import { checkOutput, type PruneRequest, type Pruner, type Trial, type TrialOutcome } from '../../src/study/index.js';
import { StudyPruning } from '../../src/study/pruning.js';

const space = parseSpace('objective: { builtin: zdt1 }\nparams: { x: { type: float, low: 0, high: 1 } }\nmetrics: { loss: minimize, size: minimize }\n', 's.yaml');

test('checkOutput: numbers are metrics, strings attributes; every metric present and finite', () => {
  assert.equal(checkOutput(space, { loss: 1, size: 2, extra: 3, backend: 'wasm' }), { ok: true, metrics: { loss: 1, size: 2, extra: 3 }, attrs: { backend: 'wasm' } });
  assert.equal(checkOutput(space, { loss: 1, size: NaN }), { ok: false, error: "metric 'size' is not finite (got NaN)" });
  assert.equal(checkOutput(space, { loss: 1, size: 2, flag: true }), { ok: false, error: "output 'flag' must be a number (metric) or a string (attribute), got boolean" });
  assert.equal(checkOutput(space, { loss: 1, note: 'x' }), { ok: false, error: "metric 'size' missing from the objective's output (it returned loss)" });
  assert.equal(checkOutput(space, {}), { ok: false, error: "metric 'loss' missing from the objective's output (it returned no metrics)" });
});

const trial = (number: number, state: Trial['state'] = 'running'): Trial => ({
  study: 's', number, state, params: { x: 0.5 }, metrics: null, attrs: {}, intermediate: [], error: null, worker: 0, attempt: 1, interrupted: false, owner: null, startedAt: null, finishedAt: null,
});
const aborted = (intermediate: TrialOutcome['intermediate'] = []): TrialOutcome => ({ ok: false, error: 'aborted', aborted: true, seconds: 1, intermediate });

/** Stops a trial when it reports step `at`; records every request. */
function stopAt(at: number): Pruner & { requests: PruneRequest[] } {
  const requests: PruneRequest[] = [];
  return { name: 'test', requests, prune: (r) => (requests.push(r), r.step >= at ? `step ${r.step} is too late` : null) };
}

test('pruning: the pruner sees the trial\'s values so far and the others\' live ones; a stop aborts the signal with a pruned reason', () => {
  const pruner = stopAt(3);
  const history: Trial[] = [trial(0, 'complete'), trial(1), trial(2)];
  const pruning = new StudyPruning(pruner, () => history);
  const other = pruning.watch(history[2]!);
  other.report(1, { loss: 9 });
  const watch = pruning.watch(history[1]!);
  watch.report(2, { loss: 4 });
  watch.report(1, { loss: 5 });
  assert.equal(pruner.requests.at(-1)!.trial.intermediate, [{ step: 1, metrics: { loss: 5 } }, { step: 2, metrics: { loss: 4 } }], 'a late lower step goes before, not over, the next one');
  watch.report(2, { loss: 3 }); // a repeated step replaces the earlier value
  assert.not.ok(watch.signal!.aborted);
  const last = pruner.requests.at(-1)!;
  assert.equal(last.trial.intermediate, [{ step: 1, metrics: { loss: 5 } }, { step: 2, metrics: { loss: 3 } }]);
  assert.equal(last.others.map((t) => t.number), [0, 2]);
  assert.equal(last.others[1]!.intermediate, [{ step: 1, metrics: { loss: 9 } }], 'a running trial with its live values');
  watch.report(3, { loss: 2.5, size: 7 });
  assert.ok(watch.signal!.aborted);
  assert.match(String((watch.signal!.reason as Error).message), /^pruned: step 3 is too late$/);
  const asked = pruner.requests.length;
  watch.report(4, { loss: 2 });
  assert.is(pruner.requests.length, asked, 'not asked again once stopped');
  // The stored result: pruned, every value reported (late ones from the outcome too), last value of each metric.
  const result = watch.prunedResult(aborted([{ step: 5, metrics: { loss: 1.5 } }]))!;
  assert.equal(result, { state: 'pruned', metrics: { loss: 1.5, size: 7 }, error: 'pruned: step 3 is too late' });
  assert.is(watch.prunedResult({ ok: true, output: { loss: 1, size: 1 }, seconds: 1, intermediate: [] }), null, 'finished anyway: not pruned');
  watch.close();
  other.report(2, { loss: 8 });
  assert.equal(pruner.requests.at(-1)!.others.map((t) => [t.number, t.intermediate.length]), [[0, 0], [1, 0]], 'a closed trial\'s live values are forgotten');
});

test('pruning: no pruner (or "none") leaves the outer signal and never prunes; an aborted study does not ask', () => {
  const outer = new AbortController();
  for (const pruner of [undefined, { name: 'none', prune: () => 'always' }]) {
    const watch = new StudyPruning(pruner, () => []).watch(trial(0), outer.signal);
    assert.is(watch.signal, outer.signal);
    watch.report(1, { loss: 1 });
    assert.is(watch.prunedResult(aborted()), null);
  }
  const pruner = stopAt(1);
  const watch = new StudyPruning(pruner, () => []).watch(trial(0), outer.signal);
  assert.not.ok(watch.signal!.aborted);
  outer.abort(new Error('stop'));
  assert.ok(watch.signal!.aborted, 'the study\'s abort reaches the trial');
  watch.report(1, { loss: 1 });
  assert.is(pruner.requests.length, 0);
  assert.is(watch.prunedResult(aborted()), null, 'aborted by the study, not pruned');
});

test.run();
