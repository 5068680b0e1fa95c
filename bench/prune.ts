/**
 * bench:prune — early stopping on the synthetic learning curves (built-in `learning-curves`:
 * accuracy against size, fast / steady / late-bloomer curves with noise, known final values).
 * Each seed runs the same sweep (random sampler: the same configurations by trial number) with
 * every pruner and without one, on the real study loop (in-process executor, 4 slots, so trials
 * arrive asynchronously), and compares the final hypervolume of the complete trials and the
 * steps spent. Steps cost nothing: the figures are about decisions, not time.
 *
 *   npm run bench:prune   (PRUNE_SEEDS=10 PRUNE_TRIALS=60 PRUNE_SLOTS=4 PRUNE_SAMPLER=random to change)
 */
import { openStorage } from '../src/storage/index.js';
import { createPruner } from '../src/pruners/index.js';
import { createSampler } from '../src/samplers/index.js';
import { curveFacts } from '../src/objectives/index.js';
import { hypervolume, nonDominatedPoints, paretoFront } from '../src/pareto/index.js';
import { loadSpace, parsePruner, type PrunerConfig, type SamplerName, type Space } from '../src/space/index.js';
import { runStudy } from '../src/study/index.js';
import { InProcessExecutor } from '../src/workers/index.js';
import { markdownTable, writeBenchReport } from './common.js';
import { tmpdir } from 'node:os';

const SEEDS = Number(process.env['PRUNE_SEEDS'] ?? 10);
const TRIALS = Number(process.env['PRUNE_TRIALS'] ?? 60);
const SLOTS = Number(process.env['PRUNE_SLOTS'] ?? 4);
const SAMPLER = (process.env['PRUNE_SAMPLER'] ?? 'random') as SamplerName;
/** The GP sampler's `pruned` option (ignore | last), when PRUNE_SAMPLER=gp. */
const GP_PRUNED = process.env['PRUNE_GP_PRUNED'];
/** PRUNE_DOUBLE=0 skips the runs with twice the trials. */
const DOUBLE = process.env['PRUNE_DOUBLE'] !== '0';
const STEPS = 27;
/** Hypervolume reference point in metric units: accuracy 0, twice the largest size. */
const REFERENCE = [0, 2 ** 21];

/** PRUNE_CONFIGS='[{"name":"asha","minResource":3}, ...]' replaces the pruners measured (for choosing settings). */
const CONFIGS = process.env['PRUNE_CONFIGS'];
const PRUNERS: readonly { label: string; config: PrunerConfig }[] = CONFIGS
  ? [{ label: 'none', config: parsePruner('none', 'bench') }, ...(JSON.parse(CONFIGS) as unknown[]).map((c) => ({ label: JSON.stringify(c), config: parsePruner(c, 'PRUNE_CONFIGS') }))]
  : [
  { label: 'none', config: parsePruner('none', 'bench') },
  { label: 'asha η=3 from step 1', config: parsePruner({ name: 'asha', minResource: 1, maxResource: STEPS, reductionFactor: 3 }, 'bench') },
  { label: 'asha η=3 from step 3', config: parsePruner({ name: 'asha', minResource: 3, maxResource: STEPS, reductionFactor: 3 }, 'bench') },
  { label: 'hyperband η=3', config: parsePruner({ name: 'hyperband', minResource: 1, maxResource: STEPS, reductionFactor: 3 }, 'bench') },
  { label: 'hyperband η=2', config: parsePruner({ name: 'hyperband', minResource: 1, maxResource: STEPS, reductionFactor: 2 }, 'bench') },
  { label: 'median', config: parsePruner({ name: 'median' }, 'bench') },
  ];

interface SweepResult {
  /** Of the complete trials, on (accuracy, size) in metric units, as the study's Pareto analysis computes it. */
  readonly hypervolume: number;
  /** The same on (accuracy, log2 size): every halving of size weighs the same, as on the report's log axis. */
  readonly hypervolumeLog: number;
  readonly steps: number;
  readonly complete: number;
  readonly pruned: number;
  /** Late bloomers on the unpruned sweep's front, and how many of them this sweep completed. */
  readonly frontLate: number;
  readonly frontLateKept: number;
}

async function sweep(space: Space, pruner: PrunerConfig, seed: number, frontNumbers: ReadonlySet<number>, trials = TRIALS): Promise<SweepResult & { front: Set<number> }> {
  const storage = await openStorage(':memory:');
  try {
    const study = await storage.createStudy({ name: 'bench', spaceFile: space.file, spaceText: space.text, spaceHash: space.hash, directions: space.metrics, seed });
    const summary = await runStudy({
      storage,
      study,
      space,
      sampler: createSampler({ name: SAMPLER, options: GP_PRUNED ? { pruned: GP_PRUNED } : {} }, { space, seed }),
      pruner: createPruner({ space, config: pruner }),
      executor: new InProcessExecutor(SLOTS),
      trials,
      studyDir: tmpdir(),
    });
    const done = summary.trials;
    const result = paretoFront(space, done, { referencePoint: REFERENCE });
    const logPoints = done.filter((t) => t.state === 'complete').map((t) => [-t.metrics!['accuracy']!, Math.log2(t.metrics!['size']!)]);
    const steps = done.reduce((a, t) => a + Math.max(0, ...t.intermediate.map((v) => v.step)), 0);
    const late = done.filter((t) => frontNumbers.has(t.number) && curveFacts([0, 1, 2, 3].map((i) => t.params[`x${i}`] as number)).shape === 'late');
    return {
      hypervolume: result.hypervolume.value,
      hypervolumeLog: hypervolume(nonDominatedPoints(logPoints), [-REFERENCE[0]!, Math.log2(REFERENCE[1]!)]).value,
      steps,
      complete: done.filter((t) => t.state === 'complete').length,
      pruned: done.filter((t) => t.state === 'pruned').length,
      frontLate: late.length,
      frontLateKept: late.filter((t) => t.state === 'complete').length,
      front: new Set(result.front.map((t) => t.number)),
    };
  } finally {
    await storage.close();
  }
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const file = loadSpace('search-spaces/learning-curves.yaml');
// Steps cost nothing here: trials run on the main thread, where a stop is seen at the next step.
const space: Space = { ...file, objective: { ...file.objective, options: { ...file.objective.options, stepMs: 0 } } };
const rows = new Map<string, { hvRatio: number[]; hvLogRatio: number[]; hvDouble: number[]; stepsDouble: number[]; stepRatio: number[]; pruned: number[]; late: number; lateKept: number }>();
const started = performance.now();
for (let seed = 0; seed < SEEDS; seed++) {
  const base = await sweep(space, PRUNERS[0]!.config, seed, new Set());
  for (const { label, config } of PRUNERS.slice(1)) {
    const r = await sweep(space, config, seed, base.front);
    const row = rows.get(label) ?? { hvRatio: [], hvLogRatio: [], hvDouble: [], stepsDouble: [], stepRatio: [], pruned: [], late: 0, lateKept: 0 };
    row.hvRatio.push(r.hypervolume / base.hypervolume);
    row.hvLogRatio.push(r.hypervolumeLog / base.hypervolumeLog);
    // The steps saved spent on more trials: twice as many, against the unpruned sweep.
    if (DOUBLE) {
      const more = await sweep(space, config, seed, base.front, 2 * TRIALS);
      row.hvDouble.push(more.hypervolume / base.hypervolume);
      row.stepsDouble.push(more.steps / base.steps);
    }
    row.stepRatio.push(r.steps / base.steps);
    row.pruned.push(r.pruned);
    row.late += r.frontLate;
    row.lateKept += r.frontLateKept;
    rows.set(label, row);
  }
}
const seconds = (performance.now() - started) / 1000;
const table = markdownTable(
  ['pruner', 'HV / unpruned (median)', 'HV (worst)', 'HV log2 size / unpruned (median)', 'HV log2 size (worst)', 'steps / unpruned (median)', 'steps (worst)', 'pruned trials (median)', 'late bloomers of the front kept', 'target met', `${2 * TRIALS} trials: HV / unpruned (median)`, `${2 * TRIALS} trials: steps / unpruned (median)`],
  [...rows].map(([label, r]) => {
    const ok = median(r.hvRatio) >= 0.99 && median(r.stepRatio) <= 0.5;
    return [
      label,
      median(r.hvRatio).toFixed(4),
      Math.min(...r.hvRatio).toFixed(4),
      median(r.hvLogRatio).toFixed(4),
      Math.min(...r.hvLogRatio).toFixed(4),
      median(r.stepRatio).toFixed(3),
      Math.max(...r.stepRatio).toFixed(3),
      median(r.pruned),
      `${r.lateKept} of ${r.late}`,
      ok ? 'yes' : 'no',
      DOUBLE ? median(r.hvDouble).toFixed(4) : '–',
      DOUBLE ? median(r.stepsDouble).toFixed(3) : '–',
    ];
  }),
);
// The main table (random sampler, default pruners) is prune.md; other runs get their own file.
const reportName = SAMPLER === 'random' && !CONFIGS ? 'prune' : `prune-${SAMPLER}${GP_PRUNED ? `-${GP_PRUNED}` : ''}${CONFIGS ? '-configs' : ''}`;
writeBenchReport(reportName, 'bench:prune — early stopping on synthetic learning curves', table, [
  `${SEEDS} seeds × ${TRIALS} trials of ${STEPS} steps, sampler ${SAMPLER}${GP_PRUNED ? ` (pruned: ${GP_PRUNED})` : ''}, ${SLOTS} slots on the real study loop (in-process executor; asynchronous arrival), ${seconds.toFixed(1)} s in all`,
  'HV: hypervolume of the complete trials\' final (accuracy, size), reference point (0, 2^21); ratios against the unpruned sweep of the same seed (same configurations)',
  'steps: sum over trials of the last step reported (the unpruned sweep spends trials × 27)',
  `late bloomers of the front kept: trials on the unpruned sweep's Pareto front whose curve is the late-blooming shape, and how many of them the pruned sweep ran to the end (summed over seeds)`,
  `last two columns: the same pruner given ${2 * TRIALS} trials (the first ${TRIALS} are the same configurations), against the unpruned ${TRIALS}`,
  'target (issue 13): HV within 1% of unpruned (ratio ≥ 0.99) at ≤ 50% of the steps, medians over seeds',
]);
