/**
 * The bridge from the Pareto and balance analyses (src/pareto, src/balance) to the report's view
 * model. Either analysis may be impossible for a study (one objective, no balance block, too few
 * trials) or may throw on odd data; the report must still be written, so each failure becomes a
 * note shown in place of its charts.
 */
import { paretoFront, type ParetoResult } from '../pareto/index.js';
import { balanceConfig, explainBalance, type BalanceExplanation, type BalanceResult } from '../balance/index.js';
import type { Space } from '../space/index.js';
import { oneLine } from '../errors.js';
import type { Trial } from '../study/trial.js';
import type { Analyses } from './model.js';
import { wantsLog } from '../analysis/index.js';
import { LOG_AXIS_RATIO } from './svg.js';
import type { BalanceView, ParetoView } from './types.js';

/** Pick the chart axes: x = the balance size metric when it is an objective, y = another objective (accuracy first). */
export function paretoView(space: Space, result: ParetoResult): ParetoView | null {
  const objs = result.objectives;
  if (objs.length < 2) return null;
  const size = space.balance?.size ?? 'size_bits';
  const xo = objs.find((o) => o.name === size) ?? objs[0]!;
  const rest = objs.filter((o) => o !== xo);
  const yo = rest.find((o) => o.name === 'accuracy') ?? rest[0]!;
  const used = [...result.front, ...result.dominated, ...result.infeasible];
  const xs = used.map((t) => t.metrics?.[xo.name] ?? NaN);
  const infeasible = Object.entries(result.violation)
    .filter(([, v]) => v > 0)
    .map(([n]) => Number(n));
  return {
    // Sizes are read in ratios (halving, doubling), so the size axis is logarithmic whenever it can be.
    x: { metric: xo.name, direction: xo.direction, log: xo.name === size ? xs.length > 0 && xs.every((v) => v > 0) : wantsLog(xs, LOG_AXIS_RATIO) },
    y: { metric: yo.name, direction: yo.direction, log: false },
    front: result.front.map((t) => t.number),
    dominated: result.dominated.map((t) => t.number),
    infeasible,
    hypervolume: result.history.map((h) => ({ trial: h.trial, value: h.hypervolume })),
    knee: result.knee?.trial.number ?? null,
    objectives: objs.map((o) => o.name),
  };
}

export function balanceView(result: BalanceResult): BalanceView {
  return {
    sizeMetric: result.sizeMetric,
    efficiency: result.efficiency,
    points: result.points.map((p) => ({ trial: p.trial, log2Size: p.log2Size, e: p.e, onEnvelope: p.onEnvelope })),
    curve: {
      log2Size: result.curve.map((c) => c.log2Size),
      mean: result.curve.map((c) => c.mean),
      lo: result.curve.map((c) => c.lo),
      hi: result.curve.map((c) => c.hi),
    },
    sStar: result.log2SStar,
    expectedE: Number.isFinite(result.expectedE) ? result.expectedE : null,
    recommended: result.recommended?.trial ?? null,
    knee: result.knee?.trial ?? null,
    replicated: result.replicated ?? [],
  };
}

/** Run both analyses on the study's trials, turning failures into notes. */
export function analyse(
  space: Space,
  trials: readonly Trial[],
  given: { readonly declaredReference?: Readonly<Record<string, number>>; readonly balance?: BalanceExplanation } = {},
): Analyses {
  const { declaredReference } = given;
  let pareto: ParetoView | null = null;
  let paretoNote: string | null = null;
  const objectives = Object.keys(space.metrics);
  if (objectives.length < 2) paretoNote = `a single objective (${objectives[0]}) has no trade-off front`;
  else if (!trials.some((t) => t.state === 'complete')) paretoNote = 'no complete trial yet';
  else {
    try {
      pareto = paretoView(space, paretoFront(space, trials, declaredReference ? { declaredReference } : {}));
    } catch (err) {
      paretoNote = `Pareto analysis failed: ${oneLine(err)}`;
    }
  }
  let balance: BalanceView | null = null;
  let balanceNote: string | null = null;
  // Without a balance block the balance analysis uses its defaults (size_bits); a study whose
  // trials never report that metric (a benchmark function, say) simply has no balance section.
  const size = balanceConfig(space).size;
  if (!space.balance && !trials.some((t) => t.metrics && size in t.metrics))
    balanceNote = `no balance block in the space and no '${size}' metric, so there is no E(S) curve or S*`;
  else {
    try {
      const { result, reason } = given.balance ?? explainBalance(space, trials);
      if (result) balance = balanceView(result);
      else balanceNote = reason;
    } catch (err) {
      balanceNote = `balance analysis failed: ${oneLine(err)}`;
    }
  }
  return { pareto, balance, paretoNote, balanceNote };
}
