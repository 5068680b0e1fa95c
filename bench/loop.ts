/**
 * bench:loop — orchestration overhead of the study loop: 1,000 trials of a zero-cost objective,
 * random sampler, 2 worker threads, SQLite storage on disk. Everything measured is overhead
 * (sampler + storage + pool round trip). In the same run, Optuna with SQLite storage on the same
 * zero-cost objective (single process, as Optuna's optimize() runs it), for the ratio.
 *
 * Second table: the loop's overhead per trial at 500 trials with the live report on. A study is
 * seeded with REPORT_START complete trials of the analytic trade-off example, then the loop runs it
 * to REPORT_END with trials that each take REPORT_TRIAL_MS; overhead per trial = (wall − trials ×
 * trial time / workers) / trials. Rows side by side: report off; the report as it was built before
 * (inline in the finished handler, so before the freed worker's next trial, with its own balance
 * fit); and the live report (report/live.ts: after the next launches, sharing the balance fit).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { SharedBalance } from '../src/balance/index.js';
import type { Objective } from '../src/objectives/index.js';
import { LiveReport, writeReport } from '../src/report/index.js';
import { createSampler, withBalanceRefinement } from '../src/samplers/index.js';
import { loadSpace } from '../src/space/index.js';
import { openStorage, SqliteStorage } from '../src/storage/index.js';
import type { SqliteOptions } from '../src/storage/sqlite.js';
import { rawTrialStatements } from './raw-trial-statements.js';
import { runStudy, type LoopEvent } from '../src/study/index.js';
import { PiscinaExecutor } from '../src/workers/index.js';
import { markdownTable, runPython, writeBenchReport } from './common.js';

const TRIALS = Number(process.env.TRIALS ?? 1000);
const WORKERS = 2;

async function sweetspot(dir: string, statements?: SqliteOptions['statements']) {
  mkdirSync(dir, { recursive: true });
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
  const storage = statements ? new SqliteStorage(join(dir, 'bench.db'), { create: true, statements }) : await openStorage(join(dir, 'bench.db'));
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

const REPORT_START = Number(process.env.REPORT_START ?? 460);
const REPORT_END = Number(process.env.REPORT_END ?? 500);
const REPORT_TRIAL_MS = 200;

type ReportMode = 'off' | 'inline (before)' | 'live (after)';

/** One row of the report table: REPORT_START seeded trials, then the loop to REPORT_END. */
async function withReport(dir: string, mode: ReportMode, refine: boolean) {
  const tag = `${refine ? 'refine' : 'plain'}-${mode.split(' ')[0]}`;
  const spaceFile = join(dir, `${tag}.yaml`);
  writeFileSync(
    spaceFile,
    `name: ${tag}
objective:
  module: ${JSON.stringify(fileURLToPath(new URL('./fixtures/tradeoff-objective.js', import.meta.url)))}
  options: { epochs: 3, halfCapacity: 4000, sleepMs: ${REPORT_TRIAL_MS} }
params:
  width:   { type: int, low: 2, high: 128, log: true }
  depth:   { type: int, low: 1, high: 3 }
  pruning: { type: float, low: 0.0, high: 0.95 }
  bits:    { type: ordinal, choices: [2, 4, 8, 16, 32] }
metrics: { accuracy: maximize, size_bits: minimize }
constraints: [ "accuracy >= 0.5" ]
balance: { size: size_bits, efficiency: "accuracy - 0.005 * log2(size_bits)" }
sampler: random
`,
  );
  const space = loadSpace(spaceFile);
  const storage = await openStorage(join(dir, `${tag}.db`));
  const study = await storage.createStudy({ name: tag, spaceFile, spaceText: space.text, spaceHash: space.hash, directions: space.metrics, seed: 1 });
  // Seed the history in-process: same objective, no sleep.
  const objective = (await import(new URL('./fixtures/tradeoff-objective.js', import.meta.url).href)).default as Objective;
  const seeding = createSampler(space.sampler, { space, seed: 2 });
  const proposals = await seeding.propose(REPORT_START, { finished: [], running: [], nextNumber: 0 });
  for (const [i, params] of proposals.entries()) {
    const ctx = { study: tag, trial: i, seed: i, signal: new AbortController().signal, report: () => undefined, workdir: dir, studyDir: dir, options: { epochs: 3, halfCapacity: 4000 } };
    const out = (await objective(params, ctx)) as Record<string, number>;
    await storage.startTrial(tag, params, 0);
    await storage.finishTrial(tag, i, { state: 'complete', metrics: { accuracy: out.accuracy!, size_bits: out.size_bits! } });
  }
  const shared = new SharedBalance(space);
  const inner = createSampler(space.sampler, { space, seed: 1 });
  // Before: the sampler and the report each fitted the balance; after: one shared fit per history.
  const sampler = refine ? withBalanceRefinement(inner, space, 1, mode === 'live (after)' ? shared : new SharedBalance(space)) : inner;
  const path = join(dir, `${tag}.html`);
  const live = mode === 'live (after)' ? new LiveReport({ path, space, study, balance: shared }) : null;
  // The report as it was before this change: built in the finished handler (the loop then awaited
  // it; the synchronous build alone already runs before the loop can launch), every max(2 s, 5 × cost).
  let lastEnd = -Infinity;
  let lastCost = 0;
  let inlineWrites = 0;
  const onEvent = (e: LoopEvent): void | Promise<void> => {
    if (e.type !== 'finished') return undefined;
    if (live) return live.update(e.history);
    if (mode !== 'inline (before)') return undefined;
    const t0 = performance.now();
    if (t0 - lastEnd < Math.max(2000, 5 * lastCost)) return undefined;
    inlineWrites++;
    return writeReport({ space, study, trials: e.history }, path).then(() => {
      lastEnd = performance.now();
      lastCost = lastEnd - t0;
    });
  };
  const executor = new PiscinaExecutor({ workers: WORKERS });
  await Promise.all(Array.from({ length: WORKERS }, (_, i) => executor.run({ study: 'warm', trial: i, seed: 0, params: proposals[0]!, objective: { ...space.objective, options: { sleepMs: 0 } }, workdir: join(dir, 'warm'), studyDir: dir })));
  const summary = await runStudy({ storage, study, space, sampler, executor, trials: REPORT_END, studyDir: join(dir, tag), onEvent });
  if (live) await live.flush(summary.trials);
  await executor.close();
  await storage.close();
  const ran = summary.launched;
  const wall = summary.elapsedMs;
  const ideal = (ran * REPORT_TRIAL_MS) / WORKERS;
  return { mode, refine, ran, wall, overheadMs: (wall - ideal) / ran, writes: live ? live.writes : inlineWrites, utilization: summary.utilization };
}

const dir = mkdtempSync(join(tmpdir(), 'sweetspot-bench-loop-'));
const reportRows: Awaited<ReturnType<typeof withReport>>[] = [];
if (process.env.SKIP_REPORT !== '1') {
  for (const refine of [false, true]) {
    for (const mode of ['off', 'inline (before)', 'live (after)'] as const) {
      reportRows.push(await withReport(dir, mode, refine));
      process.stdout.write(`report row: ${mode}, ${refine ? 'random + balance refinement' : 'random'}: ${reportRows.at(-1)!.overheadMs.toFixed(0)} ms/trial\n`);
    }
  }
}
// The storage's trial statements are drizzle queries; the same in raw SQL run beside them,
// alternating, three times each after one uncounted warm-up run, medians reported.
const runs = { drizzle: [] as number[], raw: [] as number[] };
await sweetspot(join(dir, 'warm-up'));
let complete = 0;
for (const round of [0, 1, 2]) {
  const mine = await sweetspot(join(dir, `drizzle-${round}`));
  runs.drizzle.push(mine.seconds);
  complete = round === 0 ? mine.complete : Math.min(complete, mine.complete);
  runs.raw.push((await sweetspot(join(dir, `raw-${round}`), rawTrialStatements)).seconds);
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ours = { seconds: median(runs.drizzle), complete };
const rawSeconds = median(runs.raw);
const optunaScript = join(dir, 'optuna_loop.py');
writeFileSync(optunaScript, OPTUNA);
const optunaOut = runPython(optunaScript, [String(TRIALS), `sqlite:///${join(dir, 'optuna.db')}`]);
const optunaSeconds = optunaOut === null ? null : Number(optunaOut.trim().split('\n').pop());
rmSync(dir, { recursive: true, force: true });

const rows: (string | number)[][] = [
  ['sweetspot (2 worker threads, SQLite WAL)', TRIALS, ours.seconds, TRIALS / ours.seconds, (ours.seconds / TRIALS) * 1000, '1'],
  ['sweetspot, trial statements in raw SQL instead of drizzle', TRIALS, rawSeconds, TRIALS / rawSeconds, (rawSeconds / TRIALS) * 1000, `${(rawSeconds / ours.seconds).toFixed(2)}x`],
];
if (optunaSeconds !== null) {
  rows.push(['Optuna RandomSampler, SQLite (1 process)', TRIALS, optunaSeconds, TRIALS / optunaSeconds, (optunaSeconds / TRIALS) * 1000, `${(optunaSeconds / ours.seconds).toFixed(1)}x slower`]);
}
const reportTable = markdownTable(
  ['sampler', 'report', 'trials run', 'wall (s)', 'overhead per trial (ms)', 'report writes', 'worker utilization'],
  reportRows.map((r) => [r.refine ? 'random + balance refinement' : 'random', r.mode, r.ran, r.wall / 1000, r.overheadMs, r.writes, `${(r.utilization * 100).toFixed(0)}%`]),
);
writeBenchReport(
  'loop',
  'bench:loop — orchestration overhead per trial',
  [
    markdownTable(['system', 'trials', 'seconds', 'trials/s', 'ms per trial', 'vs sweetspot'], rows),
    '',
    `## At ${REPORT_END} trials with the live report: trials ${REPORT_START}–${REPORT_END - 1}, ${REPORT_TRIAL_MS} ms each, ${WORKERS} workers`,
    '',
    reportTable,
  ].join('\n'),
  [
    `zero-cost objective: every millisecond is sampler + storage + worker round trip; ${ours.complete}/${TRIALS} trials complete`,
    'target: under 2 ms of orchestration per trial',
    `sweetspot rows: median of three runs each, drizzle and raw SQL alternating after a warm-up run (drizzle ${runs.drizzle.map((x) => x.toFixed(3)).join(', ')} s; raw ${runs.raw.map((x) => x.toFixed(3)).join(', ')} s)`,
    optunaSeconds !== null
      ? 'Optuna figure measured in the same run with /usr/bin/python3 (python3-optuna), its own optimize() loop'
      : 'no Optuna row: /usr/bin/python3 with python3-optuna was not found (apt-get install python3-optuna)',
    `report table: overhead per trial = (wall − trials × ${REPORT_TRIAL_MS} ms / ${WORKERS}) / trials; "inline (before)" rebuilds the report in the finished handler as run.ts did before report/live.ts, with its own balance fit; "live (after)" is report/live.ts with the fit shared with the refinement sampler`,
  ],
);
