import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_SOBOL_DIM, SobolSequence, sobol } from '../../src/math/index.js';
import { UsageError } from '../../src/errors.js';

const isUsage = (e: unknown): boolean => e instanceof UsageError;

test('unscrambled dims 1-3: first 8 points are the published values', () => {
  // scipy.stats.qmc.Sobol(3, scramble=False).random(8), same as Joe & Kuo's sobol.cc output.
  const expected = [
    [0, 0, 0],
    [0.5, 0.5, 0.5],
    [0.75, 0.25, 0.25],
    [0.25, 0.75, 0.75],
    [0.375, 0.375, 0.625],
    [0.875, 0.875, 0.125],
    [0.625, 0.125, 0.875],
    [0.125, 0.625, 0.375],
  ];
  assert.equal(sobol(3, 8, 0, { scramble: false }), expected);
  const seq = new SobolSequence(3, 0, false);
  assert.equal(expected.map((_, i) => seq.point(i)), expected);
  assert.equal(expected.map(() => seq.next()), expected);
});

test('unscrambled high dims and deep indices match scipy bit for bit (direction table check)', () => {
  const seq = new SobolSequence(256, 0, false);
  const dims = [0, 1, 2, 9, 63, 64, 127, 200, 255];
  const word = (p: number[]): number[] => dims.map((j) => p[j]! * 2 ** 32);
  // scipy.stats.qmc.Sobol(256, scramble=False, bits=32) after fast_forward(index), times 2^32.
  assert.equal(word(seq.point(1000003)), [1187450880, 2413424640, 334991360, 18903040, 1323372544, 1062604800, 1969033216, 110694400, 3460722688]);
  assert.equal(word(seq.point(2 ** 31 + 12345)), [2752774147, 2238272853, 1645001659, 1452380627, 1439752459, 375048079, 1635435653, 3316159729, 1557921969]);
  const small = new SobolSequence(256, 0, false);
  const pts = small.points(64);
  assert.equal([pts[5]![63], pts[17]![100], pts[33]![200], pts[63]![255], pts[41]![255], pts[13]![128]], [0.625, 0.09375, 0.453125, 0.046875, 0.390625, 0.1875]);
});

test('points(n, skip) agrees with point(i) (Gray-code update vs direct)', () => {
  for (const scramble of [false, true]) {
    const seq = new SobolSequence(7, 5, scramble);
    const pts = seq.points(300, 1000);
    for (const i of [0, 1, 2, 3, 127, 128, 299]) assert.equal(pts[i], seq.point(1000 + i));
  }
});

/** Whether the first 2^m points put exactly one point in each of the 2^m cells of every dimension. */
function balanced(pts: number[][], m: number): boolean {
  const cells = 2 ** m;
  for (let d = 0; d < pts[0]!.length; d++) {
    const seen = new Set(pts.slice(0, cells).map((p) => Math.floor(p[d]! * cells)));
    if (seen.size !== cells) return false;
  }
  return true;
}

test('balance: first 2^m points stratify each dimension into 2^m cells (plain and scrambled)', () => {
  for (const scramble of [false, true]) {
    for (const seed of [0, 1, 12345]) {
      const pts = sobol(64, 1024, seed, { scramble });
      for (const m of [1, 3, 6, 10]) assert.ok(balanced(pts, m), `m=${m} scramble=${scramble} seed=${seed}`);
    }
  }
  // A 2-d projection is a (0, m, 2)-net for dims 1 and 2: each of 4x4 boxes holds one of 16 points.
  const pts = sobol(2, 16, 3);
  const boxes = new Set(pts.map(([x, y]) => `${Math.floor(x! * 4)},${Math.floor(y! * 4)}`));
  assert.is(boxes.size, 16);
  // The check itself can fail: random points are not balanced.
  const iid = Array.from({ length: 64 }, (_, i) => [((i * 7919) % 64) / 64, ((i * i) % 64) / 64]);
  assert.not.ok(balanced(iid, 6));
});

test('scrambled: in [0, 1), seeded, not the plain sequence, uniform mean', () => {
  const a = sobol(64, 4096, 7);
  assert.ok(a.every((p) => p.every((x) => x >= 0 && x < 1)));
  assert.equal(sobol(64, 16, 7), a.slice(0, 16));
  assert.not.equal(sobol(64, 16, 8), a.slice(0, 16));
  assert.not.equal(a[0], new Array(64).fill(0)); // the digital shift moves the first point off 0
  for (let d = 0; d < 64; d++) {
    const mean = a.reduce((s, p) => s + p[d]!, 0) / a.length;
    assert.ok(Math.abs(mean - 0.5) < 0.01, `dim ${d} mean ${mean}`);
  }
  // Scrambled points keep low discrepancy: much better than the 1/sqrt(n) error of random points
  // on a smooth integrand, prod_d (x_d + 0.5) over 8 dims, whose integral is 1.
  const f = (p: number[]): number => p.slice(0, 8).reduce((s, x) => s * (x + 0.5), 1);
  const est = a.reduce((s, p) => s + f(p), 0) / a.length;
  assert.ok(Math.abs(est - 1) < 2e-3, `QMC estimate ${est}`);
});

test('rejects bad dimension and index', () => {
  assert.throws(() => new SobolSequence(0), isUsage);
  assert.throws(() => new SobolSequence(MAX_SOBOL_DIM + 1), isUsage);
  assert.ok(MAX_SOBOL_DIM >= 64);
  assert.throws(() => new SobolSequence(2).point(-1), isUsage);
  assert.throws(() => new SobolSequence(2).point(2 ** 32), isUsage);
  assert.throws(() => new SobolSequence(2).points(1.5), isUsage);
});

test.run();
