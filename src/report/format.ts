/**
 * Number, size and time formatting shared by the HTML report, the SVG charts and the terminal
 * summary, so that a value reads the same everywhere it appears.
 */

/** HTML/XML text and attribute escaping (the report embeds user-controlled names and errors). */
export function esc(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A compact number: 4 significant digits, engineering suffixes beyond 10^4, exponent below 10^-3. */
export function fmtNum(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (Number.isInteger(x) && Math.abs(x) < 1e4) return String(x);
  const a = Math.abs(x);
  if (a >= 1e4) {
    const units: [number, string][] = [
      [1e12, 'T'],
      [1e9, 'G'],
      [1e6, 'M'],
      [1e3, 'k'],
    ];
    for (const [v, s] of units) if (a >= v) return `${trimZeros((x / v).toPrecision(3))}${s}`;
  }
  if (a !== 0 && a < 1e-3) return x.toExponential(2);
  return trimZeros(x.toPrecision(digits));
}

function trimZeros(s: string): string {
  return s.includes('e') || !s.includes('.') ? s : s.replace(/0+$/, '').replace(/\.$/, '');
}

/** A size in bits as bytes with a binary prefix, e.g. 131072 → "16 KiB". */
export function fmtBits(bits: number): string {
  if (!Number.isFinite(bits)) return fmtNum(bits);
  let v = bits / 8;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${trimZeros(v.toPrecision(3))} ${units[i]}`;
}

/**
 * A value of metric `name`, in the metric's natural unit when one is known (sizes in bits become
 * bytes). Falls back to fmtNum.
 */
export function fmtMetric(name: string, x: number | null | undefined): string {
  if (x === null || x === undefined) return '–';
  if (/(^|_)bits$/.test(name) && name !== 'bits') return fmtBits(x);
  if (name === 'latency_ms') return `${fmtNum(x, 3)} ms`;
  if (name === 'train_seconds') return `${fmtNum(x, 3)} s`;
  return fmtNum(x);
}

/** A duration in ms as "2h 05m", "3m 07s" or "4.2s". */
export function fmtDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 60_000) return `${trimZeros((ms / 1000).toPrecision(ms < 10_000 ? 2 : 3))}s`;
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  return `${m}m ${String(sec).padStart(2, '0')}s`;
}

/** A parameter value as text (floats to 4 significant digits). */
export function fmtParam(value: unknown): string {
  if (typeof value === 'number') return fmtNum(value);
  return String(value);
}

/** `name=value` pairs of a configuration, in the given order. */
export function fmtParams(params: Readonly<Record<string, unknown>>, names: readonly string[]): string {
  return names.map((n) => `${n}=${fmtParam(params[n])}`).join(', ');
}
