/**
 * Numbers, sizes and parameter values as text, the same in the terminal, the HTML report, the SVG
 * charts and the summaries, so that a value reads the same everywhere it appears.
 */

/** Missing or not-a-number values print as this. */
export const MISSING = '–';

function trimZeros(s: string): string {
  return s.includes('e') || !s.includes('.') ? s : s.replace(/0+$/, '').replace(/\.$/, '');
}

/** A compact number: `digits` significant digits, k/M/G/T suffixes from 10^4, exponent below 10^-3. */
export function formatNumber(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || Number.isNaN(x)) return MISSING;
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (Number.isInteger(x) && Math.abs(x) < 1e4) return String(x);
  const a = Math.abs(x);
  if (a >= 1e4) {
    for (const [v, s] of [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']] as const) if (a >= v) return `${trimZeros((x / v).toPrecision(3))}${s}`;
  }
  if (a !== 0 && a < 1e-3) return x.toExponential(2);
  return trimZeros(x.toPrecision(digits));
}

/** Whether metric `name` counts bits of storage (`size_bits`, `weight_bits`; not the `bits` parameter). */
export function isSizeInBits(name: string): boolean {
  return /(^|_)bits$/.test(name) && name !== 'bits';
}

/** Bits as bytes with a binary prefix, short enough for an axis tick: 131072 → "16 KiB". */
export function formatBytes(bits: number): string {
  if (!Number.isFinite(bits)) return formatNumber(bits);
  let v = bits / 8;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  // 3 significant digits, but never an exponent (1016 B, not 1.02e+3 B).
  return `${Math.abs(v) >= 100 ? String(Math.round(v)) : trimZeros(v.toPrecision(3))} ${units[i]}`;
}

/** Bits with a decimal prefix: 1.7e6 → "1.70 Mbit". */
function formatBitCount(bits: number): string {
  const a = Math.abs(bits);
  for (const [v, s] of [[1e9, 'Gbit'], [1e6, 'Mbit'], [1e3, 'kbit']] as const) if (a >= v) return `${(bits / v).toFixed(2)} ${s}`;
  return `${formatNumber(bits)} bit`;
}

/** The one way a size in bits is printed: bytes first, the bit count beside it, e.g. "207 KiB (1.70 Mbit)". */
export function formatSize(bits: number | null | undefined): string {
  if (bits === null || bits === undefined || !Number.isFinite(bits)) return formatNumber(bits);
  return `${formatBytes(bits)} (${formatBitCount(bits)})`;
}

/** A value of metric `name` in its natural unit: sizes in bits as formatSize, latency in ms, time in s. */
export function formatMetric(name: string, x: number | null | undefined): string {
  if (x === null || x === undefined) return MISSING;
  if (isSizeInBits(name)) return formatSize(x);
  if (name === 'latency_ms') return `${formatNumber(x, 3)} ms`;
  if (name === 'train_seconds') return `${formatNumber(x, 3)} s`;
  return formatNumber(x);
}

/** The short form of a metric value for axis ticks (sizes without the bit count). */
export function formatTick(name: string, x: number): string {
  return isSizeInBits(name) ? formatBytes(x) : formatNumber(x);
}

/** A parameter value as text (numbers to 4 significant digits). */
export function formatParam(value: unknown): string {
  if (typeof value === 'number') return formatNumber(value);
  return value === null || value === undefined ? MISSING : String(value);
}

/** `name=value` pairs of a configuration, in the given order. */
export function formatParams(params: Readonly<Record<string, unknown>>, names: readonly string[], separator = ', '): string {
  return names.map((n) => `${n}=${formatParam(params[n])}`).join(separator);
}

/** "1 worker", "2 workers"; `many` for irregular plurals. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
