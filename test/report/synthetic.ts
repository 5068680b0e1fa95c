/**
 * Deterministic synthetic studies for the report's tests and benchmark: a compression-like study
 * (accuracy falls with fewer bits, more pruning and a narrower network; size follows the real
 * size_bits formula's shape) with failed and infeasible trials and per-epoch intermediate
 * values, and a zdt1 study (no balance block) from the built-in benchmark definition.
 */
import { parseSpace, type Params, type Space } from '../../src/space/index.js';
import type { StudyRecord } from '../../src/study/storage.js';
import type { IntermediateValue, Trial, TrialState } from '../../src/study/trial.js';
import { zdt1 } from '../../src/objectives/benchmarks.js';
import { Rng } from '../../src/math/index.js';

/** The compression search space's `params:` block (five knobs), shared with the live-study browser test. */
export const COMPRESSION_PARAMS_YAML = `params:
  width:       { type: int, low: 4, high: 64, log: true }
  depth:       { type: int, low: 1, high: 3 }
  pruning:     { type: float, low: 0.0, high: 0.95 }
  bits:        { type: ordinal, choices: [2, 4, 8, 16, 32] }
  temperature: { type: float, low: 1.0, high: 20.0, log: true }
`;

export const COMPRESSION_YAML = `name: synthetic-compression
objective:
  builtin: compression
  options: { family: mlp, epochs: 3 }
${COMPRESSION_PARAMS_YAML}metrics:
  accuracy:  maximize
  size_bits: minimize
constraints: [ "accuracy >= 0.9" ]
balance:
  size: size_bits
  efficiency: "accuracy - 0.005 * log2(size_bits)"
budget: { trials: 500, workers: 2 }
sampler: { name: gp, initial: 10 }
seed: 7
`;

export const ZDT1_YAML = `name: synthetic-zdt1
objective: { builtin: zdt1 }
params:
  x0: { type: float, low: 0, high: 1 }
  x1: { type: float, low: 0, high: 1 }
  x2: { type: float, low: 0, high: 1 }
  x3: { type: float, low: 0, high: 1 }
  x4: { type: float, low: 0, high: 1 }
  x5: { type: float, low: 0, high: 1 }
metrics:
  f1: minimize
  f2: minimize
budget: { trials: 60 }
sampler: random
seed: 3
`;

export interface SyntheticStudy {
  readonly space: Space;
  readonly study: StudyRecord;
  readonly trials: Trial[];
  readonly now: string;
}

const T0 = Date.parse('2026-01-05T22:00:00Z');
const iso = (ms: number): string => new Date(ms).toISOString();

function record(space: Space, seed: number): StudyRecord {
  return {
    name: space.name,
    spaceFile: space.file,
    spaceText: space.text,
    spaceHash: space.hash,
    directions: space.metrics,
    seed,
    createdAt: iso(T0),
    attrs: { backend: 'tfjs-node' },
  };
}

/** The compression-like objective: metrics and per-epoch accuracies of one configuration. */
export function compressionLike(p: Params, noise: () => number, epochs = 3): { metrics: Record<string, number>; curve: number[] } {
  const width = p.width as number;
  const depth = p.depth as number;
  const pruning = p.pruning as number;
  const bits = p.bits as number;
  const temperature = p.temperature as number;
  const params = 784 * width + (depth - 1) * width * width + width * 10 + width * depth + 10;
  const nonzero = Math.round(params * (1 - pruning));
  const size_bits = nonzero * bits + (pruning > 0 ? params : 0);
  const capacity = 0.985 - 0.2 * Math.exp(-width / 10) - 0.012 * (3 - depth);
  const quant = { 2: 0.16, 4: 0.025, 8: 0.003, 16: 0.0005, 32: 0 }[bits] ?? 0;
  const prune = 0.6 * Math.max(0, pruning - 0.6) ** 2;
  const distil = 0.006 * Math.log(temperature / 4) ** 2;
  const accuracy = Math.min(0.995, Math.max(0.1, capacity - quant - prune - distil + 0.006 * (noise() - 0.5)));
  const curve = Array.from({ length: epochs }, (_, e) => accuracy * (1 - 0.35 * Math.exp(-1.4 * (e + 1))) + 0.004 * (noise() - 0.5));
  curve[epochs - 1] = accuracy;
  return {
    metrics: {
      accuracy,
      loss: -Math.log(Math.max(1e-3, accuracy)) * 1.3,
      params,
      nonzero_params: nonzero,
      size_bits,
      macs: params - 10,
      latency_ms: 0.05 + params / 2e6 * (bits === 32 ? 1 : 0.7),
      train_seconds: 2 + params / 4e4,
      teacher_accuracy: 0.991,
    },
    curve,
  };
}

function drawParams(space: Space, rand: () => number): Params {
  const out: Record<string, number | string | boolean> = {};
  for (const [name, spec] of Object.entries(space.params)) {
    const u = rand();
    if (spec.type === 'float') out[name] = spec.log ? spec.low * (spec.high / spec.low) ** u : spec.low + u * (spec.high - spec.low);
    else if (spec.type === 'int')
      out[name] = spec.log ? Math.min(spec.high, Math.max(spec.low, Math.round(Math.exp(Math.log(spec.low - 0.5) + u * (Math.log(spec.high + 0.5) - Math.log(spec.low - 0.5)))))) : spec.low + Math.floor(u * (spec.high - spec.low + 1));
    else out[name] = spec.choices[Math.floor(u * spec.choices.length)]!;
  }
  return out;
}

/**
 * `n` compression-like trials: about 9% failed (with an error, some with partial curves), the
 * last `running` still running; the rest complete with 3 epochs of intermediate accuracy.
 */
export function syntheticCompression(n: number, options: { seed?: number; running?: number } = {}): SyntheticStudy {
  const space = parseSpace(COMPRESSION_YAML, 'search-spaces/synthetic-compression.yaml');
  const r = new Rng(options.seed ?? 11);
  const rand = (): number => r.uniform();
  const running = options.running ?? 0;
  const trials: Trial[] = [];
  let clock = T0 + 60_000;
  for (let i = 0; i < n; i++) {
    const params = drawParams(space, rand);
    const { metrics, curve } = compressionLike(params, rand);
    const u = rand();
    const state: TrialState = i >= n - running ? 'running' : u < 0.09 ? 'failed' : 'complete';
    const epochs = state === 'complete' ? 3 : state === 'failed' ? 1 : 2;
    const intermediate: IntermediateValue[] = curve.slice(0, epochs).map((a, e) => ({ step: e + 1, metrics: { accuracy: a, loss: -Math.log(a) } }));
    const duration = Math.round(metrics.train_seconds! * 1000 * (epochs / 3));
    const startedAt = iso(clock);
    const finished = state !== 'running';
    if (finished) clock += duration + 200;
    trials.push({
      study: space.name,
      number: i,
      state,
      params,
      metrics: state === 'complete' ? metrics : null,
      attrs: state === 'complete' ? { backend: 'tfjs-node' } : {},
      intermediate: state === 'failed' && i % 2 === 0 ? [] : intermediate,
      error: state === 'failed' ? `ObjectiveError: metric accuracy must be finite, got NaN (training diverged at epoch ${epochs + 1}, lr 0.01, <width=${params.width}>)` : null,
      worker: i % 2,
      attempt: 1,
      interrupted: false,
      owner: null,
      startedAt,
      finishedAt: finished ? iso(clock) : null,
    });
  }
  return { space, study: record(space, 7), trials, now: iso(clock + 1000) };
}

/** `n` complete zdt1 trials from random points (no balance block, no intermediate values). */
export function syntheticZdt1(n: number, seed = 5): SyntheticStudy {
  const space = parseSpace(ZDT1_YAML, 'search-spaces/synthetic-zdt1.yaml');
  const r = new Rng(seed);
  const rand = (): number => r.uniform();
  const trials: Trial[] = [];
  for (let i = 0; i < n; i++) {
    const x = Array.from({ length: 6 }, () => rand() * (i % 3 === 0 ? 0.2 : 1));
    const [f1, f2] = zdt1.evaluate(x);
    const params: Record<string, number> = {};
    x.forEach((v, j) => (params[`x${j}`] = v));
    trials.push({
      study: space.name,
      number: i,
      state: 'complete',
      params,
      metrics: { f1: f1!, f2: f2! },
      attrs: {},
      intermediate: [],
      error: null,
      worker: 0,
      attempt: 1,
      interrupted: false,
      owner: null,
      startedAt: iso(T0 + i * 1000),
      finishedAt: iso(T0 + i * 1000 + 5),
    });
  }
  return { space, study: { ...record(space, 3), attrs: {} }, trials, now: iso(T0 + n * 1000) };
}
