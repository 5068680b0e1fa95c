/**
 * GP sampler: Bayesian optimization with one Gaussian process per objective and per constraint.
 * This file is the only bridge from trials to matrices (src/gp and src/acquisition know nothing of
 * trials).
 *
 * - Inputs: the space's FeatureMap (src/space/features.ts): one feature per float / int / ordinal
 *   parameter (its unit-cube coordinate, so log parameters are modelled on the log scale and
 *   integers at their bin centres), and a one-hot block per categorical parameter. Integers and
 *   ordinals are relaxed during gradient refinement and rounded after.
 * - Objectives: the space's `metrics`, maximized ones negated, so everything is minimized.
 *   One objective: log EI (incumbent = best posterior mean among feasible observed points).
 *   Two: exact log EHVI. Three: Monte-Carlo EHVI (128 fixed base samples). Four or more: ParEGO
 *   (random augmented-Chebyshev scalarization per proposal, one GP, log EI).
 * - Constraints (`lhs op rhs` from the space): a GP on each constraint's slack (src/pareto's
 *   feasibility rule: met when the slack is ≥ 0, > 0 for strict comparisons), folded in as log
 *   probability of feasibility. With no feasible trial yet, the acquisition is PoF alone.
 * - Failed trials carry no usable metrics and are left out of the models; their
 *   configurations are still never proposed again. Pruned trials likewise by default (their
 *   metrics are partial: early values would pass for final ones); option `pruned: last` puts them
 *   in the models with their last reported values instead, `pruned: pending` conditions the
 *   models on them as on running trials (see docs/benchmarks.md, bench:prune).
 * - Initial design: scrambled Sobol (the `sobol` sampler's sequence, by trial number) until
 *   `initial` (default max(5, 2·d)) trials have been started, and while fewer than 2 are complete.
 * - Pending trials (running, and earlier proposals of the same batch): Kriging believer — each
 *   model is conditioned on its own posterior mean at the pending points (hyperparameters kept),
 *   which removes their uncertainty, so the next proposal goes elsewhere. From three pending points
 *   on, with two or more objectives, their uncertainty is tempered (src/acquisition/tempered.ts). With `batch: mc` (one or
 *   two objectives) Monte Carlo joint fantasies instead (gp-fantasy.ts; bench:batch compares them).
 * - Determinism: the same seed and history give the same proposals. Hyperparameter fits are
 *   warm-started from this instance's previous fit (much cheaper), so a resumed study (a fresh
 *   instance) may propose slightly differently from an uninterrupted one.
 *
 * Options (`sampler: { name: gp, initial: 10, rawSamples: 512, ... }`):
 *   rawSamples (512) Sobol candidates per proposal; restarts (5) candidates refined by L-BFGS;
 *   referencePoint ({ metric: value }) hypervolume reference for EHVI in metric units (default:
 *   inferred at every proposal call from the models' optimistic extremes, gp-reference.ts and
 *   src/pareto's extremesReferencePoint);
 *   pruned (pending | ignore | last) how pruned trials enter the models: by default out of them
 *   but treated like running trials, so a pruned configuration is never proposed again (with
 *   `ignore` the models never see it and the same spot wins the acquisition again);
 *   batch (believer | mc) how pending trials enter the acquisition.
 */
import { UsageError } from '../errors.js';
import { fitGP, type GPModel } from '../gp/index.js';
import {
  chebyshevScalarize,
  logEHVIScore,
  logEIScore,
  logMCEHVIScore,
  marginalAcquisition,
  optimizeAcquisition,
  simplexWeights,
  temperedForPending,
  withFeasibility,
  type MarginalScore,
} from '../acquisition/index.js';
import { deriveSeed, Rng } from '../math/index.js';
import { acquisitionReferencePoint, compileConstraints, constraintSlack, extremesReferencePoint, nonDominatedPoints, slackMeets, type CompiledConstraint } from '../pareto/index.js';
import { FeatureMap, paramsKey, type Params, type Space } from '../space/index.js';
import type { Sampler, SamplerHistory, SamplerOptions, Trial } from '../study/index.js';
import { checkOptions } from './options.js';
import { acquisitionBudget } from './acquisition-budget.js';
import { pendingFantasyAcquisition } from './gp-fantasy.js';
import { predictedExtremes } from './gp-reference.js';
import { ModelCache, SAMPLER_LENGTHSCALE_DENSITY } from './model-cache.js';
import { SobolSampler } from './sobol.js';

const MC_SAMPLES = 128;
const STREAM = 0x6b0;
/** The `pruned` option's values. */
const PRUNED_AS = ['ignore', 'last', 'pending'] as const;
type PrunedAs = (typeof PRUNED_AS)[number];

export class GpSampler implements Sampler {
  readonly name = 'gp';
  private readonly space: Space;
  private readonly seed: number;
  private readonly features: FeatureMap;
  private readonly objectives: { readonly metric: string; readonly sign: number }[];
  private readonly constraints: CompiledConstraint[];
  private readonly initial: number;
  private readonly rawSamples: number;
  private readonly restarts: number;
  private readonly refPoint: number[] | null;
  /** How pruned trials enter the models: not at all, at their last reported values, or as pending points. */
  private readonly prunedAs: PrunedAs;
  /** How pending trials enter the acquisition: Kriging believer, or Monte Carlo fantasies (gp-fantasy.ts). */
  private readonly batch: 'believer' | 'mc';
  private readonly design: SobolSampler;
  /** Models and hyperparameters of the last call, per model key: warm starts and refit policy. */
  private readonly modelCache: ModelCache;

  /** `internal.incrementalModels: false` restores the previous rebuild-per-call path (bench:bo only). */
  constructor(options: SamplerOptions, internal: { readonly incrementalModels?: boolean } = {}) {
    checkOptions('gp', options.options, ['rawSamples', 'restarts', 'referencePoint', 'pruned', 'batch'], options.space.file);
    const o = options.options ?? {};
    this.space = options.space;
    this.seed = options.seed;
    this.features = new FeatureMap(options.space.params);
    this.objectives = Object.entries(options.space.metrics).map(([metric, dir]) => ({ metric, sign: dir === 'maximize' ? -1 : 1 }));
    if (this.objectives.length === 0) throw new UsageError(`sampler 'gp' needs at least one metric in the space, got none`);
    this.constraints = compileConstraints(options.space.constraints);
    const d = this.features.dims.length;
    this.initial = options.initial ?? Math.max(5, 2 * d);
    this.rawSamples = positiveInt(o['rawSamples'], 'rawSamples', 512);
    this.restarts = positiveInt(o['restarts'], 'restarts', 5);
    this.refPoint = this.parseRefPoint(o['referencePoint']);
    const pruned = o['pruned'] ?? 'pending';
    if (!PRUNED_AS.includes(pruned as PrunedAs)) throw new UsageError(`sampler 'gp': option 'pruned' must be ${PRUNED_AS.join(', ')}, got ${JSON.stringify(pruned)}`);
    this.prunedAs = pruned as PrunedAs;
    const batch = o['batch'] ?? 'believer';
    if (batch !== 'believer' && batch !== 'mc') throw new UsageError(`sampler 'gp': option 'batch' must be believer or mc, got ${JSON.stringify(batch)}`);
    this.batch = batch;
    this.design = new SobolSampler({ space: options.space, seed: options.seed });
    this.modelCache = new ModelCache(options.seed, STREAM, internal.incrementalModels ?? true);
  }

  private parseRefPoint(value: unknown): number[] | null {
    if (value === undefined) return null;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new UsageError(`sampler 'gp': option 'referencePoint' must map each metric to a number, got ${JSON.stringify(value)}`);
    }
    const rec = value as Record<string, unknown>;
    return this.objectives.map(({ metric, sign }) => {
      const v = rec[metric];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new UsageError(`sampler 'gp': option 'referencePoint.${metric}' must be a finite number, got ${JSON.stringify(v)}`);
      }
      return sign * v;
    });
  }

  async propose(k: number, history: SamplerHistory): Promise<Params[]> {
    const out: Params[] = [];
    const modelled = (t: Trial): boolean => t.state === 'complete' || (this.prunedAs === 'last' && t.state === 'pruned');
    // Row order stable across calls, so the last call's models extend instead of being rebuilt.
    const complete = this.modelCache.order(history.finished.filter((t) => modelled(t) && this.objectiveValues(t) !== null));
    const started = history.finished.length + history.running.length;
    // Initial design: the Sobol sequence by trial number, with the history it would see.
    let i = 0;
    while (i < k && (started + i < this.initial || complete.length < 2)) i++;
    if (i > 0) out.push(...(await this.design.propose(i, history)));
    if (i === k) return out;

    const taken = new Set<string>();
    for (const t of [...history.finished, ...history.running]) taken.add(paramsKey(this.space, t.params));
    for (const p of out) taken.add(paramsKey(this.space, p));
    // `pending`: a pruned configuration is believed to score the model's mean there, like a running
    // one, so its partial values mislead nothing and the next proposals still move away from it.
    const prunedPending = this.prunedAs === 'pending' ? history.finished.filter((t) => t.state === 'pruned').map((t) => t.params) : [];
    const pending = [...history.running.map((t) => t.params), ...prunedPending, ...out].map((p) => this.features.encode(p));
    const models = this.fitModels(complete, pending);
    // Without a given reference point, the models' extremes, once per call (gp-reference.ts).
    const extremes = this.refPoint ? null : this.extremes(models, history.nextNumber);
    for (; i < k; i++) {
      const n = history.nextNumber + i;
      const x = this.proposeOne(models, n, taken, extremes);
      const params = x ? this.features.decode(x) : (await this.design.propose(1, { ...history, nextNumber: n }))[0]!;
      taken.add(paramsKey(this.space, params));
      out.push(params);
      this.addPending(models, this.features.encode(params));
    }
    return out;
  }

  /** Objective values (minimized) of a complete trial, or null when a metric is missing. */
  private objectiveValues(t: Trial): number[] | null {
    if (!t.metrics) return null;
    const v = this.objectives.map(({ metric, sign }) => sign * (t.metrics![metric] ?? NaN));
    return v.every(Number.isFinite) ? v : null;
  }

  /** The constraint's slack in a trial (src/pareto/violation.ts); NaN when it cannot be evaluated. */
  private constraintValue(t: Trial, c: CompiledConstraint): number {
    try {
      return constraintSlack(c, t.metrics ?? {});
    } catch {
      return NaN;
    }
  }

  private fitModels(complete: readonly Trial[], pending: number[][]): { all: GPModel[]; observed: number[][]; Y: number[][]; feasible: boolean[]; fantasies: number[][]; scalarized: boolean } {
    const X = complete.map((t) => this.features.encode(t.params));
    const Y = complete.map((t) => this.objectiveValues(t)!);
    const m = this.objectives.length;
    const ids = complete.map((t) => t.number);
    const fit = (key: string, rows: number[], xs: number[][], ys: number[]): GPModel => this.modelCache.fit(key, rows, xs, ys);
    const all: GPModel[] = [];
    const scalarized = m >= 4;
    if (!scalarized) for (let j = 0; j < m; j++) all.push(fit(`obj:${j}`, ids, X, Y.map((y) => y[j]!)));
    // With ParEGO the objective model is fitted per proposal (its weights change); see proposeOne.
    const feasible = complete.map(() => true);
    this.constraints.forEach((c, ci) => {
      const g = complete.map((t) => this.constraintValue(t, c));
      g.forEach((v, r) => {
        if (!slackMeets(c.constraint.op, v)) feasible[r] = false;
      });
      const idx = g.map((v, r) => (Number.isFinite(v) ? r : -1)).filter((r) => r >= 0);
      const rows = idx.length > 0 ? idx.map((r) => ids[r]!) : ids;
      const xs = idx.length > 0 ? idx.map((r) => X[r]!) : X;
      const ys = idx.length > 0 ? idx.map((r) => g[r]!) : X.map(() => 0);
      all.push(fit(`con:${ci}`, rows, xs, ys));
    });
    const models = { all, observed: X, Y, feasible, fantasies: [] as number[][], scalarized };
    for (const xf of pending) this.addPending(models, xf);
    return models;
  }

  /** Whether pending points are Monte Carlo fantasies rather than believed (one or two objectives). */
  private fantasised(models: { readonly scalarized: boolean }): boolean {
    return this.batch === 'mc' && !models.scalarized && this.objectives.length <= 2;
  }

  /**
   * A pending point: the Kriging believer conditions each model on its own mean there (its
   * uncertainty is gone, so the next proposal goes elsewhere); with fantasies only the constraint
   * models are, and the objectives are sampled jointly at the pending points when scoring.
   */
  private addPending(models: ReturnType<GpSampler['fitModels']>, xf: number[]): void {
    models.fantasies.push(xf);
    const first = this.fantasised(models) ? this.objectives.length : 0;
    for (let j = first; j < models.all.length; j++) {
      const m = models.all[j]!;
      models.all[j] = m.condition([xf], [m.posterior([xf]).mean[0]!]);
    }
  }

  /**
   * The models' optimistic extremes (gp-reference.ts) from which the EHVI's reference point is
   * inferred when none is given; null with one objective, ParEGO, or no feasible observation.
   */
  private extremes(models: ReturnType<GpSampler['fitModels']>, n: number): number[][] | null {
    const m = this.objectives.length;
    if (models.scalarized || m < 2) return null;
    const means = models.all.slice(0, m).map((g) => g.trainingMeans());
    const rows = models.observed.map((x, r) => ({ x, y: means.map((col) => col[r]!) })).filter((_, r) => models.feasible[r]);
    if (rows.length === 0) return null;
    return predictedExtremes({
      models: models.all,
      objectives: m,
      senses: this.constraints.map(() => 1),
      X: rows.map((r) => r.x),
      fitted: rows.map((r) => r.y),
      features: this.features,
      seed: deriveSeed(this.seed, STREAM, n, 3),
    });
  }

  private proposeOne(models: ReturnType<GpSampler['fitModels']>, n: number, taken: Set<string>, extremes: number[][] | null): number[] | null {
    const m = this.objectives.length;
    const rng = new Rng(deriveSeed(this.seed, STREAM, n));
    let objModels = models.scalarized ? [] : models.all.slice(0, m);
    const conModels = models.scalarized ? models.all : models.all.slice(m);
    if (models.scalarized) {
      // ParEGO: one GP on a fresh random scalarization, conditioned on the pending points too.
      const w = simplexWeights(Array.from({ length: m }, () => rng.uniform()));
      const s = chebyshevScalarize(models.Y, w);
      let gp = fitGP(models.observed, s, { seed: deriveSeed(this.seed, STREAM, n, 1), restarts: 2, lengthscaleDensity: SAMPLER_LENGTHSCALE_DENSITY });
      for (const xf of models.fantasies) gp = gp.condition([xf], [gp.posterior([xf]).mean[0]!]);
      objModels = [gp];
    }
    // Incumbents: posterior means at observed points and fantasies, feasible ones only.
    const points = [...models.observed, ...models.fantasies];
    const nData = points.length;
    const feasibleMask = [...models.feasible, ...models.fantasies.map((xf) => conModels.every((c, ci) => slackMeets(this.constraints[ci]!.constraint.op, c.posterior([xf]).mean[0]!)))];
    // Believed pending points are rows of the objective models; fantasised ones are not (their
    // fitted values are the posterior means there).
    const fantasies = this.fantasised(models) && models.fantasies.length > 0;
    const means = objModels.map((g) => g.trainingMeans());
    const pendingMeans = fantasies ? objModels.map((g) => g.posterior(models.fantasies).mean) : [];
    const fitted = points.map((_, r) => means.map((col, j) => (r < col.length ? col[r]! : pendingMeans[j]![r - col.length]!)));
    const feasibleFitted = fitted.filter((_, r) => feasibleMask[r]);
    const inferred = (): number[] => (extremes ? extremesReferencePoint(extremes, feasibleFitted) : acquisitionReferencePoint(feasibleFitted));
    const ref = objModels.length > 1 && feasibleFitted.length > 0 ? (this.refPoint ?? inferred()) : null;
    let score: MarginalScore | null = null;
    if (feasibleFitted.length > 0) {
      if (objModels.length === 1) score = logEIScore(Math.min(...feasibleFitted.map((y) => y[0]!)));
      else if (m === 2) score = logEHVIScore(feasibleFitted, ref!);
      else {
        const base = Array.from({ length: MC_SAMPLES }, () => Array.from({ length: m }, () => rng.normal()));
        score = logMCEHVIScore(feasibleFitted, ref!, base);
      }
    }
    const nObserved = models.observed.length;
    const acq =
      fantasies && feasibleFitted.length > 0
        ? pendingFantasyAcquisition({
            objectives: objModels,
            constraints: conModels,
            pending: models.fantasies,
            pendingFeasible: feasibleMask.slice(nObserved),
            front: fitted.slice(0, nObserved).filter((_, r) => feasibleMask[r]),
            ref,
            rng,
          })
        : marginalAcquisition([...objModels, ...conModels], withFeasibility(temperedForPending(score, objModels.length, models.fantasies.length), this.constraints.map(() => 1), objModels.length));
    // Anchors: the best observed configurations (Pareto set, or lowest values), perturbed locally.
    const front = nonDominatedPoints(feasibleFitted.length > 0 ? feasibleFitted : fitted);
    const frontKeys = new Set(front.map((y) => y.join(',')));
    const anchors = fitted
      .map((y, r) => ({ x: points[r]!, y }))
      .filter((a, r) => r < models.observed.length && frontKeys.has(a.y.join(',')))
      .slice(0, 12)
      .map((a) => a.x);
    const best = optimizeAcquisition(acq, {
      features: this.features,
      seed: deriveSeed(this.seed, STREAM, n, 2),
      ...acquisitionBudget(nData, this.rawSamples, this.restarts, fantasies),
      anchors,
      isTaken: (x) => taken.has(paramsKey(this.space, this.features.decode(x))),
    });
    return best ? best.x : null;
  }
}

function positiveInt(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new UsageError(`sampler 'gp': option '${name}' must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}
