/**
 * The standard test problems, defined exactly as shared/reference/problems.py (BoTorch
 * conventions, all objectives minimised) so that figures from both sides compare directly.
 */
import type { BenchmarkProblem } from './types.js';

const PI = Math.PI;
const unitBounds = (d: number): [number, number][] => Array.from({ length: d }, () => [0, 1] as [number, number]);

function zdtG(x: readonly number[]): number {
  let s = 0;
  for (let i = 1; i < x.length; i++) s += x[i]!;
  return 1 + (9 / (x.length - 1)) * s;
}

function braninValue(x0: number, x1: number): number {
  return (x1 - (5.1 / (4 * PI ** 2)) * x0 ** 2 + (5 / PI) * x0 - 6) ** 2 + 10 * (1 - 1 / (8 * PI)) * Math.cos(x0) + 10;
}

const H6_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const H6_P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
];
const H6_ALPHA = [1.0, 1.2, 3.0, 3.2];

const SOURCE = 'shared/reference/problems.py (BoTorch test_functions: bounds, reference points and optima)';

export const zdt1: BenchmarkProblem = {
  name: 'zdt1',
  dim: 6,
  bounds: unitBounds(6),
  objectives: ['f1', 'f2'],
  refPoint: [11, 11],
  bestKnown: 120 + 2 / 3,
  source: SOURCE,
  evaluate(x) {
    const g = zdtG(x);
    return [x[0]!, g * (1 - Math.sqrt(x[0]! / g))];
  },
};

export const zdt2: BenchmarkProblem = {
  name: 'zdt2',
  dim: 6,
  bounds: unitBounds(6),
  objectives: ['f1', 'f2'],
  refPoint: [11, 11],
  bestKnown: 120 + 1 / 3,
  source: SOURCE,
  evaluate(x) {
    const g = zdtG(x);
    return [x[0]!, g * (1 - (x[0]! / g) ** 2)];
  },
};

export const dtlz2: BenchmarkProblem = {
  name: 'dtlz2',
  dim: 6,
  bounds: unitBounds(6),
  objectives: ['f1', 'f2'],
  refPoint: [1.1, 1.1],
  bestKnown: 1.21 - PI / 4,
  source: SOURCE,
  evaluate(x) {
    const m = 2;
    let g = 0;
    for (let i = m - 1; i < x.length; i++) g += (x[i]! - 0.5) ** 2;
    return [(1 + g) * Math.cos((x[0]! * PI) / 2), (1 + g) * Math.sin((x[0]! * PI) / 2)];
  },
};

export const branin_currin: BenchmarkProblem = {
  name: 'branin_currin',
  dim: 2,
  bounds: unitBounds(2),
  objectives: ['f1', 'f2'],
  refPoint: [18, 6],
  bestKnown: 59.36011874867746,
  source: SOURCE,
  evaluate(x) {
    const f1 = braninValue(15 * x[0]! - 5, 15 * x[1]!);
    const a = x[0]!;
    const b = Math.max(x[1]!, 1e-12);
    const f2 =
      ((1 - Math.exp(-1 / (2 * b))) * (2300 * a ** 3 + 1900 * a ** 2 + 2092 * a + 60)) /
      (100 * a ** 3 + 500 * a ** 2 + 4 * a + 20);
    return [f1, f2];
  },
};

export const branin: BenchmarkProblem = {
  name: 'branin',
  dim: 2,
  bounds: [
    [-5, 10],
    [0, 15],
  ],
  objectives: ['f'],
  refPoint: null,
  bestKnown: 0.397887,
  source: SOURCE,
  evaluate(x) {
    return [braninValue(x[0]!, x[1]!)];
  },
};

export const hartmann6: BenchmarkProblem = {
  name: 'hartmann6',
  dim: 6,
  bounds: unitBounds(6),
  objectives: ['f'],
  refPoint: null,
  bestKnown: -3.32237,
  source: SOURCE,
  evaluate(x) {
    let total = 0;
    for (let i = 0; i < 4; i++) {
      let inner = 0;
      for (let j = 0; j < 6; j++) inner += H6_A[i]![j]! * (x[j]! - H6_P[i]![j]! * 1e-4) ** 2;
      total += H6_ALPHA[i]! * Math.exp(-inner);
    }
    return [-total];
  },
};

export const BENCHMARKS: Readonly<Record<string, BenchmarkProblem>> = { zdt1, zdt2, dtlz2, branin_currin, branin, hartmann6 };
