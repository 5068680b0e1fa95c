/**
 * A random forest of CART regression trees (Breiman 2001), just large enough to explain a study:
 * bootstrap samples, a random subset of features per split, variance-reduction splits, and the
 * bookkeeping of which rows each tree did not see (out-of-bag), which permutation importance
 * needs. Deterministic given its seed.
 */
import { Rng } from '../math/index.js';

export interface ForestOptions {
  /** Number of trees (default 64). */
  readonly trees?: number;
  /** Smallest number of rows in a leaf (default 2). */
  readonly minLeaf?: number;
  /** Features tried at each split (default max(1, ceil(d / 2))). */
  readonly maxFeatures?: number;
  readonly seed?: number;
}

/** A tree stored as flat arrays; node 0 is the root, a leaf has feature −1. */
export interface RegressionTree {
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly value: Float64Array;
}

export interface Forest {
  readonly trees: readonly RegressionTree[];
  /** `trees × n`: whether row i was out of the bag of tree t. */
  readonly outOfBag: readonly Uint8Array[];
  readonly dim: number;
}

/** Fit a forest to `X` (n × d) and `y` (n). */
export function fitForest(X: readonly (readonly number[])[], y: readonly number[], options: ForestOptions = {}): Forest {
  const n = X.length;
  if (n === 0 || y.length !== n) throw new RangeError(`fitForest needs as many targets as rows and at least one row, got ${n} rows and ${y.length} targets`);
  const d = X[0]!.length;
  const nTrees = options.trees ?? 64;
  const minLeaf = Math.max(1, options.minLeaf ?? 2);
  const mtry = Math.min(d, Math.max(1, options.maxFeatures ?? Math.ceil(d / 2)));
  const rand = new Rng(options.seed ?? 1);
  // Rows sorted once per feature; every split search of every tree scans these orders.
  const cols = Array.from({ length: d }, (_, f) => Float64Array.from(X, (row) => row[f]!));
  const sorted = Array.from({ length: d }, (_, f) => Int32Array.from(Array.from({ length: n }, (_, i) => i).sort((a, b) => cols[f]![a]! - cols[f]![b]!)));
  const trees: RegressionTree[] = [];
  const outOfBag: Uint8Array[] = [];
  for (let t = 0; t < nTrees; t++) {
    const weight = new Float64Array(n);
    for (let i = 0; i < n; i++) weight[rand.int(n)]! += 1;
    outOfBag.push(Uint8Array.from(weight, (w) => (w === 0 ? 1 : 0)));
    trees.push(growTree(cols, y, weight, sorted, minLeaf, mtry, rand));
  }
  return { trees, outOfBag, dim: d };
}

/**
 * Grow one tree level by level on bootstrap weights (a row drawn k times has weight k). At each
 * level, one pass over each feature's presorted row order finds the best split of every open
 * node at once, so a tree costs O(depth × d × n) instead of a sort per node and feature.
 */
function growTree(
  cols: readonly Float64Array[],
  y: readonly number[],
  weight: Float64Array,
  sorted: readonly Int32Array[],
  minLeaf: number,
  mtry: number,
  rand: Rng,
): RegressionTree {
  const d = sorted.length;
  const n = weight.length;
  const feature: number[] = [-1];
  const threshold: number[] = [0];
  const left: number[] = [-1];
  const right: number[] = [-1];
  const value: number[] = [0];
  // slotOf[i]: index of row i's node in the current level's `open` list, or −1 once settled.
  const slotOf = new Int32Array(n);
  for (let i = 0; i < n; i++) slotOf[i] = weight[i]! > 0 ? 0 : -1;
  let open = [0];
  const perm = Array.from({ length: d }, (_, j) => j);
  // Per-feature row orders restricted to rows still in an open node (in-bag rows at the root);
  // they shrink level by level as rows settle in leaves, so deep levels cost little.
  const orders = sorted.map((order) => order.slice());
  const values = sorted.map((order, f) => Float64Array.from(order, (i) => cols[f]![i]!));
  let len = n;
  const compact = (): void => {
    let kept = 0;
    for (let f = 0; f < d; f++) {
      const order = orders[f]!;
      const vals = values[f]!;
      kept = 0;
      for (let p = 0; p < len; p++) {
        const i = order[p]!;
        if (slotOf[i]! < 0) continue;
        order[kept] = i;
        vals[kept] = vals[p]!;
        kept++;
      }
    }
    len = kept;
  };
  compact();
  const MAX_DEPTH = 32;
  for (let depth = 0; open.length > 0 && depth < MAX_DEPTH; depth++) {
    const m = open.length;
    const tw = new Float64Array(m);
    const ts = new Float64Array(m);
    for (let i = 0; i < n; i++) {
      const k = slotOf[i]!;
      if (k < 0) continue;
      tw[k] += weight[i]!;
      ts[k] += weight[i]! * y[i]!;
    }
    // Each open node draws its own random feature subset (partial Fisher–Yates): chosen is m × d.
    const chosen = new Uint8Array(m * d);
    for (let k = 0; k < m; k++) {
      value[open[k]!] = ts[k]! / tw[k]!;
      for (let a = 0; a < mtry; a++) {
        const r = a + rand.int(d - a);
        const tmp = perm[a]!;
        perm[a] = perm[r]!;
        perm[r] = tmp;
        chosen[k * d + perm[a]!] = 1;
      }
    }
    const bestGain = new Float64Array(m).fill(1e-12);
    const bestF = new Int32Array(m).fill(-1);
    const bestT = new Float64Array(m);
    const lw = new Float64Array(m);
    const ls = new Float64Array(m);
    const prev = new Float64Array(m);
    for (let f = 0; f < d; f++) {
      lw.fill(0);
      ls.fill(0);
      prev.fill(NaN);
      const order = orders[f]!;
      const vals = values[f]!;
      for (let p = 0; p < len; p++) {
        const i = order[p]!;
        const k = slotOf[i]!;
        if (k < 0 || chosen[k * d + f] === 0) continue;
        const x = vals[p]!;
        // A split between the previous distinct value and this one: rows so far go left.
        if (x !== prev[k] && lw[k]! >= minLeaf && tw[k]! - lw[k]! >= minLeaf) {
          const rw = tw[k]! - lw[k]!;
          const rs = ts[k]! - ls[k]!;
          const gain = (ls[k]! * ls[k]!) / lw[k]! + (rs * rs) / rw - (ts[k]! * ts[k]!) / tw[k]!;
          if (gain > bestGain[k]!) {
            bestGain[k] = gain;
            bestF[k] = f;
            bestT[k] = (prev[k]! + x) / 2;
          }
        }
        lw[k] += weight[i]!;
        ls[k] += weight[i]! * y[i]!;
        prev[k] = x;
      }
    }
    const next: number[] = [];
    const childSlot = new Int32Array(m * 2).fill(-1);
    for (let k = 0; k < m; k++) {
      const node = open[k]!;
      if (bestF[k]! < 0 || tw[k]! < 2 * minLeaf) continue;
      feature[node] = bestF[k]!;
      threshold[node] = bestT[k]!;
      for (let side = 0; side < 2; side++) {
        const child = feature.length;
        feature.push(-1);
        threshold.push(0);
        left.push(-1);
        right.push(-1);
        value.push(value[node]!);
        (side === 0 ? left : right)[node] = child;
        childSlot[2 * k + side] = next.length;
        next.push(child);
      }
    }
    for (let i = 0; i < n; i++) {
      const k = slotOf[i]!;
      if (k < 0) continue;
      const node = open[k]!;
      const f = feature[node]!;
      slotOf[i] = f < 0 ? -1 : childSlot[2 * k + (cols[f]![i]! <= threshold[node]! ? 0 : 1)]!;
    }
    open = next;
    if (open.length > 0) compact();
  }
  return {
    feature: Int32Array.from(feature),
    threshold: Float64Array.from(threshold),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    value: Float64Array.from(value),
  };
}

/** One tree's prediction for the row `x` (d). */
export function predictTree(tree: RegressionTree, x: readonly number[]): number {
  let node = 0;
  while (tree.feature[node]! >= 0) node = x[tree.feature[node]!]! <= tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
  return tree.value[node]!;
}

/** The forest's prediction (mean over trees) for the row `x` (d). */
export function predictForest(forest: Forest, x: readonly number[]): number {
  let s = 0;
  for (const t of forest.trees) s += predictTree(t, x);
  return s / forest.trees.length;
}
