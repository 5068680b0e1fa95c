import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatDuration, parseDuration } from '../../src/space/index.js';

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

test('formats durations', () => {
  assert.is(formatDuration(4_000), '4s');
  assert.is(formatDuration(125_000), '2m05s');
  assert.is(formatDuration(3_720_000), '1h02m');
  assert.is(formatDuration(0), '0s');
  assert.is(formatDuration(-1), '–');
  assert.is(formatDuration(NaN), '–');
});

test.run();
