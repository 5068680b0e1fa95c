/**
 * Two loops on one study through two connections to one database file, as two `sweetspot worker`
 * processes: each sampler is asked with the other process's running trials in its history (the
 * pending points come from storage, not from this process alone), so no configuration is
 * evaluated twice. One process here keeps the test fast and lets the samplers be watched; the
 * real multi-process scenarios are in test/cli/worker.test.ts.
 */
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createSampler } from '../../src/samplers/index.js';
import { openStorage } from '../../src/storage/index.js';
import { runStudy, type Sampler, type SamplerHistory, type TrialExecutor, type TrialOutcome, type TrialSpec } from '../../src/study/index.js';
import { syntheticSpace, tempDir } from './helpers.js';

/** Each trial sleeps `ms` and returns the synthetic metrics. */
class SleepingExecutor implements TrialExecutor {
  constructor(
    readonly slots: number,
    private readonly ms: number,
  ) {}
  async run(spec: TrialSpec): Promise<TrialOutcome> {
    await new Promise((r) => setTimeout(r, this.ms));
    return { ok: true, output: { loss: (spec.params.x as number) ** 2, size: 1 }, seconds: this.ms / 1000, intermediate: [] };
  }
  async close(): Promise<void> {}
}

/** The sampler, recording the owners of the running trials it was shown at each call. */
function watched(inner: Sampler): Sampler & { runningOwners: Set<string> } {
  const runningOwners = new Set<string>();
  return {
    name: inner.name,
    runningOwners,
    propose: (k: number, history: SamplerHistory) => {
      for (const t of history.running) if (t.owner) runningOwners.add(t.owner);
      return inner.propose(k, history);
    },
  };
}

for (const samplerName of ['random', 'gp'] as const) {
  test(`${samplerName}: two processes' samplers see each other's running trials; 16 trials, none twice`, async () => {
    const dir = tempDir();
    const space = syntheticSpace(dir, { trials: 16, workers: 2 });
    const spaced = { ...space, sampler: { name: samplerName, options: {}, ...(samplerName === 'gp' ? { initial: 4 } : {}) } };
    const file = join(dir, 'shared.db');
    const first = await openStorage(file);
    const second = await openStorage(file);
    const study = await first.createStudy({ name: 's', spaceFile: space.file, spaceText: space.text, spaceHash: space.hash, directions: space.metrics, seed: 5 });
    // Same seed in both: the samplers would propose the same points but for what storage tells them.
    const samplers = [first, second].map(() => watched(createSampler(spaced.sampler, { space: spaced, seed: 5 })));
    // A lease far longer than any proposal: with 400 ms a GP fit on a loaded machine held the event
    // loop past the lease, the other process took the trial over as abandoned and ran its
    // configuration again (seen failing "no configuration twice" under load). Taking over dead
    // processes' trials is tested in test/chaos/chaos.test.ts and test/cli/worker.test.ts, not here.
    const run = (storage: typeof first, owner: string, sampler: Sampler) =>
      runStudy({ storage, study, space: spaced, sampler, executor: new SleepingExecutor(2, 40), trials: 16, studyDir: dir, owner, leaseMs: 30_000 });
    await Promise.all([run(first, 'process-a', samplers[0]!), run(second, 'process-b', samplers[1]!)]);
    const trials = await first.getTrials('s');
    assert.is(trials.filter((t) => t.state === 'complete').length, 16);
    assert.is(new Set(trials.map((t) => JSON.stringify(t.params))).size, 16, 'no configuration twice');
    assert.ok(samplers[0]!.runningOwners.has('process-b'), "process a's sampler was shown process b's running trials");
    assert.ok(samplers[1]!.runningOwners.has('process-a'), "process b's sampler was shown process a's running trials");
    const owners = new Set(trials.map((t) => t.owner));
    assert.equal([...owners].sort(), ['process-a', 'process-b'], 'both processes ran trials');
    await first.close();
    await second.close();
  });
}

test.run();
