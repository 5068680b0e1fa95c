/**
 * A small seeded PRNG: xoshiro128** (Blackman & Vigna, 2018) on 32-bit integer operations.
 *
 * Why not Math.random: it cannot be seeded. Why 32-bit: `Math.imul`, `^`, `>>>` give the same
 * bits on every platform, so a seed names the same stream everywhere. `normal()` goes through
 * Math.log / Math.sqrt / Math.cos; V8 implements these with its own fdlibm port, so Node gives the
 * same doubles on every platform (other engines may differ in the last bit).
 *
 * Seeds are non-negative safe integers (0 ≤ seed < 2^53). Independent streams come from
 * `deriveSeed(seed, ...ints)`, e.g. `new Rng(deriveSeed(studySeed, STREAM_RANDOM, trialNumber))`:
 * a hash of all words, so streams for neighbouring trial numbers share nothing.
 */
import { UsageError } from '../errors.js';

const TWO_32 = 4294967296;
const TWO_53 = 9007199254740992;

function checkSeedInt(x: number, what: string): void {
  if (!Number.isSafeInteger(x)) throw new UsageError(`${what} must be a safe integer (|x| < 2^53), got ${x}`);
}

/** An integer split into two 32-bit words (low, high); negative values use two's complement. */
function words(x: number): [number, number] {
  const lo = ((x % TWO_32) + TWO_32) % TWO_32;
  const hi = Math.floor(x / TWO_32);
  return [lo >>> 0, hi >>> 0];
}

/** murmur3's finalizer: a bijection on 32 bits with full avalanche. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** murmur3-style hash of a word list with a given initial value. */
function hashWords(ws: readonly number[], init: number): number {
  let h = init >>> 0;
  for (const w of ws) {
    let k = Math.imul(w, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  return fmix32(h ^ ws.length);
}

/**
 * A seed for an independent stream named by `seed` and any number of integers (trial number,
 * purpose). Returns a non-negative safe integer (53 bits), so collisions between the streams of
 * one study are negligible, and the result is itself a valid seed.
 */
export function deriveSeed(seed: number, ...ints: readonly number[]): number {
  checkSeedInt(seed, 'seed');
  const ws: number[] = [...words(seed)];
  for (const x of ints) {
    checkSeedInt(x, 'stream id');
    ws.push(...words(x));
  }
  const hi = hashWords(ws, 0x9e3779b9) & 0x1fffff;
  const lo = hashWords(ws, 0x7f4a7c15);
  return hi * TWO_32 + lo;
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** Second Box–Muller variate, kept for the next `normal()` call. */
  private spare: number | null = null;

  constructor(seed: number) {
    checkSeedInt(seed, 'seed');
    if (seed < 0) throw new UsageError(`seed must be >= 0, got ${seed}`);
    const [lo, hi] = words(seed);
    // Four differently-initialised hashes of the seed words fill the 128-bit state (the same
    // purpose splitmix serves in the reference seeding); all-zero state is the one forbidden state.
    this.s0 = hashWords([lo, hi], 0x243f6a88);
    this.s1 = hashWords([lo, hi], 0x85a308d3);
    this.s2 = hashWords([lo, hi], 0x13198a2e);
    this.s3 = hashWords([lo, hi], 0x03707344);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /**
   * A generator started from an explicit 128-bit state (four uint32 words, not all zero), for
   * checking against the reference implementation's published outputs.
   */
  static fromState(state: readonly [number, number, number, number]): Rng {
    if (state.every((w) => w >>> 0 === 0)) throw new UsageError('xoshiro128** state must not be all zero, got [0, 0, 0, 0]');
    const rng = new Rng(0);
    [rng.s0, rng.s1, rng.s2, rng.s3] = state.map((w) => w | 0) as [number, number, number, number];
    return rng;
  }

  /** Next 32 random bits as an unsigned integer in [0, 2^32). */
  nextUint32(): number {
    const s1 = this.s1;
    const rot = (x: number, k: number): number => (x << k) | (x >>> (32 - k));
    const result = Math.imul(rot(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rot(this.s3, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const a = this.nextUint32() >>> 5; // 27 bits
    const b = this.nextUint32() >>> 6; // 26 bits
    return (a * 67108864 + b) / TWO_53;
  }

  /** `n` uniforms in [0, 1). */
  uniforms(n: number): number[] {
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = this.uniform();
    return out;
  }

  /** Standard normal variate (Box–Muller; the pair's second value is kept for the next call). */
  normal(): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return z;
    }
    const u = 1 - this.uniform(); // (0, 1]: log(u) is finite
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Uniform integer in [0, n), unbiased (rejection of the top partial range); 1 ≤ n ≤ 2^32. */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_32) {
      throw new UsageError(`Rng.int(n) needs an integer 1 <= n <= 2^32, got ${n}`);
    }
    const limit = TWO_32 - (TWO_32 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** Fisher–Yates shuffle in place (a plain or typed array); returns the same array. */
  shuffle<A extends { length: number; [i: number]: unknown }>(items: A): A {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }
}
