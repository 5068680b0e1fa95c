/**
 * Scrambled Sobol sequences in up to MAX_SOBOL_DIM dimensions, 32-bit precision.
 *
 * Construction: Joe–Kuo direction numbers (new-joe-kuo-6.21201, see sobol-directions.ts), points
 * in Gray-code order (Antonov–Saleev), so point n is the XOR of the direction numbers picked by the
 * bits of gray(n) = n ^ (n >> 1). This is the order scipy.stats.qmc.Sobol uses, and unscrambled
 * points equal scipy's `Sobol(d, scramble=False)` points (checked in test/math/sobol.test.ts).
 *
 * Scrambling (when `scramble` is true) is the one scipy uses: a random linear matrix scramble
 * (LMS: each dimension's direction numbers are multiplied by a random lower-triangular binary
 * matrix with unit diagonal) followed by a random digital shift (XOR with a random 32-bit word per
 * dimension), Matoušek (1998). Both keep the (t, m, s)-net property, so the first 2^m points still
 * put exactly one point in each of 2^m equal cells of every dimension, and the digital shift moves
 * the first point off the origin. It is not Owen's nested scrambling. The random matrices come
 * from `Rng(deriveSeed(seed, SOBOL_STREAM))`, so the same seed gives the same points everywhere.
 */
import { UsageError } from '../errors.js';
import { deriveSeed, Rng } from './rng.js';
import { JOE_KUO_DIRECTIONS } from './sobol-directions.js';

export const MAX_SOBOL_DIM = JOE_KUO_DIRECTIONS.length + 1;
/** Bits per coordinate: points are k / 2^32, so at most 2^32 points are distinct. */
const BITS = 32;
const MAX_INDEX = 2 ** BITS - 1;
const INV_2_32 = 1 / 2 ** BITS;
/** Stream id separating the scramble's random numbers from other uses of the same seed. */
const SOBOL_STREAM = 0x50b01;

/** Unscrambled direction numbers, `dim × 32` (row-major): entry j is m_{j+1} · 2^(31-j). */
function directionNumbers(dim: number): Uint32Array {
  const v = new Uint32Array(dim * BITS);
  for (let j = 0; j < BITS; j++) v[j] = (1 << (BITS - 1 - j)) >>> 0;
  for (let d = 1; d < dim; d++) {
    const row = JOE_KUO_DIRECTIONS[d - 1]!;
    const s = row[0]!;
    const a = row[1]!;
    const base = d * BITS;
    for (let j = 0; j < Math.min(s, BITS); j++) v[base + j] = (row[2 + j]! << (BITS - 1 - j)) >>> 0;
    // Bratley–Fox recurrence: V_j = V_{j-s} ^ (V_{j-s} >> s) ^ XOR_k a_k V_{j-k}.
    for (let j = s; j < BITS; j++) {
      let x = v[base + j - s]! ^ (v[base + j - s]! >>> s);
      for (let k = 1; k < s; k++) if ((a >>> (s - 1 - k)) & 1) x ^= v[base + j - k]!;
      v[base + j] = x >>> 0;
    }
  }
  return v;
}

function parity(x: number): number {
  x ^= x >>> 16;
  x ^= x >>> 8;
  x ^= x >>> 4;
  x ^= x >>> 2;
  x ^= x >>> 1;
  return x & 1;
}

/**
 * Multiply each dimension's direction numbers by a random lower-triangular binary matrix with
 * unit diagonal (bit position 0 = most significant bit), in place.
 */
function linearMatrixScramble(v: Uint32Array, dim: number, rng: Rng): void {
  const rows = new Uint32Array(BITS);
  for (let d = 0; d < dim; d++) {
    for (let i = 0; i < BITS; i++) {
      // Row i keeps random bits in columns k < i (the i most significant bits), 1 on the diagonal.
      const below = i === 0 ? 0 : (0xffffffff << (BITS - i)) >>> 0;
      rows[i] = ((rng.nextUint32() & below) | (1 << (BITS - 1 - i))) >>> 0;
    }
    for (let j = 0; j < BITS; j++) {
      const x = v[d * BITS + j]!;
      let y = 0;
      for (let i = 0; i < BITS; i++) if (parity(rows[i]! & x)) y |= 1 << (BITS - 1 - i);
      v[d * BITS + j] = y >>> 0;
    }
  }
}

export class SobolSequence {
  readonly dim: number;
  readonly seed: number;
  readonly scramble: boolean;
  /** `dim × 32` direction numbers (scrambled when `scramble`). */
  private readonly v: Uint32Array;
  /** Per-dimension digital shift (zeros when not scrambled). */
  private readonly shift: Uint32Array;
  private cursor = 0;

  constructor(dim: number, seed = 0, scramble = true) {
    if (!Number.isInteger(dim) || dim < 1 || dim > MAX_SOBOL_DIM) {
      throw new UsageError(`Sobol dimension must be an integer in [1, ${MAX_SOBOL_DIM}], got ${dim}`);
    }
    this.dim = dim;
    this.seed = seed;
    this.scramble = scramble;
    this.v = directionNumbers(dim);
    this.shift = new Uint32Array(dim);
    if (scramble) {
      const rng = new Rng(deriveSeed(seed, SOBOL_STREAM, dim));
      linearMatrixScramble(this.v, dim, rng);
      for (let d = 0; d < dim; d++) this.shift[d] = rng.nextUint32();
    }
  }

  /** Point `index` (0-based) of the sequence, `dim` coordinates in [0, 1). */
  point(index: number): number[] {
    checkIndex(index);
    const words = this.words(index);
    const out: number[] = [];
    for (let d = 0; d < this.dim; d++) out.push(words[d]! * INV_2_32);
    return out;
  }

  /** The point at the cursor, then advance the cursor (starts at 0; see `skipTo`). */
  next(): number[] {
    return this.point(this.cursor++);
  }

  /** Move the cursor so that `next()` returns point `index`. */
  skipTo(index: number): void {
    checkIndex(index);
    this.cursor = index;
  }

  /** Points `skip .. skip + n - 1`, `n × dim`; uses the Gray-code update, one XOR per coordinate. */
  points(n: number, skip = 0): number[][] {
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`number of Sobol points must be an integer >= 0, got ${n}`);
    if (n === 0) return [];
    checkIndex(skip);
    checkIndex(skip + n - 1);
    const out: number[][] = [];
    const x = this.words(skip);
    for (let i = 0; i < n; i++) {
      if (i > 0) {
        // gray(k) and gray(k-1) differ in bit ctz(k).
        const k = skip + i;
        const bit = ctz(k);
        for (let d = 0; d < this.dim; d++) x[d] = (x[d]! ^ this.v[d * BITS + bit]!) >>> 0;
      }
      const row: number[] = [];
      for (let d = 0; d < this.dim; d++) row.push(x[d]! * INV_2_32);
      out.push(row);
    }
    return out;
  }

  /** Integer coordinates (k of k / 2^32) of point `index`. */
  private words(index: number): Uint32Array {
    const x = Uint32Array.from(this.shift);
    const gray = (index ^ Math.floor(index / 2)) >>> 0;
    for (let bit = 0; bit < BITS; bit++) {
      if (((gray >>> bit) & 1) === 0) continue;
      for (let d = 0; d < this.dim; d++) x[d] = (x[d]! ^ this.v[d * BITS + bit]!) >>> 0;
    }
    return x;
  }
}

/** `n × dim` scrambled (by default) Sobol points starting at index `skip`. */
export function sobol(dim: number, n: number, seed = 0, options: { skip?: number; scramble?: boolean } = {}): number[][] {
  return new SobolSequence(dim, seed, options.scramble ?? true).points(n, options.skip ?? 0);
}

function checkIndex(index: number): void {
  if (!Number.isInteger(index) || index < 0 || index > MAX_INDEX) {
    throw new UsageError(`Sobol point index must be an integer in [0, 2^32 - 1], got ${index}`);
  }
}

/** Number of trailing zero bits of a positive integer < 2^32. */
function ctz(k: number): number {
  return 31 - Math.clz32((k & -k) >>> 0);
}
