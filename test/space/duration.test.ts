import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDuration } from '../../src/space/index.js';

test('parses durations', () => {
  assert.is(parseDuration(90), 90_000);
  assert.is(parseDuration('90'), 90_000);
  assert.is(parseDuration('30s'), 30_000);
  assert.is(parseDuration('20m'), 1_200_000);
  assert.is(parseDuration('8h'), 28_800_000);
  assert.is(parseDuration('1h30m'), 5_400_000);
  assert.is(parseDuration('250ms'), 250);
  assert.is(parseDuration(0.5), 500, 'a fraction of a second as a number');
  assert.is(parseDuration('1.5m'), 90_000);
});

test('rejects non-durations', () => {
  for (const bad of ['', 'soon', '5x', '1h 30m', '-5', 0, -1, Infinity]) assert.is(parseDuration(bad as string), undefined, String(bad));
});

test.run();
