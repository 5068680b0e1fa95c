import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ExpressionError } from '../../src/errors.js';
import { compileConstraints, constrainedDominates, constraintSlack, constraintViolation, dominates, slackMeets, nonDominatedIndices, toMinimization, totalViolation } from '../../src/pareto/index.js';
import { makeSpace } from './fixtures.js';

test('Pareto dominance on minimisation vectors', () => {
  assert.ok(dominates([1, 2], [2, 2]));
  assert.ok(dominates([1, 1], [2, 2]));
  assert.not.ok(dominates([2, 2], [2, 2]), 'equal points do not dominate');
  assert.not.ok(dominates([1, 3], [2, 2]), 'a trade-off does not dominate');
  assert.not.ok(dominates([2, 2], [1, 2]));
});

test('directions: maximised objectives are negated', () => {
  const objs = [
    { name: 'accuracy', direction: 'maximize' as const },
    { name: 'size', direction: 'minimize' as const },
  ];
  assert.equal(toMinimization(objs, [0.9, 100]), [-0.9, 100]);
  // Higher accuracy at the same size dominates.
  assert.ok(dominates(toMinimization(objs, [0.95, 100]), toMinimization(objs, [0.9, 100])));
});

test('constraint-aware dominance: feasible beats infeasible, infeasible compare by violation', () => {
  const feasibleBad = { values: [10, 10], violation: 0 };
  const infeasibleGood = { values: [0, 0], violation: 0.1 };
  const infeasibleWorse = { values: [0, 0], violation: 0.5 };
  assert.ok(constrainedDominates(feasibleBad, infeasibleGood));
  assert.not.ok(constrainedDominates(infeasibleGood, feasibleBad));
  assert.ok(constrainedDominates(infeasibleGood, infeasibleWorse));
  assert.not.ok(constrainedDominates(infeasibleWorse, infeasibleGood));
  assert.not.ok(constrainedDominates(infeasibleGood, { values: [5, 5], violation: 0.1 }), 'equal violation: neither dominates');
  assert.equal(nonDominatedIndices([infeasibleGood, feasibleBad, infeasibleWorse, { values: [11, 9], violation: 0 }]), [1, 3]);
});

test('violation of each constraint form, via the evaluator', () => {
  const space = makeSpace(`
objective: { builtin: zdt1 }
params: { x0: { type: float, low: 0, high: 1 } }
metrics: { accuracy: maximize, size_bits: minimize }
constraints: ["accuracy >= 0.9", "log2(size_bits) <= 20", "accuracy > 0.5"]
`);
  const [ge, le, gt] = compileConstraints(space.constraints);
  close(constraintViolation(ge!, { accuracy: 0.85, size_bits: 1 }), 0.05);
  assert.is(constraintViolation(ge!, { accuracy: 0.9, size_bits: 1 }), 0);
  assert.is(constraintViolation(le!, { accuracy: 1, size_bits: 2 ** 22 }), 2);
  assert.is(constraintViolation(le!, { accuracy: 1, size_bits: 2 ** 20 }), 0);
  assert.ok(constraintViolation(gt!, { accuracy: 0.5, size_bits: 1 }) > 0, 'strict comparison met with equality is infeasible');
  assert.is(constraintViolation(le!, { accuracy: 1, size_bits: -1 }), Infinity, 'NaN side: infinite violation');
  close(totalViolation(compileConstraints(space.constraints), { accuracy: 0.4, size_bits: 2 ** 21 }), 0.5 + 1 + 0.1);
  assert.throws(() => constraintViolation(ge!, { size_bits: 1 }), (e: unknown) => e instanceof ExpressionError && /accuracy >= 0\.9/.test(String((e as Error).message)) && /unknown name 'accuracy'/.test((e as Error).message));
});

test('feasibility at the boundary: one rule for the front and the GP sampler (slack and slackMeets)', () => {
  const space = makeSpace(`
objective: { builtin: zdt1 }
params: { x0: { type: float, low: 0, high: 1 } }
metrics: { accuracy: maximize, size_bits: minimize }
constraints: ["accuracy > 0.9", "accuracy >= 0.9", "size_bits < 8", "size_bits <= 8"]
`);
  const [gt, ge, lt, le] = compileConstraints(space.constraints);
  const atBoundary = { accuracy: 0.9, size_bits: 8 };
  for (const c of [gt!, ge!, lt!, le!]) assert.is(constraintSlack(c, atBoundary), 0);
  // Strict comparisons met with equality are infeasible, non-strict ones feasible, in both views.
  assert.equal([gt!, ge!, lt!, le!].map((c) => slackMeets(c.constraint.op, 0)), [false, true, false, true]);
  assert.equal([gt!, ge!, lt!, le!].map((c) => constraintViolation(c, atBoundary) === 0), [false, true, false, true]);
  // The slack's sign says which side: positive when met with room to spare.
  assert.is(constraintSlack(ge!, { accuracy: 0.95, size_bits: 8 }) > 0, true);
  assert.is(constraintSlack(le!, { accuracy: 0.9, size_bits: 4 }), 4);
  assert.is(constraintSlack(le!, { accuracy: 0.9, size_bits: 12 }), -4);
  assert.ok(Number.isNaN(constraintSlack(le!, { accuracy: 0.9, size_bits: Infinity })));
  assert.not.ok(slackMeets('>=', NaN), 'a slack that cannot be evaluated never meets');
});

function close(a: number, b: number): void {
  assert.ok(Math.abs(a - b) < 1e-12, `expected ${b}, got ${a}`);
}

test.run();
