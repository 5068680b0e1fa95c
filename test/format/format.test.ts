import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { csv, csvField, formatBytes, formatDuration, formatMetric, formatNumber, formatParam, formatParams, formatSize, formatTick, plural } from '../../src/format/index.js';
import { frontierCsv } from '../../src/balance/index.js';
import type { BalanceResult } from '../../src/balance/index.js';

test('numbers: 4 significant digits, suffixes from 10^4, exponent below 10^-3, a dash when missing', () => {
  assert.is(formatNumber(3), '3');
  assert.is(formatNumber(9999), '9999');
  assert.is(formatNumber(0.123456), '0.1235');
  assert.is(formatNumber(0.5, 3), '0.5');
  assert.is(formatNumber(123456), '123k');
  assert.is(formatNumber(1.698e6), '1.7M');
  assert.is(formatNumber(0.0000123), '1.23e-5');
  assert.is(formatNumber(null), '–');
  assert.is(formatNumber(Number.NaN), '–');
  assert.is(formatNumber(-Infinity), '−∞');
});

test('a size in bits is printed one way: bytes with a binary prefix, then the bit count', () => {
  assert.is(formatSize(1.698e6), '207 KiB (1.70 Mbit)');
  assert.is(formatSize(8 * 1024 * 16), '16 KiB (131.07 kbit)');
  assert.is(formatSize(96), '12 B (96 bit)');
  assert.is(formatSize(null), '–');
  assert.is(formatBytes(8 * 1024 * 1024), '1 MiB');
  assert.is(formatBytes(12), '1.5 B');
  assert.is(formatBytes(8 * 1016), '1016 B', 'no exponent between 1000 and 1023');
  assert.is(formatBytes(8 * 1024 * 207.4), '207 KiB');
  assert.is(formatMetric('size_bits', 1.698e6), '207 KiB (1.70 Mbit)');
  assert.is(formatMetric('weight_bits', 8), '1 B (8 bit)');
  assert.is(formatMetric('bits', 8), '8', 'the bit-width parameter is not a size');
  assert.is(formatMetric('latency_ms', 1.2345), '1.23 ms');
  assert.is(formatTick('size_bits', 8 * 512 * 1024), '512 KiB', 'ticks use the short form');
  assert.is(formatTick('accuracy', 0.9), '0.9');
});

test('durations, parameters and plurals', () => {
  assert.is(formatDuration(4200), '4.2s');
  assert.is(formatDuration(4000), '4s');
  assert.is(formatDuration(125_000), '2m 05s');
  assert.is(formatDuration(3_725_000), '1h 02m');
  assert.is(formatDuration(null), '–');
  assert.is(formatDuration(0), '0s');
  assert.is(formatDuration(-1), '–');
  assert.is(formatDuration(Number.NaN), '–');
  assert.is(formatParam(0.0123456), '0.01235');
  assert.is(formatParam('relu'), 'relu');
  assert.is(formatParams({ a: 1, b: 'x' }, ['b', 'a']), 'b=x, a=1');
  assert.is(plural(1, 'worker'), '1 worker');
  assert.is(plural(2, 'worker'), '2 workers');
  assert.is(plural(0, 'trial'), '0 trials');
});

test('one CSV quoter: blanks for missing and non-finite numbers, JSON for objects, RFC 4180 quotes', () => {
  assert.is(csvField(Number.NaN), '');
  assert.is(csvField(Infinity), '');
  assert.is(csvField(null), '');
  assert.is(csvField(0.5), '0.5');
  assert.is(csvField({ a: [1, 2] }), '"{""a"":[1,2]}"');
  assert.is(csvField('say "hi", then\nleave'), '"say ""hi"", then\nleave"');
  assert.is(csv(['a', 'b'], [[1, 'x,y']]), 'a,b\n1,"x,y"\n');
});

test('the frontier CSV quotes like the trial export (NaN blank, objects as JSON)', () => {
  const result = {
    sizeMetric: 'size_bits',
    points: [{ trial: 1, size: 64, log2Size: 6, e: Number.NaN, onEnvelope: true, params: { act: 'a,b' }, metrics: { size_bits: 64 } }],
    recommended: null,
    knee: null,
  } as unknown as BalanceResult;
  assert.is(frontierCsv(result), 'trial,size_bits,log2_size,efficiency,recommended,knee,param_act,metric_size_bits\n1,64,6,,0,0,"a,b",64\n');
});

test.run();
