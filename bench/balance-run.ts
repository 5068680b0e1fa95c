/**
 * One bench:balance run (bench/balance.ts), in a worker thread so that the runs spread over the
 * machine's cores: an in-process ask/tell loop of 40 trials on a synthetic problem, Sobol wrapped
 * by the balance refinement fitting with the method under test; with R repeats the last R trials
 * re-run the recommended configuration with new noise draws (the budget stays 40); with `se` the
 * objective also reports the standard error of its accuracy, as the compression objective does.
 */
import { explainBalance, SharedBalance, SYNTHETIC_BALANCE_PROBLEMS, type BalanceMethod } from '../src/balance/index.js';
import { deriveSeed, Rng } from '../src/math/index.js';
import { createSampler, withBalanceRefinement } from '../src/samplers/index.js';
import type { Trial } from '../src/study/index.js';
import { trialRecord } from './common.js';

export const TRIALS = 40;

export interface BalanceRunTask {
  readonly problem: string;
  readonly seed: number;
  readonly method: BalanceMethod;
  readonly repeats: number;
  /** The objective reports `accuracy_se` = the problem's noise σ (src/balance/points.ts, SE_SUFFIX). */
  readonly se?: boolean;
  /** Trials per run (default TRIALS). */
  readonly trials?: number;
}

export interface BalanceRun {
  readonly error: number;
  readonly covered: boolean;
  readonly width: number;
}

export default async function run({ problem: name, seed, method, repeats, se, trials: budget = TRIALS }: BalanceRunTask): Promise<BalanceRun> {
  const problem = SYNTHETIC_BALANCE_PROBLEMS.find((p) => p.name === name)!;
  const shared = new SharedBalance(problem.space, { method });
  const sampler = withBalanceRefinement(createSampler({ name: 'sobol', options: {} }, { space: problem.space, seed }), problem.space, seed, shared);
  const noise = new Rng(deriveSeed(seed, 0x0b5e));
  const trials: Trial[] = [];
  for (let n = 0; n < budget; n++) {
    const repeat = n >= budget - repeats ? shared.explain(trials.slice(0, budget - repeats)).result?.recommended?.params : undefined;
    const params = repeat ?? (await sampler.propose(1, { finished: trials, running: [], nextNumber: n }))[0]!;
    const metrics = problem.evaluate(params, () => noise.normal());
    trials.push(trialRecord(problem.name, n, 'complete', params, se ? { ...metrics, accuracy_se: problem.noise } : metrics));
  }
  const r = explainBalance(problem.space, trials, { seed, method }).result;
  if (!r) throw new Error(`${problem.name} seed ${seed}: no balance result after ${budget} trials`);
  const { median, lo, hi } = r.log2SStar;
  return { error: Math.abs(median - problem.log2SStar), covered: lo <= problem.log2SStar && problem.log2SStar <= hi, width: hi - lo };
}
