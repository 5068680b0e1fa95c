/**
 * Uniform random search in the unit cube, decoded by the space (log parameters log-uniform,
 * integers and choices uniform over their values).
 *
 * The proposal for trial number n uses only `Rng(deriveSeed(seed, RANDOM_STREAM, n))`: it ignores
 * the history, so a seed names one parameter sequence no matter how many workers run it, in what
 * order trials finish, or whether the study was interrupted and resumed. Duplicates are not
 * avoided (each trial is an independent draw, as in Optuna's RandomSampler).
 */
import { deriveSeed, Rng } from '../math/index.js';
import { decode, type Params, type Space } from '../space/index.js';
import type { Sampler, SamplerHistory, SamplerOptions } from '../study/index.js';
import { checkOptions } from './options.js';

/** Stream id separating this sampler's draws from other uses of the study seed. */
const RANDOM_STREAM = 0x5a4d;

export class RandomSampler implements Sampler {
  readonly name = 'random';
  private readonly space: Space;
  private readonly seed: number;
  private readonly dim: number;

  constructor(options: SamplerOptions) {
    checkOptions('random', options.options, [], options.space.file);
    this.space = options.space;
    this.seed = options.seed;
    this.dim = Object.keys(options.space.params).length;
  }

  /** The configuration trial `number` gets, whatever else has run. */
  proposalFor(number: number): Params {
    return decode(this.space, new Rng(deriveSeed(this.seed, RANDOM_STREAM, number)).uniforms(this.dim));
  }

  async propose(k: number, history: SamplerHistory): Promise<Params[]> {
    return Array.from({ length: k }, (_, i) => this.proposalFor(history.nextNumber + i));
  }
}
