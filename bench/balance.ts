/**
 * `npm run bench:balance`: how well S* is recovered on synthetic problems whose true S* is known
 * in closed form (src/balance/synthetic.ts), after 40 trials.
 *
 * For each problem and seed (0–4 as the issue asks, then 20–39 for a steadier estimate): an in-process ask/tell loop (one trial at a time) with the Sobol
 * sampler, with and without the balance refinement wrapper, then computeBalance on the 40 trials.
 * Reported: median over seeds of |log2 Ŝ* − log2 S*| (Ŝ* = posterior median), how many 90%
 * intervals contain the true S*, and the median interval width. Targets (issue 4): error < 0.5
 * and coverage ≥ 80%, with refinement (the way `sweetspot run` samples when `balance` is set).
 * The table goes to reports/bench/balance.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { computeBalance, SYNTHETIC_BALANCE_PROBLEMS, type SyntheticBalanceProblem } from '../src/balance/index.js';
import { deriveSeed, Rng } from '../src/math/index.js';
import { createSampler, withBalanceRefinement } from '../src/samplers/index.js';
import type { Trial } from '../src/study/index.js';
import { trialRecord } from './common.js';

const TRIALS = 40;
/** The protocol: 5 seeds. */
const SEEDS = [0, 1, 2, 3, 4];
/**
 * A larger, fresh set for a steadier estimate of coverage (5 runs resolve it only to 20%). Seeds
 * 10–19 were used to choose the method's constants, so they are in neither set.
 */
const FRESH_SEEDS = Array.from({ length: 20 }, (_, i) => 20 + i);

interface Run {
  readonly error: number;
  readonly covered: boolean;
  readonly width: number;
  readonly median: number;
}

async function run(problem: SyntheticBalanceProblem, seed: number, refine: boolean): Promise<Run> {
  const inner = createSampler({ name: 'sobol', options: {} }, { space: problem.space, seed });
  const sampler = refine ? withBalanceRefinement(inner, problem.space, seed) : inner;
  const noise = new Rng(deriveSeed(seed, 0x0b5e));
  const trials: Trial[] = [];
  for (let n = 0; n < TRIALS; n++) {
    const [params] = await sampler.propose(1, { finished: trials, running: [], nextNumber: n });
    trials.push(trialRecord(problem.name, n, 'complete', params!, problem.evaluate(params!, () => noise.normal())));
  }
  const r = computeBalance(problem.space, trials, { seed });
  if (!r) throw new Error(`${problem.name} seed ${seed}: no balance result after ${TRIALS} trials`);
  const { median, lo, hi } = r.log2SStar;
  return { error: Math.abs(median - problem.log2SStar), covered: lo <= problem.log2SStar && problem.log2SStar <= hi, width: hi - lo, median };
}

const med = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const rows: string[] = [];
const started = Date.now();
for (const [label, seeds] of [['0–4', SEEDS], ['20–39', FRESH_SEEDS]] as const) {
  for (const problem of SYNTHETIC_BALANCE_PROBLEMS) {
    for (const refine of [true, false]) {
      const runs: Run[] = [];
      for (const seed of seeds) runs.push(await run(problem, seed, refine));
      const err = med(runs.map((r) => r.error));
      const cover = runs.filter((r) => r.covered).length;
      const meets = refine ? (err < 0.5 && cover / runs.length >= 0.8 ? 'yes' : 'no') : '–';
      const perSeed = seeds.length <= 5 ? runs.map((r) => r.median.toFixed(2)).join(', ') : `${runs.length} runs`;
      rows.push(
        `| ${problem.description} | ${problem.log2SStar.toFixed(2)} | ${label} | ${refine ? 'sobol + refinement' : 'sobol only'} | ${err.toFixed(2)} | ${cover}/${runs.length} | ${med(runs.map((r) => r.width)).toFixed(2)} | ${perSeed} | ${meets} |`,
      );
      console.log(rows.at(-1));
    }
  }
}
const seconds = (Date.now() - started) / 1000;
const table = [
  '# bench:balance — S* recovery on synthetic problems with a known S*',
  '',
  `${TRIALS} trials per run (one at a time); seeds 0–4 (the issue's protocol) and 20–39 (a larger fresh set; 10–19 were used to choose the method's constants). E = accuracy − 0.005·log2(size_bits); true S* from the closed form.`,
  'Error = |log2 Ŝ* − log2 S*| with Ŝ* the posterior median; coverage = runs whose 90% interval contains S*.',
  'Targets (issue 4, with refinement): median error < 0.5 and coverage ≥ 80%.',
  '',
  '| problem | true log2 S* | seeds | sampler | median error (log2) | 90% coverage | median interval width (log2) | Ŝ* per seed (log2) | meets targets |',
  '|---|---|---|---|---|---|---|---|---|',
  ...rows,
  '',
  `Run on ${cpus().length} cores (load average ${loadavg()[0]!.toFixed(2)}), ${seconds.toFixed(0)} s in all. Regenerate with \`npm run bench:balance\`.`,
  '',
].join('\n');
mkdirSync('reports/bench', { recursive: true });
writeFileSync('reports/bench/balance.md', table);
console.log(`\nwritten to reports/bench/balance.md (${seconds.toFixed(0)} s)`);
