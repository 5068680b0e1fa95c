/**
 * Scrambled Sobol design: trial number n gets point n of a scrambled Sobol sequence in the
 * space's dimension (one coordinate per parameter, in file order), decoded by the space. Point n
 * depends only on the seed and n, so the first 2^m trials of a study form a (t, m, d)-net: every
 * parameter's range is split evenly among them, which random search does not guarantee.
 *
 * Duplicates: when every parameter is discrete (int, categorical, ordinal, or a float with
 * low = high), different points can decode to the same configuration. Then a proposal whose
 * configuration is already finished, running or proposed earlier in the same batch moves on to the
 * next index (n + 1, n + 2, ...) until it finds an unused configuration; once every configuration
 * of the space has been used, or after a bounded search, it returns point n as it is. This keeps
 * determinism (same seed and history → same proposals), but with several workers the history a
 * proposal sees depends on timing, so duplicate skipping can make parallel runs differ from
 * `workers: 1` on small discrete spaces. Spaces with a continuous parameter never skip.
 *
 * Options (space file `sampler: { name: sobol, scramble: false }`): `scramble` (default true).
 * Unscrambled, trial 0 is the all-zeros corner (lowest value of every parameter).
 */
import { UsageError } from '../errors.js';
import { MAX_SOBOL_DIM, SobolSequence } from '../math/index.js';
import { cardinality, decode, paramsKey, type Params, type Space } from '../space/index.js';
import type { Sampler, SamplerHistory, SamplerOptions } from '../study/index.js';
import { checkOptions } from './options.js';

/** Indices examined per proposal when skipping duplicates: 64 per configuration, bounded. */
const MAX_SKIP = 1 << 16;

export class SobolSampler implements Sampler {
  readonly name = 'sobol';
  private readonly space: Space;
  private readonly sequence: SobolSequence | null;
  /** Number of configurations when every parameter is discrete; Infinity otherwise. */
  private readonly configurations: number;

  constructor(options: SamplerOptions) {
    checkOptions('sobol', options.options, ['scramble'], options.space.file);
    const scramble = options.options?.['scramble'] ?? true;
    if (typeof scramble !== 'boolean') {
      throw new UsageError(`sampler 'sobol': option 'scramble' must be true or false, got ${JSON.stringify(scramble)}`);
    }
    this.space = options.space;
    const dim = Object.keys(options.space.params).length;
    if (dim > MAX_SOBOL_DIM) {
      throw new UsageError(`sampler 'sobol' handles at most ${MAX_SOBOL_DIM} parameters, got ${dim}`);
    }
    this.sequence = dim === 0 ? null : new SobolSequence(dim, options.seed, scramble);
    this.configurations = Object.values(options.space.params).reduce((n, spec) => n * cardinality(spec), 1);
  }

  /** Sobol point `index` decoded, ignoring duplicates. */
  pointAt(index: number): Params {
    return decode(this.space, this.sequence ? this.sequence.point(index) : []);
  }

  async propose(k: number, history: SamplerHistory): Promise<Params[]> {
    const out: Params[] = [];
    if (!Number.isFinite(this.configurations)) {
      for (let i = 0; i < k; i++) out.push(this.pointAt(history.nextNumber + i));
      return out;
    }
    const used = new Set<string>();
    for (const t of [...history.finished, ...history.running]) used.add(paramsKey(this.space, t.params));
    const limit = Math.min(MAX_SKIP, 64 * this.configurations);
    for (let i = 0; i < k; i++) {
      const n = history.nextNumber + i;
      let chosen = this.pointAt(n);
      if (used.has(paramsKey(this.space, chosen)) && used.size < this.configurations) {
        for (let index = n + 1; index <= n + limit; index++) {
          const candidate = this.pointAt(index);
          if (!used.has(paramsKey(this.space, candidate))) {
            chosen = candidate;
            break;
          }
        }
      }
      used.add(paramsKey(this.space, chosen));
      out.push(chosen);
    }
    return out;
  }
}
