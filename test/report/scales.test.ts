import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { esc } from '../../src/report/escape.js';
import { linearScale, logScale, niceTicks } from '../../src/report/svg.js';
import { front2d } from '../../src/report/charts/index.js';

test('esc escapes markup and quotes', () => {
  assert.is(esc('<a href="x">&\'</a>'), '&#60;a href=&#34;x&#34;&#62;&#38;&#39;&#60;/a&#62;');
});

test('scales map their domain onto their range', () => {
  const x = linearScale([0, 10], [100, 200]);
  assert.is(x(5), 150);
  const l = logScale([1, 1000], [0, 300]);
  assert.ok(Math.abs(l(10) - 100) < 1e-9);
  assert.equal(l.ticks(), [1, 3, 10, 30, 100, 300, 1000], '1-3 steps over three decades');
  assert.equal(logScale([1, 1e5], [0, 1]).ticks(), [1, 10, 100, 1000, 10000, 100000]);
  assert.equal(logScale([1000, 70000], [0, 1], true).ticks(), [1024, 2048, 4096, 8192, 16384, 32768, 65536]);
  assert.equal(niceTicks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.throws(() => logScale([0, 1], [0, 1]), /positive domain/);
});

test('front2d keeps the attainment front under each direction', () => {
  const pts = [
    [1, 0.5, 0],
    [2, 0.7, 1],
    [3, 0.6, 2],
    [4, 0.9, 3],
  ] as const;
  assert.equal(front2d(pts, true, true).map((p) => p[2]), [0, 1, 3]);
  assert.equal(front2d(pts, true, false).map((p) => p[2]), [0]);
  assert.equal(front2d(pts, false, true).map((p) => p[2]), [3]);
});

test.run();
