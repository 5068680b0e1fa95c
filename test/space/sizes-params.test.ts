import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkParams, parseSize, parseSpace } from '../../src/space/index.js';

test('parseSize: MiB by default, decimal and binary units, nothing at or below zero', () => {
  assert.is(parseSize(2), 2 * 1024 ** 2);
  assert.is(parseSize('512'), 512 * 1024 ** 2);
  assert.is(parseSize('512MiB'), 512 * 1024 ** 2);
  assert.is(parseSize('1.5GB'), 1.5e9);
  assert.is(parseSize('2GiB'), 2 * 1024 ** 3);
  assert.is(parseSize('3 kb'), 3000);
  assert.is(parseSize('1MB'), 1e6);
  assert.is(parseSize('1tib'), 1024 ** 4);
  assert.is(parseSize('10b'), 10);
  for (const bad of ['', 'lots', '5 parsecs', '0', '0MiB', -1, 0, NaN]) assert.is(parseSize(bad as string), undefined, String(bad));
});

test('checkParams: every parameter present and valid, nothing else, in the space\'s order', () => {
  const space = parseSpace('objective: { builtin: zdt1 }\nparams: { b: { type: int, low: 1, high: 9, step: 2 }, a: { type: categorical, choices: [x, y] } }\nmetrics: { f1: minimize }\n', 's.yaml');
  const ok = checkParams(space, { a: 'y', b: 3 });
  assert.equal(ok, { ok: true, params: { b: 3, a: 'y' } });
  assert.equal(Object.keys((ok as { params: object }).params), ['b', 'a']);
  assert.equal(checkParams(space, { b: 3 }), { ok: false, field: 'a', error: 'missing' });
  assert.equal(checkParams(space, { a: 'x', b: 3, c: 1 }), { ok: false, field: 'c', error: 'not a parameter of this space (its parameters: b, a)' });
  assert.equal(checkParams(space, { a: 'x', b: 4 }), { ok: false, field: 'b', error: 'an integer in [1, 9] in steps of 2 from 1, got 4' });
  assert.equal(checkParams(space, [1, 2]), { ok: false, field: '', error: 'an object of parameter values, got [1,2]' });
  assert.equal(checkParams(space, null), { ok: false, field: '', error: 'an object of parameter values, got null' });
});

test.run();
