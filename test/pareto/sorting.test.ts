import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { crowdingDistances, frontIndices, rankPoints } from '../../src/pareto/index.js';

const free = (values: number[]) => ({ values, violation: 0 });

test('non-dominated sorting peels fronts; infeasible points follow by violation', () => {
  const points = [free([1, 5]), free([2, 2]), free([5, 1]), free([3, 3]), free([6, 6]), { values: [0, 0], violation: 2 }, { values: [0, 0], violation: 1 }];
  assert.equal(frontIndices(points), [0, 0, 0, 1, 2, 4, 3]);
});

test('crowding distance: extremes infinite, inner points by the gap between neighbours', () => {
  assert.equal(crowdingDistances([[0, 4], [1, 1], [4, 0]]), [Infinity, 2, Infinity]);
  assert.equal(crowdingDistances([[1, 1], [1, 1]]), [Infinity, Infinity]);
  const d = crowdingDistances([[0, 10], [1, 9], [5, 5], [10, 0]]);
  assert.ok(d[2]! > d[1]!, `the lonelier point is worth more: ${d}`);
});

test('rankPoints: front, then crowding (larger first), then input order', () => {
  const ranked = rankPoints([free([3, 3]), free([0, 4]), free([1, 1]), free([4, 0]), free([2, 2.5])]);
  assert.equal(ranked.map((r) => r.index), [1, 3, 2, 4, 0]);
  assert.equal(ranked.map((r) => r.front), [0, 0, 0, 1, 2]);
});

test.run();
