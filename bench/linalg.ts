/**
 * bench:linalg — the GP's hand-written Float64Array kernels (src/gp/linalg.ts) against ml-matrix
 * (CholeskyDecomposition, its solve, and inverse) at the GP's real sizes, side by side in one run.
 * The question it answers: is ml-matrix fast enough to carry the GP's hot loops (Cholesky and
 * K⁻¹ per likelihood evaluation, solves per posterior)? Each operation is timed in alternating
 * rounds (ours, theirs, ours, …) so machine noise hits both equally; we report the median round.
 *
 * Imports linalg.ts directly rather than src/gp/index.ts: these kernels are internal to the GP
 * room and are what is being measured.
 */
import { CholeskyDecomposition, Matrix, inverse } from 'ml-matrix';
import { cholesky, cholInverse, cholSolve } from '../src/gp/linalg.js';
import { markdownTable, writeBenchReport } from './common.js';

/** Deterministic uniform [0, 1) (LCG), so both sides see the same matrices on every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
}

/**
 * `n × n` squared-exponential kernel matrix of n random points in [0, 1]^5 plus noise 1e-4 on the
 * diagonal: the shape and conditioning the GP actually factors. Row-major.
 */
function kernelSPD(n: number, seed: number): Float64Array {
  const r = lcg(seed);
  const d = 5;
  const X = Array.from({ length: n }, () => Array.from({ length: d }, r));
  const K = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += (X[i]![k]! - X[j]![k]!) ** 2 / (2 * 0.5 * 0.5);
      const v = Math.exp(-s) + (i === j ? 1e-4 : 0);
      K[i * n + j] = v;
      K[j * n + i] = v;
    }
  }
  return K;
}

function toMatrix(A: Float64Array, rows: number, cols: number): Matrix {
  return Matrix.from1DArray(rows, cols, Array.from(A));
}

/** Seconds per call: calls `fn` `calls` times, returns the mean per call. */
function timeRound(fn: () => unknown, calls: number): number {
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) fn();
  return (performance.now() - t0) / calls / 1000;
}

/** Calls per round so one round of the slower side takes ~50 ms. */
function callsFor(a: () => unknown, b: () => unknown): number {
  const one = Math.max(timeRound(a, 1), timeRound(b, 1), 1e-6);
  return Math.max(1, Math.round(0.05 / one));
}

function median(xs: number[]): number {
  const s = [...xs].sort((p, q) => p - q);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Median seconds per call of `ours` and `theirs`, alternating rounds. */
function sideBySide(ours: () => unknown, theirs: () => unknown, rounds = 9): { ours: number; theirs: number } {
  for (let i = 0; i < 3; i++) (ours(), theirs()); // warm-up: JIT both before timing
  const calls = callsFor(ours, theirs);
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < rounds; r++) {
    a.push(timeRound(ours, calls));
    b.push(timeRound(theirs, calls));
  }
  return { ours: median(a), theirs: median(b) };
}

/** Largest |x − y| / max(|y|, 1e-300) over the pair, to show both sides compute the same thing. */
function maxRelDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < y.length; i++) scale = Math.max(scale, Math.abs(y[i]!));
  for (let i = 0; i < y.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!) / Math.max(scale, 1e-300));
  return worst;
}

const SIZES = [50, 200, 500];
/** Right-hand-side columns for the multi-RHS solve: a balance grid / batch of query points. */
const M = 64;

const rows: (string | number)[][] = [];
const fmtMs = (s: number): string => (s * 1e3 < 0.1 ? (s * 1e3).toFixed(4) : (s * 1e3).toPrecision(3));

for (const n of SIZES) {
  const K = kernelSPD(n, 1000 + n);
  const Km = toMatrix(K, n, n);
  const r = lcg(7 * n);
  const b = Float64Array.from({ length: n }, r);
  const bm = Matrix.columnVector(Array.from(b));
  const B = Float64Array.from({ length: n * M }, r); // n × M, row-major
  const Bm = toMatrix(B, n, M);
  const { L } = cholesky(K, n);
  const chol = new CholeskyDecomposition(Km);

  // Agreement check (not timed): same factor, same solutions.
  const Lm = chol.lowerTriangularMatrix.to1DArray();
  const x1 = cholSolve(L, n, b);
  const x1m = chol.solve(bm).to1DArray();
  const inv = cholInverse(L, n);
  const invm = inverse(Km).to1DArray();
  const agree = Math.max(maxRelDiff(L, Lm), maxRelDiff(x1, x1m), maxRelDiff(inv, invm));

  const cases: [string, () => unknown, () => unknown][] = [
    ['Cholesky', () => cholesky(K, n), () => new CholeskyDecomposition(Km)],
    ['solve, 1 RHS (given factor)', () => cholSolve(L, n, b), () => chol.solve(bm)],
    [
      `solve, n × ${M} RHS (given factor)`,
      () => {
        // The GP's way: one column at a time through the two triangular solves.
        const col = new Float64Array(n);
        const out = new Float64Array(n * M);
        for (let j = 0; j < M; j++) {
          for (let i = 0; i < n; i++) col[i] = B[i * M + j]!;
          const x = cholSolve(L, n, col);
          for (let i = 0; i < n; i++) out[i * M + j] = x[i]!;
        }
        return out;
      },
      () => chol.solve(Bm),
    ],
    ['Cholesky + K⁻¹ (likelihood gradient)', () => cholInverse(cholesky(K, n).L, n), () => new CholeskyDecomposition(Km).solve(Matrix.eye(n))],
  ];
  for (const [name, ours, theirs] of cases) {
    const t = sideBySide(ours, theirs, n >= 500 ? 5 : 9);
    rows.push([n, name, fmtMs(t.ours), fmtMs(t.theirs), `${(t.theirs / t.ours).toFixed(2)}×`, agree.toExponential(1)]);
    process.stdout.write(`n=${n} ${name}: ours ${fmtMs(t.ours)} ms, ml-matrix ${fmtMs(t.theirs)} ms\n`);
  }
}

writeBenchReport(
  'linalg',
  'bench:linalg — GP linear algebra: Float64Array kernels vs ml-matrix',
  markdownTable(['n', 'operation', 'ours (ms)', 'ml-matrix (ms)', 'ml-matrix / ours', 'max rel. diff'], rows),
  [
    'Matrices: squared-exponential kernel of n random points in [0,1]^5, lengthscale 0.5, + 1e-4 on the diagonal (what the GP factors).',
    'Median of alternating rounds (9 for n ≤ 200, 5 for n = 500), each round ~50 ms of repeated calls; ours and ml-matrix timed in the same process, interleaved.',
    'Inputs are converted to ml-matrix Matrix objects outside the timed region, so the ml-matrix column excludes conversion cost.',
    `"max rel. diff": largest |ours − ml-matrix| / max|ml-matrix| over L, K⁻¹b and K⁻¹ (ml-matrix \`inverse\`, LU) — both compute the same thing.`,
    `"solve, n × ${M} RHS": ours solves column by column (as the GP's jointPosterior does); ml-matrix solves the n × ${M} block in one call.`,
    '"Cholesky + K⁻¹": per likelihood-gradient evaluation the GP factors K and forms K⁻¹; ml-matrix does it as chol.solve(I).',
  ],
);
