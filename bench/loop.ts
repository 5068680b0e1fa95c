/**
 * bench:loop — orchestration overhead of the study loop: 1,000 trials of a zero-cost objective,
 * random sampler, 2 worker threads, SQLite storage on disk. Everything measured is overhead
 * (sampler + storage + pool round trip). In the same run, Optuna with SQLite storage on the same
 * zero-cost objective (single process, as Optuna's optimize() runs it), for the ratio.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createSampler } from '../src/samplers/index.js';
import { loadSpace } from '../src/space/index.js';
import { openStorage } from '../src/storage/index.js';
import { runStudy } from '../src/study/index.js';
import { PiscinaExecutor } from '../src/workers/index.js';
import { markdownTable, runPython, writeBenchReport } from './common.js';

const TRIALS = Number(process.env.TRIALS ?? 1000);
const WORKERS = 2;

async function sweetspot(dir: string) {
  const spaceFile = join(dir, 'zero.yaml');
  writeFileSync(
    spaceFile,
    `objective: { module: ${JSON.stringify(fileURLToPath(new URL('./fixtures/zero-objective.js', import.meta.url)))} }
params: { x: { type: float, low: -1, high: 1 }, y: { type: int, low: 0, high: 10 } }
metrics: { f: minimize }
sampler: random
`,
  );
  const space = loadSpace(spaceFile);
  const storage = await openStorage(join(dir, 'bench.db'));
  const study = await storage.createStudy({ name: 'loop', spaceFile, spaceText: space.text, spaceHash: space.hash, directions: space.metrics, seed: 1 });
  const executor = new PiscinaExecutor({ workers: WORKERS });
  // Warm the threads so start-up is not counted as per-trial overhead.
  await Promise.all(Array.from({ length: WORKERS }, (_, i) => executor.run({ study: 'warm', trial: i, seed: 0, params: { x: 0, y: 0 }, objective: space.objective, workdir: join(dir, 'warm'), studyDir: dir })));
  const summary = await runStudy({ storage, study, space, sampler: createSampler(space.sampler, { space, seed: 1 }), executor, trials: TRIALS, studyDir: join(dir, 'study') });
  await executor.close();
  const complete = (await storage.getTrials('loop')).filter((t) => t.state === 'complete').length;
  await storage.close();
  return { seconds: summary.elapsedMs / 1000, complete };
}

const OPTUNA = `
import optuna, time, sys
optuna.logging.set_verbosity(optuna.logging.WARNING)
n = int(sys.argv[1]); url = sys.argv[2]
study = optuna.create_study(storage=url, sampler=optuna.samplers.RandomSampler(seed=1))
def f(t):
    return t.suggest_float("x", -1, 1) ** 2 + t.suggest_int("y", 0, 10)
t0 = time.perf_counter(); study.optimize(f, n_trials=n); print(time.perf_counter() - t0)
`;

const dir = mkdtempSync(join(tmpdir(), 'sweetspot-bench-loop-'));
const ours = await sweetspot(dir);
const optunaScript = join(dir, 'optuna_loop.py');
writeFileSync(optunaScript, OPTUNA);
const optunaOut = runPython(optunaScript, [String(TRIALS), `sqlite:///${join(dir, 'optuna.db')}`]);
const optunaSeconds = optunaOut === null ? null : Number(optunaOut.trim().split('\n').pop());
rmSync(dir, { recursive: true, force: true });

const rows: (string | number)[][] = [
  ['sweetspot (2 worker threads, SQLite WAL)', TRIALS, ours.seconds, TRIALS / ours.seconds, (ours.seconds / TRIALS) * 1000, '1'],
];
if (optunaSeconds !== null) {
  rows.push(['Optuna RandomSampler, SQLite (1 process)', TRIALS, optunaSeconds, TRIALS / optunaSeconds, (optunaSeconds / TRIALS) * 1000, `${(optunaSeconds / ours.seconds).toFixed(1)}x slower`]);
}
writeBenchReport(
  'loop',
  'bench:loop — orchestration overhead per trial',
  markdownTable(['system', 'trials', 'seconds', 'trials/s', 'ms per trial', 'vs sweetspot'], rows),
  [
    `zero-cost objective: every millisecond is sampler + storage + worker round trip; ${ours.complete}/${TRIALS} trials complete`,
    'target: under 2 ms of orchestration per trial',
    'Optuna figure measured in the same run with /usr/bin/python3 (python3-optuna), its own optimize() loop',
  ],
);
