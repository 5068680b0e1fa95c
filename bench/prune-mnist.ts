/**
 * bench:prune-mnist — early stopping on real MNIST compression sweeps at equal wall-clock.
 *
 * For each seed, the unpruned and the pruned sweep of the same space (same seed, same sampler,
 * only the pruner differs) run at the same time as two `sweetspot run` processes, so both see the
 * same machine load; each gets the same number of minutes and a trial budget it will not reach.
 * At the deadline both are stopped (SIGTERM twice: running trials are aborted and go back to
 * waiting); only trials that finished before it count. The shared teacher is trained once, here,
 * before any clock starts (kept in the temp folder for later runs), and copied into each study's
 * folder, where ensureTeacher finds it before it would train or fetch one.
 *
 * Figures per arm and seed: trials complete and pruned, epochs run (the last step each finished
 * trial reported), the accuracy–size hypervolume on (accuracy, log2 size_bits) against a fixed
 * reference point (accuracy 0.9 = the space's constraint; the largest size the space can
 * propose), and the best accuracy at a few sizes.
 *
 *   npm run bench:prune-mnist   (PRUNE_MNIST_MINUTES=30 PRUNE_MNIST_SEEDS=3 PRUNE_MNIST_FIRST_SEED=7 PRUNE_MNIST_WORKERS=2
 *     PRUNE_MNIST_SPACE=search-spaces/mnist-cnn.yaml
 *     PRUNE_MNIST_PRUNER='{"name":"hyperband","minResource":1,"maxResource":4,"reductionFactor":2}')
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { loadBackend } from '../src/engine/index.js';
import { ensureTeacher, plannedSize, resolveSettings, splitDigits, teacherRequest } from '../src/objectives/compression/index.js';
import { hypervolume2d } from '../src/pareto/index.js';
import { loadSpace, parsePruner, type Params, type PrunerConfig, type Space } from '../src/space/index.js';
import { openStorage } from '../src/storage/index.js';
import type { Trial } from '../src/study/index.js';
import { formatBytes, formatSize } from '../src/format/index.js';
import { markdownTable, REPO, writeBenchReport } from './common.js';

const MINUTES = Number(process.env['PRUNE_MNIST_MINUTES'] ?? 30);
const SEEDS = Number(process.env['PRUNE_MNIST_SEEDS'] ?? 3);
/** First seed (default: the space's); the others follow it. */
const FIRST_SEED = process.env['PRUNE_MNIST_FIRST_SEED'];
const WORKERS = Number(process.env['PRUNE_MNIST_WORKERS'] ?? 2);
const SPACE_FILE = process.env['PRUNE_MNIST_SPACE'] ?? 'search-spaces/mnist-cnn.yaml';
const PRUNED: PrunerConfig = parsePruner(
  JSON.parse(process.env['PRUNE_MNIST_PRUNER'] ?? '{"name":"hyperband","minResource":1,"maxResource":4,"reductionFactor":2}'),
  'PRUNE_MNIST_PRUNER',
);
/** Sizes at which the best accuracy is reported, in bits. */
const SIZE_LIMITS = [16, 64, 256].map((kib) => kib * 8192);
/** The feasibility floor of the MNIST spaces (`accuracy >= 0.9`), also the reference point's accuracy. */
const ACCURACY_FLOOR = 0.9;
const STUDY = 'prune-mnist';

interface ArmResult {
  readonly complete: number;
  readonly pruned: number;
  /** Running at the deadline (aborted, not counted). */
  readonly unfinished: number;
  readonly epochs: number;
  readonly hypervolume: number;
  readonly bestAt: readonly (number | null)[];
}

const ARMS: readonly { readonly label: string; readonly pruner: PrunerConfig }[] = [
  { label: 'none', pruner: parsePruner('none', 'bench') },
  { label: prunerLabel(PRUNED), pruner: PRUNED },
];

function prunerLabel(p: PrunerConfig): string {
  if (p.name === 'none' || p.name === 'median') return p.name;
  return `${p.name} η=${p.reductionFactor}, steps ${p.minResource}–${p.maxResource ?? '∞'}`;
}

/** The space file's text with its top-level `pruner:` line replaced (or added). */
function withPruner(text: string, pruner: PrunerConfig): string {
  const line = `pruner: ${JSON.stringify(pruner)}`;
  if (/^pruner:\s*$/m.test(text)) throw new Error(`${SPACE_FILE}: give pruner: on one line for this benchmark`);
  return /^pruner:.*$/m.test(text) ? text.replace(/^pruner:.*$/m, line) : `${text.trimEnd()}\n${line}\n`;
}

/** Trains (or finds) the study's teacher once, outside every clock; returns its folder. */
async function trainTeacher(space: Space, root: string): Promise<{ dir: string; seconds: number; accuracy: number; trained: boolean }> {
  const options = space.objective.options ?? {};
  const s = resolveSettings(anyParams(space), options);
  const { tf } = await loadBackend(s.options.backend);
  const split = splitDigits(s.options.trainSamples, s.options.testSamples, s.options.splitSeed);
  const started = performance.now();
  const teacher = await ensureTeacher(tf, teacherRequest(s), root, split);
  return { dir: teacher.dir, seconds: (performance.now() - started) / 1000, accuracy: teacher.accuracy, trained: teacher.trained };
}

/** Some valid parameters (the teacher does not depend on them): each parameter's low end or first choice. */
function anyParams(space: Space): Params {
  return Object.fromEntries(Object.entries(space.params).map(([k, p]) => [k, 'choices' in p ? p.choices[0]! : p.low])) as Params;
}

/** The largest size_bits the space can propose: every knob at its size-maximising end. */
function largestSize(space: Space): number {
  const params = Object.fromEntries(
    Object.entries(space.params).map(([k, p]) => [k, k === 'pruning' ? 0 : 'choices' in p ? p.choices[p.choices.length - 1]! : p.high]),
  ) as Params;
  return plannedSize(resolveSettings(params, space.objective.options ?? {})).size_bits!;
}

/** Runs one arm's `sweetspot run` until the deadline, then stops it. */
function runArm(spaceFile: string, db: string, seed: number, deadline: number, log: string): Promise<number | null> {
  const args = ['bin/sweetspot.js', 'run', spaceFile, '--storage', db, '--study', STUDY, '--seed', String(seed), '--workers', String(WORKERS), '--trials', '100000', '--timeout', `${MINUTES}m`, '--no-report'];
  const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => out.push(b));
  const stop = setTimeout(() => {
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGTERM'), 500);
  }, deadline - Date.now());
  return new Promise((done) => {
    child.on('exit', (code) => {
      clearTimeout(stop);
      writeFileSync(log, Buffer.concat(out));
      done(code);
    });
  });
}

async function measure(db: string, deadline: number, maxSize: number): Promise<ArmResult> {
  const storage = await openStorage(db, { create: false });
  let trials: Trial[];
  try {
    trials = await storage.getTrials(STUDY);
  } finally {
    await storage.close();
  }
  const inTime = trials.filter((t) => (t.state === 'complete' || t.state === 'pruned') && t.finishedAt !== null && Date.parse(t.finishedAt) <= deadline);
  const complete = inTime.filter((t) => t.state === 'complete' && t.metrics);
  const points = complete.map((t) => [-t.metrics!['accuracy']!, Math.log2(t.metrics!['size_bits']!)]);
  return {
    complete: complete.length,
    pruned: inTime.filter((t) => t.state === 'pruned').length,
    unfinished: trials.length - inTime.length,
    epochs: inTime.reduce((sum, t) => sum + Math.max(0, ...t.intermediate.map((v) => v.step)), 0),
    hypervolume: hypervolume2d(points, [-ACCURACY_FLOOR, Math.log2(maxSize)]),
    bestAt: SIZE_LIMITS.map((limit) => {
      const fits = complete.filter((t) => t.metrics!['size_bits']! <= limit).map((t) => t.metrics!['accuracy']!);
      return fits.length > 0 ? Math.max(...fits) : null;
    }),
  };
}

async function main(): Promise<void> {
  const space = loadSpace(resolve(REPO, SPACE_FILE));
  const work = mkdtempSync(join(tmpdir(), 'prune-mnist-'));
  const maxSize = largestSize(space);
  // Kept between runs (keyed by everything that shapes it, so a stale one is never used).
  const teacher = await trainTeacher(space, join(tmpdir(), 'sweetspot-prune-mnist-teachers'));
  const teacherNote = teacher.trained ? `trained once, in ${teacher.seconds.toFixed(0)} s, before the clocks started` : `trained by an earlier run, loaded from ${dirname(teacher.dir)}`;
  process.stdout.write(`teacher ${teacherNote} (accuracy ${teacher.accuracy.toFixed(4)})\n`);
  const text = readFileSync(space.file, 'utf8');
  const rows: (string | number)[][] = [];
  const byArm = new Map<string, ArmResult[]>();
  const loads: number[] = [];
  const sampler = setInterval(() => loads.push(loadavg()[0]!), 30_000);
  try {
    for (let k = 0; k < SEEDS; k++) {
      const seed = (FIRST_SEED === undefined ? (space.seed ?? 7) : Number(FIRST_SEED)) + k;
      const start = Date.now();
      const deadline = start + MINUTES * 60_000;
      const runs = ARMS.map((arm, i) => {
        const dir = join(work, `seed-${seed}`, `arm-${i}`);
        mkdirSync(join(dir, STUDY), { recursive: true });
        cpSync(teacher.dir, join(dir, STUDY, basename(teacher.dir)), { recursive: true });
        const spaceFile = join(dir, basename(space.file));
        writeFileSync(spaceFile, withPruner(text, arm.pruner));
        const db = join(dir, 'sweetspot.db');
        return runArm(spaceFile, db, seed, deadline, join(dir, 'run.log')).then(async (code) => ({ arm, code, result: await measure(db, deadline, maxSize) }));
      });
      for (const { arm, code, result } of await Promise.all(runs)) {
        process.stdout.write(`seed ${seed} ${arm.label}: exit ${code}, ${result.complete} complete, ${result.pruned} pruned, hypervolume ${result.hypervolume.toFixed(4)}\n`);
        byArm.set(arm.label, [...(byArm.get(arm.label) ?? []), result]);
        rows.push([seed, arm.label, ...cells(result)]);
      }
    }
  } finally {
    clearInterval(sampler);
  }
  for (const arm of ARMS) rows.push(['mean', arm.label, ...cells(meanOf(byArm.get(arm.label) ?? []))]);
  const [plain, pruned] = ARMS.map((a) => byArm.get(a.label) ?? []);
  const wins = plain!.filter((p, i) => pruned![i]!.hypervolume > p.hypervolume).length;
  const meanLoad = loads.length > 0 ? loads.reduce((a, b) => a + b, 0) / loads.length : loadavg()[0]!;
  writeBenchReport(
    'prune-mnist',
    `Early stopping on real MNIST sweeps at equal wall-clock (${basename(space.file)})`,
    markdownTable(['seed', 'pruner', 'complete', 'pruned', 'unfinished at the deadline', 'epochs run', 'hypervolume', ...SIZE_LIMITS.map((b) => `best accuracy ≤ ${formatBytes(b)}`)], rows),
    [
      `Scale: ${SEEDS} seed${SEEDS === 1 ? '' : 's'} × ${MINUTES} min × ${WORKERS} workers per arm; both arms of a seed ran at the same time (so ${2 * WORKERS} worker threads), same seed and sampler (${space.sampler.name}), only the pruner differs.`,
      `Machine load (1-minute load average, sampled every 30 s during the runs): mean ${meanLoad.toFixed(1)}, max ${Math.max(meanLoad, ...loads).toFixed(1)}.`,
      `Pruned arm wins on hypervolume in ${wins} of ${plain!.length} seeds.`,
      `Hypervolume on (accuracy, log2 size_bits) of the complete trials, reference point (accuracy ${ACCURACY_FLOOR}, size ${formatSize(maxSize)} = the largest the space proposes): every halving of the size weighs the same, and only trials meeting the space's accuracy floor count.`,
      `Only trials finished before the deadline count; "epochs run" sums the last step each of them reported (the teacher's epochs are not counted: it was ${teacherNote}, and copied into each study's folder; accuracy ${teacher.accuracy.toFixed(4)}).`,
    ],
  );
  if (process.env['PRUNE_MNIST_KEEP'] !== '1') rmSync(work, { recursive: true, force: true });
  else process.stdout.write(`studies kept under ${work}\n`);
}

function cells(r: ArmResult): (string | number)[] {
  return [r.complete, r.pruned, r.unfinished, r.epochs, r.hypervolume, ...r.bestAt.map((a) => (a === null ? '—' : a))];
}

function meanOf(results: readonly ArmResult[]): ArmResult {
  const mean = (f: (r: ArmResult) => number) => results.reduce((a, r) => a + f(r), 0) / Math.max(1, results.length);
  return {
    complete: mean((r) => r.complete),
    pruned: mean((r) => r.pruned),
    unfinished: mean((r) => r.unfinished),
    epochs: mean((r) => r.epochs),
    hypervolume: mean((r) => r.hypervolume),
    bestAt: SIZE_LIMITS.map((_, k) => {
      const known = results.map((r) => r.bestAt[k]).filter((a): a is number => a !== null && a !== undefined);
      return known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : null;
    }),
  };
}

await main();
