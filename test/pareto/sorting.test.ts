import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileConstraints, constraintViolation, crowdingDistances, frontIndices, hypervolumeMonteCarlo, kneeIndex, nonDominatedPoints, paretoFilter, paretoFront, rankPoints, slackMeets } from '../../src/pareto/index.js';
import { makeSpace, makeTrial } from './fixtures.js';

const feasible = (values: number[]) => ({ values, violation: 0 });

test('non-dominated sorting: fronts by hand, infeasible points after every feasible one', () => {
  const points = [
    feasible([1, 4]), // front 0
    feasible([2, 2]), // front 0
    feasible([4, 1]), // front 0
    feasible([3, 3]), // dominated by [2, 2] only → front 1
    feasible([4, 4]), // dominated by [3, 3] → front 2
    feasible([2.5, 5]), // dominated by [1, 4] and [2, 2]... → front 1
    { values: [0, 0], violation: 0.5 }, // infeasible: behind every feasible point
    { values: [0, 0], violation: 0.2 },
  ];
  assert.equal(frontIndices(points), [0, 0, 0, 1, 2, 1, 4, 3]);
  assert.equal(frontIndices([]), []);
});

test('crowding distance: neighbours\' gap over each objective\'s range, extremes infinite', () => {
  const d = crowdingDistances([[0, 4], [1, 2], [3, 1], [4, 0]]);
  assert.equal(d[0], Infinity);
  assert.equal(d[3], Infinity);
  // [1, 2]: (3 − 0)/4 + (4 − 1)/4; [3, 1]: (4 − 1)/4 + (2 − 0)/4.
  assert.ok(Math.abs(d[1]! - 1.5) < 1e-12 && Math.abs(d[2]! - 1.25) < 1e-12, `got ${d}`);
  assert.equal(crowdingDistances([[1, 1], [2, 0]]), [Infinity, Infinity]);
  assert.equal(crowdingDistances([]), []);
  // A constant objective adds nothing (its range is 0).
  const c = crowdingDistances([[0, 5], [1, 5], [3, 5]]);
  assert.equal([c[0], c[2]], [Infinity, Infinity]);
  assert.ok(Math.abs(c[1]! - 1) < 1e-12, `got ${c[1]}`);
});

test('ranking: by front, then larger crowding, then input order', () => {
  const ranked = rankPoints([feasible([3, 3]), feasible([0, 4]), feasible([1, 2]), feasible([3, 1]), feasible([4, 0]), feasible([5, 5])]);
  assert.equal(ranked.map((r) => r.index), [1, 4, 2, 3, 0, 5]);
  assert.equal(ranked.map((r) => r.front), [0, 0, 0, 0, 1, 2]);
  assert.ok(ranked[2]!.crowding > ranked[3]!.crowding);
});

test('non-dominated filters keep duplicates as points and once as rows, in input order', () => {
  const pts = [[2, 2], [1, 3], [2, 2], [3, 3], [3, 1]];
  assert.equal(paretoFilter(pts), [0, 1, 2, 4]);
  assert.equal(nonDominatedPoints(pts), [[2, 2], [1, 3], [3, 1]]);
});

test('knee edge cases: fewer than 3 points, a straight front, the ideal side only', () => {
  assert.is(kneeIndex({ points: [[0, 1], [1, 0]], log: [false, false] }), null);
  assert.is(kneeIndex({ points: [[0, 2], [1, 1], [2, 0]], log: [false, false] }), null, 'on the chord: no knee');
  // A point bulging away from the ideal corner is not a knee; one toward it is.
  assert.is(kneeIndex({ points: [[0, 2], [1.5, 1.5], [2, 0]], log: [false, false] }), null);
  const k = kneeIndex({ points: [[0, 2], [0.5, 0.5], [2, 0], [1, 0.9]], log: [false, false] })!;
  assert.is(k.index, 1);
  // Normalised to [0, 1]²: the chord is x + y = 1 and (0.25, 0.25) lies 0.5/√2 from it.
  assert.ok(Math.abs(k.distance - 0.5 / Math.SQRT2) < 1e-12, `distance ${k.distance}`);
  // Log axes apply only when every value on the axis has one sign.
  assert.is(kneeIndex({ points: [[-1, 8], [2, 2], [4, 1]], log: [true, false] })!.index, 1);
});

test('Monte Carlo hypervolume counts a draw on a point\'s boundary as dominated', () => {
  const draws = [0, 0, 0.5, 0.5, 0.75, 0.25, 0.25, 0.75];
  let k = 0;
  const r = hypervolumeMonteCarlo([[0, 0.5], [0.5, 0]], [1, 1], 4, () => draws[k++]!);
  // (0, 0) is not dominated; (0.5, 0.5), (0.75, 0.25), (0.25, 0.75) are (the first on both boundaries).
  assert.is(r.value, 0.75);
  assert.ok(Math.abs(r.standardError - Math.sqrt((0.75 * 0.25) / 4)) < 1e-15);
  assert.equal(hypervolumeMonteCarlo([[2, 2]], [1, 1], 10, Math.random), { value: 0, standardError: 0 });
});

test('knee on log axes: values below 1 still count as positive', () => {
  // Sizes 0.5 … 64: in log2 the bend is at size 1, on a linear axis at size 8.
  const points: [number, number][] = [[0.5, 0], [1, -0.6], [8, -0.97], [64, -1]];
  assert.is(kneeIndex({ points, log: [true, false] })!.index, 1);
  assert.is(kneeIndex({ points, log: [false, false] })!.index, 2);
  // Ties on an extreme: the better other coordinate wins, whatever the input order.
  const tied: [number, number][] = [[0, 1], [0, 2], [1, 0.2], [2, 0]];
  assert.is(kneeIndex({ points: tied, log: [false, false] })!.index, 2);
  assert.is(kneeIndex({ points: [[0, 2], [0, 1], [1, 0.2], [2, 0]], log: [false, false] })!.index, 2);
});

test('front: a non-finite metric keeps a trial out; the hypervolume history starts at 0', () => {
  const space = makeSpace(`
objective: { module: ./x.js }
params: { w: { type: float, low: 0, high: 1 } }
metrics: { accuracy: maximize, size_bits: minimize }
constraints: ["accuracy >= 0.5"]
`);
  const r = paretoFront(space, [
    makeTrial(0, { accuracy: 0.4, size_bits: 10 }), // infeasible
    makeTrial(1, { accuracy: Infinity, size_bits: 5 }),
    makeTrial(2, { accuracy: 0.9, size_bits: 100 }),
    makeTrial(3, { accuracy: 0.8, size_bits: 50 }),
  ]);
  assert.equal([...r.front, ...r.dominated, ...r.infeasible].map((t) => t.number).sort(), [0, 2, 3]);
  assert.is(r.history[0]!.hypervolume, 0);
});

test('strict constraints: met by any positive slack', () => {
  const space = makeSpace('objective: { builtin: zdt1 }\nparams: { x0: { type: float, low: 0, high: 1 } }\nmetrics: { accuracy: maximize }\nconstraints: ["accuracy > 0.5"]\n');
  const [gt] = compileConstraints(space.constraints);
  assert.is(constraintViolation(gt!, { accuracy: 0.75 }), 0);
  assert.ok(slackMeets('>', 0.25) && slackMeets('<', 1e-9));
});

test('crowding over a range that does not start at 0; knee when the first point is the best on the second axis', () => {
  const d = crowdingDistances([[10, 14], [11, 12], [13, 11], [14, 10]]);
  assert.ok(Math.abs(d[1]! - 1.5) < 1e-12 && Math.abs(d[2]! - 1.25) < 1e-12, `got ${d}`);
  // The L-shaped front listed best-size last: the corner is still found.
  assert.is(kneeIndex({ points: [[2, 0], [1, 0.2], [0, 2], [0.9, 0.3]], log: [false, false] })!.index, 1);
});

test.run();
