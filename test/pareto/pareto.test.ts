import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../src/math/index.js';
import { declaredReference, zdt1 } from '../../src/objectives/index.js';
import { acquisitionReferencePoint, chooseReferencePoint, hypervolume2d, inferReferencePoint, kneeIndex, paretoFront, REFERENCE_TRIALS } from '../../src/pareto/index.js';
import { makeSpace, makeTrial } from './fixtures.js';

const ACC_SIZE = `
objective: { module: ./x.js }
params: { w: { type: float, low: 0, high: 1 } }
metrics: { accuracy: maximize, size_bits: minimize }
constraints: ["accuracy >= 0.5"]
`;

test('front, dominated and infeasible sets; front sorted by size; history monotone', () => {
  const space = makeSpace(ACC_SIZE);
  const trials = [
    makeTrial(0, { accuracy: 0.9, size_bits: 1000 }),
    makeTrial(1, { accuracy: 0.8, size_bits: 100 }),
    makeTrial(2, { accuracy: 0.85, size_bits: 2000 }), // dominated by 0
    makeTrial(3, { accuracy: 0.4, size_bits: 10 }), // infeasible
    makeTrial(4, null, 'failed'),
    makeTrial(5, { accuracy: 0.95, size_bits: 5000 }),
    makeTrial(6, null, 'running'),
  ];
  const r = paretoFront(space, trials);
  assert.equal(r.front.map((t) => t.number), [1, 0, 5]);
  assert.equal(r.dominated.map((t) => t.number), [2]);
  assert.equal(r.infeasible.map((t) => t.number), [3]);
  assert.is(r.violation[3], 0.09999999999999998);
  assert.is(r.referencePoint!.source, 'nadir+10%');
  // Nadir of feasible trials: accuracy 0.8, size 5000; ranges 0.15 and 4900.
  assert.ok(Math.abs(r.referencePoint!.point[0]! - (0.8 - 0.015)) < 1e-12);
  assert.ok(Math.abs(r.referencePoint!.point[1]! - (5000 + 490)) < 1e-9);
  assert.equal(r.history.map((h) => h.trial), [0, 1, 2, 3, 4, 5]);
  for (let i = 1; i < r.history.length; i++) assert.ok(r.history[i]!.hypervolume >= r.history[i - 1]!.hypervolume);
  assert.is(r.history[2]!.hypervolume, r.history[1]!.hypervolume, 'a dominated trial leaves HV unchanged');
  assert.is(r.history.at(-1)!.hypervolume, r.hypervolume.value);
  const ref = r.referencePoint!.point;
  const expected = hypervolume2d(
    [[-0.9, 1000], [-0.8, 100], [-0.95, 5000]],
    [-ref[0]!, ref[1]!],
  );
  assert.ok(Math.abs(r.hypervolume.value - expected) < 1e-9);
  assert.is(r.hypervolume.method, 'exact-2d');
});

test('no feasible trial: the front is the least-violating trials, HV 0', () => {
  const space = makeSpace(ACC_SIZE);
  const r = paretoFront(space, [makeTrial(0, { accuracy: 0.1, size_bits: 1 }), makeTrial(1, { accuracy: 0.3, size_bits: 9 })]);
  assert.equal(r.front.map((t) => t.number), [1]);
  assert.equal(r.infeasible.map((t) => t.number), [0]);
  assert.is(r.hypervolume.value, 0);
  assert.is(r.referencePoint, null);
});

test('the reference point is fixed by the first trials and the given point wins', () => {
  const space = makeSpace(ACC_SIZE);
  const first = Array.from({ length: REFERENCE_TRIALS }, (_, i) => makeTrial(i, { accuracy: 0.6 + 0.01 * i, size_bits: 100 + i }));
  const later = [...first, makeTrial(REFERENCE_TRIALS, { accuracy: 0.55, size_bits: 1e6 })];
  assert.equal(paretoFront(space, first).referencePoint, paretoFront(space, later).referencePoint);
  const given = paretoFront(space, later, { referencePoint: [0, 2e6] });
  assert.equal(given.referencePoint, { point: [0, 2e6], source: 'given' });
  assert.throws(() => paretoFront(space, later, { referencePoint: [0] }), /one value per objective \(2\), got 1/);
});

test('reference point: one inference (nadir of the front + 10 % of its range), used by the study rule', () => {
  // Minimized points; [3, 3] is dominated by [2, 2] and does not move the nadir.
  assert.equal(inferReferencePoint([[0, 2], [1, 1], [2, 0], [3, 3]]), [2.2, 2.2]);
  // A single point: 10 % of max(1, |nadir|) beyond it.
  assert.equal(inferReferencePoint([[0.5, -20]]), [0.6, -18]);
  const objectives = [{ name: 'accuracy', direction: 'maximize' as const }, { name: 'size_bits', direction: 'minimize' as const }];
  // In the objectives' own units: accuracy is maximized, so its reference lies below the front.
  const ref = chooseReferencePoint(objectives, [[0.9, 100], [0.8, 10], [0.7, 50]])!;
  assert.is(ref.source, 'nadir+10%');
  assert.ok(Math.abs(ref.point[0]! - 0.79) < 1e-12 && Math.abs(ref.point[1]! - 109) < 1e-12, `got ${ref.point}`);
  // A declared point applies only when it covers every objective and all are minimized.
  assert.is(chooseReferencePoint(objectives, [[0.9, 100]], { declared: { accuracy: 0, size_bits: 1e3 } })!.source, 'nadir+10%');
  assert.equal(chooseReferencePoint([objectives[1]!], [[100]], { declared: { size_bits: 1e3 } }), { point: [1e3], source: 'problem' });
  assert.equal(chooseReferencePoint([objectives[1]!], [[100]], { declared: { size_bits: 1e3 }, given: [7] }), { point: [7], source: 'given' });
  assert.is(chooseReferencePoint(objectives, []), null);
});

test('acquisition reference point: nadir of the front plus 10 % of the observed range, so a narrow front still has room to widen', () => {
  // The front is [0, 1] and [0.01, 0.9] (f1 range 0.01); all points span f1 0..1 and f2 0.9..9.
  const pts = [[0, 1], [0.01, 0.9], [0.5, 5], [1, 9]];
  const ref = acquisitionReferencePoint(pts);
  assert.ok(Math.abs(ref[0]! - 0.11) < 1e-12 && Math.abs(ref[1]! - 1.81) < 1e-12, `got ${ref}`);
  // BoTorch's rule on the same points hugs the narrow front: f1 ≤ 0.011 only.
  assert.ok(inferReferencePoint(pts)[0]! < 0.012);
  // A single point: 10 % of max(1, |nadir|) beyond it, as the study rule.
  assert.equal(acquisitionReferencePoint([[0.5, -20]]), [0.6, -18]);
});

test('zdt1 study: the problem reference point is used and the front is g = 1', () => {
  const space = makeSpace(`
objective: { builtin: zdt1 }
params: { x0: { type: float, low: 0, high: 1 } }
metrics: { f1: minimize, f2: minimize }
`);
  const rng = new Rng(3);
  const trials = Array.from({ length: 200 }, (_, i) => {
    const onFront = i % 2 === 0;
    const x = [rng.uniform(), ...Array.from({ length: 5 }, () => (onFront ? 0 : 0.05 + rng.uniform()))];
    const [f1, f2] = zdt1.evaluate(x);
    return makeTrial(i, { f1: f1!, f2: f2! });
  });
  assert.equal(declaredReference(space.objective), { f1: 11, f2: 11 });
  assert.is(paretoFront(space, trials).referencePoint!.source, 'nadir+10%', 'the pareto room does not know the benchmark table');
  const r = paretoFront(space, trials, { declaredReference: declaredReference(space.objective)! });
  assert.equal(r.referencePoint, { point: [11, 11], source: 'problem' });
  for (const t of r.front) assert.ok(Math.abs(t.metrics!.f2! - (1 - Math.sqrt(t.metrics!.f1!))) < 1e-12, `trial ${t.number} off the analytic front`);
  assert.ok(r.front.length >= 90);
  assert.ok(r.hypervolume.value < zdt1.bestKnown && r.hypervolume.value > zdt1.bestKnown - 0.05, `HV ${r.hypervolume.value}`);
  assert.ok(r.knee !== null);
});

test('3-objective study uses exact 3-D hypervolume', () => {
  const space = makeSpace(`
objective: { module: ./x.js }
params: { w: { type: float, low: 0, high: 1 } }
metrics: { a: minimize, b: minimize, c: maximize }
`);
  const r = paretoFront(space, [makeTrial(0, { a: 0, b: 0, c: 0 }), makeTrial(1, { a: 1, b: 1, c: 1 })], { referencePoint: [2, 2, -1] });
  // Min-space points (0,0,0) and (1,1,-1), reference (2,2,1): 4 + 2 − 1.
  assert.is(r.hypervolume.value, 5);
  assert.is(r.hypervolume.method, 'exact-3d');
  assert.is(r.knee, null);
});

test('knee: the corner of an L-shaped front; log axis changes the answer', () => {
  assert.equal(kneeIndex({ points: [[1, 10], [2, 2], [10, 1]], log: [false, false] })?.index, 1);
  assert.is(kneeIndex({ points: [[1, 1], [2, 0]], log: [false, false] }), null);
  assert.is(kneeIndex({ points: [[0, 1], [0.5, 0.5], [1, 0]], log: [false, false] }), null, 'a straight front has no knee');
  // Sizes 1, 8, 1024 with errors 1, 0.4, 0: linear size puts the middle point near the left edge
  // (a knee), log2 size puts it at 0.3 of the way with error 0.4: below the chord too, but closer.
  const pts: [number, number][] = [[1, 1], [8, 0.4], [1024, 0]];
  const lin = kneeIndex({ points: pts, log: [false, false] })!;
  const log = kneeIndex({ points: pts, log: [true, false] })!;
  assert.is(lin.index, 1);
  assert.is(log.index, 1);
  assert.ok(lin.distance > log.distance);
});

test('accuracy–size knee on a saturating front is the bend, in log2 size', () => {
  const space = makeSpace(ACC_SIZE);
  // accuracy = 0.95 − 0.4·2^(−(s − 10)/2) for s = log2 size in 10..30: bends near s ≈ 14.
  const trials = Array.from({ length: 21 }, (_, i) => {
    const s = 10 + i;
    return makeTrial(i, { accuracy: 0.95 - 0.4 * 2 ** (-(s - 10) / 2), size_bits: 2 ** s });
  });
  const r = paretoFront(space, trials);
  const s = Math.log2(r.knee!.trial.metrics!.size_bits!);
  assert.ok(s >= 13 && s <= 16, `knee at log2 size ${s}`);
});

test.run();
