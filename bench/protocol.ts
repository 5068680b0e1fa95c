/**
 * The benchmark protocol bench:bo and bench:batch share: the problems of
 * shared/reference/problems.py as search spaces, q simulated workers that always keep q trials in
 * flight (each proposal after the first batch is made while the other q − 1 are still running;
 * trials take equal time, so the oldest finishes first), and the score of a run.
 */
import { performance } from 'node:perf_hooks';
import { BENCHMARKS, type BenchmarkProblem } from '../src/objectives/index.js';
import { GpSampler } from '../src/samplers/index.js';
import { parseSpace, type Space } from '../src/space/index.js';
import type { Trial } from '../src/study/index.js';
// The same sweep as problems.py's hypervolume_2d: points with any coordinate >= ref excluded, sorted by (f1, f2).
import { hypervolume2d } from '../src/pareto/index.js';
import { trialRecord } from './common.js';

export { BENCHMARKS, type BenchmarkProblem };

export function problemSpace(p: BenchmarkProblem): Space {
  const params = p.bounds.map(([lo, hi], i) => `  x${i}: { type: float, low: ${lo}, high: ${hi} }`).join('\n');
  const metrics = p.objectives.map((o) => `${o}: minimize`).join(', ');
  return parseSpace(`name: ${p.name}\nobjective: { builtin: ${p.name} }\nparams:\n${params}\nmetrics: { ${metrics} }\n`, `${p.name}.yaml`);
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return String(Number(v.toPrecision(4)));
}

export interface RunResult {
  /** Objective vectors in evaluation order, budget × m. */
  readonly values: number[][];
  /** Seconds per proposal, one entry per propose call (divided by the proposals it made). */
  readonly proposeSeconds: number[];
}

/**
 * One run of `budget` evaluations with `workers` simulated workers and the GP sampler's `options`
 * (the problem's reference point is added for two objectives, as the BoTorch baseline uses it).
 */
export async function runWorkers(p: BenchmarkProblem, seed: number, budget: number, workers: number, options: Record<string, unknown> = {}): Promise<RunResult> {
  const space = problemSpace(p);
  const ref = p.refPoint ? { referencePoint: Object.fromEntries(p.objectives.map((o, j) => [o, p.refPoint![j]!])) } : {};
  const sampler = new GpSampler({ space, seed, options: { ...ref, ...options } });
  const finished: Trial[] = [];
  const running: Trial[] = [];
  const values: number[][] = [];
  const proposeSeconds: number[] = [];
  let started = 0;
  const propose = async (k: number): Promise<void> => {
    const t0 = performance.now();
    const ps = await sampler.propose(k, { finished, running, nextNumber: started });
    proposeSeconds.push((performance.now() - t0) / 1000 / k);
    for (const params of ps) running.push(trialRecord(p.name, started, 'running', params, null, started++ % workers));
  };
  await propose(Math.min(workers, budget));
  while (finished.length < budget) {
    const t = running.shift()!;
    const x = Object.keys(space.params).map((n) => t.params[n] as number);
    const y = p.evaluate(x);
    values.push(y);
    finished.push(trialRecord(p.name, t.number, 'complete', t.params, Object.fromEntries(p.objectives.map((o, j) => [o, y[j]!])), t.worker ?? 0));
    if (started < budget) await propose(1);
  }
  return { values, proposeSeconds };
}

/** Hypervolume ratio (two objectives) or best value (one) of the first `budget` evaluations. */
export function score(p: BenchmarkProblem, values: readonly number[][], budget: number): number {
  const v = values.slice(0, budget);
  return p.refPoint ? hypervolume2d(v, p.refPoint) / p.bestKnown : Math.min(...v.map((y) => y[0]!));
}
