/**
 * The GP sampler's models between proposals: when hyperparameters are refitted, and how a model
 * grows in between. Refitting (warm-started from the last fit) happens on every call up to
 * REFIT_ALWAYS points and beyond it whenever the data has grown by REFIT_GROWTH since the last fit.
 * In between, the last model is extended by the rows that are new since it was built (a block
 * append to its Cholesky factor, O(n² k)) rather than rebuilt (O(n³)): at 1,000 trials the rebuild
 * was most of a proposal's time (docs/benchmarks.md, bench:bo latency). Extending keeps the last
 * fit's output standardization as well as its hyperparameters until the next refit.
 *
 * Rows keep a stable order across calls (earlier rows first, new ones appended by trial number),
 * so the last model's rows are a prefix of the next call's.
 */
import { fitGP, type GPHyper, type GPModel } from '../gp/index.js';
import { deriveSeed } from '../math/index.js';

/**
 * The sampler's models take the lengthscale prior's MAP over ℓ, as BoTorch does (src/gp/hyper.ts):
 * over log ℓ, a dozen points in six dimensions gave lengthscales near 10 and hartmann6 runs that
 * walked the cube's faces (docs/benchmarks.md, "Hartmann-6: the lengthscale prior's density").
 */
export const SAMPLER_LENGTHSCALE_DENSITY = 'lengthscale' as const;

/** Hyperparameters are refitted on every call up to this many points... */
export const REFIT_ALWAYS = 100;
/** ...and beyond it when the data has grown by this factor since the last fit. */
export const REFIT_GROWTH = 1.1;
/**
 * A cold fit (no earlier hyperparameters: a fresh sampler, e.g. a resumed study) past
 * REFIT_ALWAYS points runs each of its starts this many iterations and continues only the best:
 * the first proposal of a sampler resumed at 1,000 trials took 2 s, most of it three full fits
 * per model (fit.ts, `screenIter`).
 */
export const COLD_SCREEN_ITER = 10;

interface Entry {
  /** Hyperparameters of the last fit, and the number of points they were fitted on. */
  readonly hyper: GPHyper;
  readonly fittedOn: number;
  /** The last model built under this key, and the row ids (trial numbers) it holds, in order. */
  readonly model: GPModel;
  readonly ids: readonly number[];
}

export class ModelCache {
  private readonly entries = new Map<string, Entry>();
  private rowOrder: number[] = [];

  /**
   * @param seed the sampler's seed (random fit starts derive from it and the data size)
   * @param stream the sampler's RNG stream for fits
   * @param incremental extend the last model between refits (default); false rebuilds it on all
   *   rows with the last hyperparameters, the previous code path, kept for bench:bo's comparison
   */
  constructor(
    private readonly seed: number,
    private readonly stream: number,
    private readonly incremental = true,
  ) {}

  /**
   * The trials in row order: those seen in earlier calls first, in their earlier order, then new
   * ones by trial number. If an earlier trial is gone (it never is in a study, where finished
   * trials stay), the order and the cached models start over.
   */
  order<T extends { readonly number: number }>(trials: readonly T[]): T[] {
    const byNumber = new Map(trials.map((t) => [t.number, t]));
    const out: T[] = [];
    for (const id of this.rowOrder) {
      const t = byNumber.get(id);
      if (!t) {
        this.rowOrder = [];
        this.entries.clear();
        return this.order(trials);
      }
      out.push(t);
      byNumber.delete(id);
    }
    out.push(...[...byNumber.values()].sort((a, b) => a.number - b.number));
    this.rowOrder = out.map((t) => t.number);
    return out;
  }

  /** The model for `key` on rows `ids` (length n, trial numbers), X (`n × d`) and y (length n). */
  fit(key: string, ids: readonly number[], X: readonly (readonly number[])[], y: readonly number[]): GPModel {
    const n = X.length;
    const cached = this.entries.get(key);
    const reuse = cached !== undefined && n > REFIT_ALWAYS && n < cached.fittedOn * REFIT_GROWTH;
    if (reuse && this.incremental && isPrefix(cached.ids, ids)) {
      const k = cached.ids.length;
      const model = k === n ? cached.model : cached.model.condition(X.slice(k), y.slice(k));
      this.entries.set(key, { ...cached, model, ids: [...ids] });
      return model;
    }
    const model = fitGP(X, y, {
      ...(cached ? { warmStart: cached.hyper } : {}),
      ...(reuse ? { maxIter: 0 } : {}),
      restarts: cached ? (n <= 60 ? 3 : 1) : 3,
      ...(!cached && n > REFIT_ALWAYS ? { screenIter: COLD_SCREEN_ITER } : {}),
      seed: deriveSeed(this.seed, this.stream, n),
      lengthscaleDensity: SAMPLER_LENGTHSCALE_DENSITY,
    });
    this.entries.set(key, reuse ? { ...cached, model, ids: [...ids] } : { hyper: model.hyper, fittedOn: n, model, ids: [...ids] });
    return model;
  }
}

function isPrefix(prefix: readonly number[], ids: readonly number[]): boolean {
  if (prefix.length > ids.length) return false;
  for (let i = 0; i < prefix.length; i++) if (prefix[i] !== ids[i]) return false;
  return true;
}
