import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeValue, encodeValue, FeatureMap, MAX_GRID, type ParamSpec } from '../../src/space/index.js';

const params: Record<string, ParamSpec> = {
  rate: { type: 'float', low: 1e-4, high: 1e-1, log: true },
  width: { type: 'int', low: 4, high: 64, step: 4, log: false },
  units: { type: 'int', low: 1, high: 1000, step: 1, log: true },
  bits: { type: 'ordinal', choices: [2, 4, 8, 16] },
  act: { type: 'categorical', choices: ['relu', 'gelu', 'tanh'] },
};

test('features: one per numeric parameter (its unit coordinate), a one-hot block per categorical', () => {
  const f = new FeatureMap(params);
  assert.is(f.width, 4 + 3);
  assert.equal(f.dims.map((d) => d.kind), ['continuous', 'grid', 'grid', 'grid', 'onehot']);
  const config = { rate: 1e-2, width: 12, units: 10, bits: 8, act: 'gelu' };
  const x = f.encode(config);
  assert.equal(x.slice(1, 4), [encodeValue(params.width!, 12), encodeValue(params.units!, 10), encodeValue(params.bits!, 8)]);
  assert.equal(x.slice(4), [0, 1, 0]);
  const back = f.decode(x);
  assert.ok(Math.abs((back['rate'] as number) - 1e-2) < 1e-15, 'a float round-trips to rounding error');
  assert.equal({ ...back, rate: 1e-2 }, config);
});

test('a unit-cube point becomes features through the space decoder (log integers log-uniform, not uniform over values)', () => {
  const f = new FeatureMap(params);
  for (const u of [[0, 0, 0, 0, 0], [0.5, 0.5, 0.5, 0.5, 0.5], [0.999, 0.31, 0.77, 0.26, 0.7]]) {
    const x = f.fromUnit(u);
    const names = Object.keys(params);
    assert.equal(f.decode(x), Object.fromEntries(names.map((n, i) => [n, decodeValue(params[n]!, u[i]!)])));
  }
  // units 1..1000 on a log scale (0.5 .. 1000.5): the middle of the cube is √(0.5 · 1000.5) ≈ 22, not 500.
  const mid = f.decode(f.fromUnit([0.5, 0.5, 0.5, 0.5, 0.5]))['units'] as number;
  assert.is(mid, 22);
});

test('rounding snaps relaxed features to the configuration they decode to', () => {
  const f = new FeatureMap(params);
  const relaxed = [0.3333, 0.52, 0.4, 0.61, 0.2, 0.7, 0.1];
  const r = f.round(relaxed);
  assert.equal(r, f.encode(f.decode(relaxed)));
  assert.equal(r.slice(4), [0, 1, 0], 'one-hot: the largest coordinate wins');
  const gridPoints = (f.dims[1] as { points: readonly number[] }).points;
  assert.ok(gridPoints.includes(r[1]!), `${r[1]} is a grid point`);
  // The grid point nearest 0.52 among width's 16 bin centres (i + 0.5) / 16 is bin 8.
  assert.is(r[1], 8.5 / 16);
  assert.is(f.round([0, 0, 0, 0, 1, 0, 0])[0], 0, 'the lower bound stays exact');
});

test('one-hot blocks decode by their own largest coordinate wherever they sit', () => {
  const f = new FeatureMap({
    a: { type: 'categorical', choices: ['p', 'q', 'r'] },
    b: { type: 'categorical', choices: ['s', 't'] },
    c: { type: 'categorical', choices: ['u', 'v', 'w'] },
  });
  assert.equal(f.decode([0.1, 0.9, 0.0, 0.3, 0.2, 0.0, 0.1, 0.8]), { a: 'q', b: 's', c: 'w' });
  assert.equal(f.decode([0.9, 0.1, 0.0, 0.2, 0.3, 0.7, 0.1, 0.2]), { a: 'p', b: 't', c: 'u' });
});

test('values outside a range (a hand-edited database, say) encode to the nearest edge of the cube', () => {
  const f = new FeatureMap({ x: { type: 'float', low: 0, high: 1, log: false } });
  assert.equal(f.encode({ x: 1.5 }), [1]);
  assert.equal(f.encode({ x: -0.5 }), [0]);
});

test(`integer ranges past ${MAX_GRID} values are continuous features`, () => {
  const f = new FeatureMap({ n: { type: 'int', low: 0, high: MAX_GRID, step: 1, log: false } });
  assert.equal(f.dims, [{ kind: 'continuous' }]);
  const g = new FeatureMap({ n: { type: 'int', low: 0, high: MAX_GRID - 1, step: 1, log: false } });
  assert.is(g.dims[0]!.kind, 'grid');
});

test.run();
