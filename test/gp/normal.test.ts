import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { erfcx, normCdf, logNormCdf, logH } from '../../src/gp/index.js';

const close = (a: number, b: number, rel: number, what: string): void =>
  assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${what}: got ${a}, expected ${b}`);

test('erfcx matches reference values across branches', () => {
  // Reference values from mpmath at 30 digits.
  close(erfcx(0), 1, 1e-14, 'erfcx(0)');
  close(erfcx(0.5), 0.6156903441929259, 1e-13, 'erfcx(0.5)');
  close(erfcx(2), 0.2553956763105057, 1e-12, 'erfcx(2)');
  close(erfcx(3), 0.1790011511813900, 1e-12, 'erfcx(3)');
  close(erfcx(10), 0.05614099274382259, 1e-12, 'erfcx(10)');
  close(erfcx(-1), 5.00898008076228, 1e-12, 'erfcx(-1)');
});

test('erfcx agrees with exp(x²)·erfc(x) from the C library on each branch and at the branch edges', () => {
  // Python's math.exp(x*x) * math.erfc(x); the product itself carries a few 1e-15 of rounding at
  // large x (exp(x²) is rounded before the product), so 1e-14 rather than machine precision.
  const REF: [number, number][] = [[0.05, 0.9459900435549615], [0.3, 0.7345993345676551], [0.7, 0.525930337349441], [0.999, 0.4278569426214169], [1.0, 0.427583576155807], [1.3, 0.35764266908609027], [2.0, 0.2553956763105057], [2.45, 0.21458709224109387], [2.5, 0.21080636406114356], [3.7, 0.14743499753718506], [5.0, 0.11070463773306866], [7.99, 0.0700714367179529], [8.0, 0.06998516620088092], [9.5, 0.0590646783525639], [12.0, 0.04685422101489376]];
  for (const [x, v] of REF) close(erfcx(x), v, 1e-14, `erfcx(${x})`);
});

test('normal cdf is accurate in both tails', () => {
  close(normCdf(0), 0.5, 1e-15, 'Phi(0)');
  close(normCdf(-5), 2.866515718791939e-7, 1e-11, 'Phi(-5)');
  close(normCdf(-30), 4.906713927148187e-198, 1e-10, 'Phi(-30)');
  close(normCdf(1.5), 0.9331927987311419, 1e-13, 'Phi(1.5)');
  close(logNormCdf(-40), Math.log(3.6558935409150297) - 350 * Math.LN10, 1e-9, 'log Phi(-40)');
  assert.ok(Number.isFinite(logNormCdf(-1e4)), 'log Phi finite far in the tail');
});

test('log Φ near the middle and in the upper tail', () => {
  close(logNormCdf(0), Math.log(0.5), 1e-15, 'log Phi(0)');
  close(logNormCdf(1), Math.log(0.8413447460685429), 1e-14, 'log Phi(1)');
  close(logNormCdf(-0.5), Math.log(0.3085375387259869), 1e-14, 'log Phi(-0.5)');
  close(logNormCdf(-1), Math.log(0.15865525393145707), 1e-13, 'log Phi(-1)');
  close(logNormCdf(6), -9.865876450377e-10, 1e-9, 'log Phi(6)');
});

test('logH far in the tail (|z| > 1000) follows the asymptotic series', () => {
  for (const z of [-2000, -1e5]) {
    const a2 = z * z;
    // log h ≈ −z²/2 − log √(2π) − log z² − 3/z²: the next term is far below double precision here.
    close(logH(z), -0.5 * a2 - 0.5 * Math.log(2 * Math.PI) - Math.log(a2) - 3 / a2, 1e-15, `logH(${z})`);
  }
  // The series and the erfcx bracket agree where they meet.
  close(logH(-1000.0001), logH(-999.9999) - 0.5 * (1000.0001 ** 2 - 999.9999 ** 2) - 2 * Math.log(1000.0001 / 999.9999), 1e-12, 'continuity at |z| = 1000');
});

test('logH = log(phi(z) + z Phi(z)) without underflow', () => {
  const h = (z: number): number => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI) + z * normCdf(z);
  for (const z of [-0.5, 0, 1, 3]) close(logH(z), Math.log(h(z)), 1e-12, `logH(${z})`);
  // For moderate negative z the direct formula is still fine to ~1e-8 relative.
  close(Math.exp(logH(-5)), h(-5), 1e-7, 'logH(-5)');
  // Far tail: asymptotic -z^2/2 - log sqrt(2 pi) - 2 log|z|.
  const z = -50;
  close(logH(z), -0.5 * z * z - 0.5 * Math.log(2 * Math.PI) - 2 * Math.log(-z), 1e-5, 'logH(-50)');
  let prev = -Infinity;
  for (let t = -200; t < 5; t += 0.25) {
    const v = logH(t);
    assert.ok(v > prev, `logH increasing at ${t}`);
    prev = v;
  }
});

test.run();
