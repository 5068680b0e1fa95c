import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cardinality, decode, decodeValue, encode, encodeValue, isValidValue, parseSpace, type ParamSpec } from '../../src/space/index.js';

const specs: Record<string, ParamSpec> = {
  f: { type: 'float', low: -2, high: 3, log: false },
  flog: { type: 'float', low: 1e-4, high: 1, log: true },
  i: { type: 'int', low: 1, high: 9, step: 2, log: false },
  ilog: { type: 'int', low: 4, high: 256, step: 1, log: true },
  c: { type: 'categorical', choices: ['a', 'b', true] },
  o: { type: 'ordinal', choices: [2, 4, 8, 16, 32] },
};

test('decode gives valid values everywhere in the cube', () => {
  for (const [name, spec] of Object.entries(specs)) {
    for (let k = 0; k <= 200; k++) {
      const v = decodeValue(spec, k / 200);
      assert.ok(isValidValue(spec, v), `${name} at ${k / 200} gave ${v}`);
    }
  }
});

test('decode(encode(v)) = v for every discrete value', () => {
  for (const spec of [specs.i!, specs.ilog!, specs.c!, specs.o!]) {
    const values = spec.type === 'int' ? Array.from({ length: cardinality(spec) }, (_, k) => spec.low + k * spec.step) : spec.type === 'float' ? [] : [...spec.choices];
    for (const v of values) assert.equal(decodeValue(spec, encodeValue(spec, v)), v);
  }
});

test('encode(decode(u)) ≈ u for floats, linear and log', () => {
  for (const spec of [specs.f!, specs.flog!]) {
    for (const u of [0, 0.123, 0.5, 0.999, 1]) assert.ok(Math.abs(encodeValue(spec, decodeValue(spec, u)) - u) < 1e-12);
  }
});

test('non-log ints are uniform over their values', () => {
  const spec = specs.i!;
  const counts = new Map<unknown, number>();
  for (let k = 0; k < 1000; k++) {
    const v = decodeValue(spec, (k + 0.5) / 1000);
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  assert.equal([...counts.values()], [200, 200, 200, 200, 200]);
});

test('discrete values encode to the centres of their bins', () => {
  // int 1..9 step 2 has 5 values: bins of width 0.2, centres 0.1, 0.3, ..., 0.9.
  assert.equal([1, 3, 5, 7, 9].map((v) => encodeValue(specs.i!, v)), [0.1, 0.3, 0.5, 0.7, 0.9].map((c) => c));
  assert.is(encodeValue(specs.c!, 'a'), 1 / 6);
  assert.is(encodeValue(specs.c!, true), 5 / 6);
  assert.is(encodeValue(specs.o!, 8), 0.5);
  // Each centre sits half a bin from both edges: the most room either way for a model's relaxed values.
  for (const v of [1, 3, 5, 7, 9]) {
    const u = encodeValue(specs.i!, v);
    assert.is(decodeValue(specs.i!, u - 0.099), v);
    assert.is(decodeValue(specs.i!, u + 0.099), v);
  }
  // Log ints: log-uniform between low − 0.5 and high + 0.5, so each value's bin is centred on it in log space.
  const lo = Math.log(3.5);
  const hi = Math.log(256.5);
  assert.ok(Math.abs(encodeValue(specs.ilog!, 4) - (Math.log(4) - lo) / (hi - lo)) < 1e-15);
  assert.is(decodeValue(specs.ilog!, 0), 4);
  assert.is(decodeValue(specs.ilog!, 1), 256);
});

test('log float is uniform in log space', () => {
  assert.ok(Math.abs((decodeValue(specs.flog!, 0.5) as number) - 1e-2) < 1e-12);
});

test('space-level encode/decode keeps parameter order', () => {
  const space = parseSpace(
    'objective: { builtin: zdt1 }\nparams: { b: { type: float, low: 0, high: 10 }, a: { type: categorical, choices: [x, y] } }\nmetrics: { f: minimize }\n',
    's.yaml',
  );
  const p = decode(space, [0.25, 0.9]);
  assert.equal(p, { b: 2.5, a: 'y' });
  assert.equal(encode(space, p), [0.25, 0.75]);
  assert.equal(decode(space, [0.25]), { b: 2.5, a: 'y' }, 'a missing coordinate decodes the middle of its range');
});

test('isValidValue accepts exactly the values a parameter can take', () => {
  assert.ok(isValidValue(specs.c!, true) && isValidValue(specs.c!, 'b'));
  assert.not.ok(isValidValue(specs.c!, 'z'));
  assert.not.ok(isValidValue(specs.c!, 'true'), 'no coercion');
  assert.ok(isValidValue(specs.i!, 7));
  assert.not.ok(isValidValue(specs.i!, 4), 'off the step grid');
  assert.not.ok(isValidValue(specs.i!, 11) || isValidValue(specs.i!, -1) || isValidValue(specs.i!, 3.5));
  assert.ok(isValidValue(specs.f!, -2) && isValidValue(specs.f!, 3));
  assert.not.ok(isValidValue(specs.f!, 3.0001) || isValidValue(specs.f!, '1'));
});

test.run();
