/**
 * The map between configurations and the unit cube [0,1]^d, one coordinate per parameter in the
 * space's order. Samplers work in the cube; only this file knows how a coordinate becomes a value.
 *
 * - float: linear (or log) between low and high.
 * - int, non-log: the cube is cut into equal bins, one per allowed value, so uniform sampling in
 *   the cube is uniform over the integers; a value encodes to its bin's centre.
 * - int, log: log-uniform between low - 0.5 and high + 0.5 (as Optuna does), then rounded.
 * - categorical / ordinal: equal bins, one per choice; a choice encodes to its bin's centre.
 */
import type { ParamSpec, ParamValue, Params, Space } from './types.js';

const clamp01 = (u: number): number => (u < 0 ? 0 : u > 1 ? 1 : u);

/** Number of distinct values a parameter can take (Infinity for floats). */
export function cardinality(spec: ParamSpec): number {
  switch (spec.type) {
    case 'float':
      return spec.low === spec.high ? 1 : Infinity;
    case 'int':
      return Math.floor((spec.high - spec.low) / spec.step) + 1;
    default:
      return spec.choices.length;
  }
}

export function decodeValue(spec: ParamSpec, u: number): ParamValue {
  const t = clamp01(u);
  switch (spec.type) {
    case 'float': {
      if (spec.low === spec.high) return spec.low;
      const x = spec.log
        ? Math.exp(Math.log(spec.low) + t * (Math.log(spec.high) - Math.log(spec.low)))
        : spec.low + t * (spec.high - spec.low);
      return Math.min(spec.high, Math.max(spec.low, x));
    }
    case 'int': {
      if (spec.log) {
        const lo = Math.log(spec.low - 0.5);
        const hi = Math.log(spec.high + 0.5);
        return Math.min(spec.high, Math.max(spec.low, Math.round(Math.exp(lo + t * (hi - lo)))));
      }
      const n = cardinality(spec);
      return spec.low + Math.min(n - 1, Math.floor(t * n)) * spec.step;
    }
    default: {
      const n = spec.choices.length;
      return spec.choices[Math.min(n - 1, Math.floor(t * n))]!;
    }
  }
}

export function encodeValue(spec: ParamSpec, value: ParamValue): number {
  switch (spec.type) {
    case 'float': {
      const x = value as number;
      if (spec.low === spec.high) return 0.5;
      return spec.log
        ? (Math.log(x) - Math.log(spec.low)) / (Math.log(spec.high) - Math.log(spec.low))
        : (x - spec.low) / (spec.high - spec.low);
    }
    case 'int': {
      const x = value as number;
      if (spec.log) {
        const lo = Math.log(spec.low - 0.5);
        const hi = Math.log(spec.high + 0.5);
        return (Math.log(x) - lo) / (hi - lo);
      }
      return (Math.round((x - spec.low) / spec.step) + 0.5) / cardinality(spec);
    }
    default: {
      const idx = spec.choices.findIndex((c) => c === value);
      return (idx + 0.5) / spec.choices.length;
    }
  }
}

/** `d` coordinates in [0,1] → a configuration. */
export function decode(space: Space, u: readonly number[]): Params {
  const names = Object.keys(space.params);
  const out: Record<string, ParamValue> = {};
  names.forEach((name, i) => {
    out[name] = decodeValue(space.params[name]!, u[i] ?? 0.5);
  });
  return Object.freeze(out);
}

/** A configuration → `d` coordinates in [0,1]. */
export function encode(space: Space, params: Params): number[] {
  return Object.keys(space.params).map((name) => encodeValue(space.params[name]!, params[name]!));
}

/** Whether `value` is one the parameter can take (used when reading params back from storage). */
export function isValidValue(spec: ParamSpec, value: unknown): boolean {
  switch (spec.type) {
    case 'float':
      return typeof value === 'number' && value >= spec.low && value <= spec.high;
    case 'int':
      return (
        typeof value === 'number' &&
        Number.isInteger(value) &&
        value >= spec.low &&
        value <= spec.high &&
        (value - spec.low) % spec.step === 0
      );
    default:
      return spec.choices.some((c) => c === value);
  }
}

/**
 * A configuration given by hand (enqueue, a space file's `enqueue:`) checked against the space:
 * every parameter present with a valid value and no others. Returns it in the space's parameter
 * order (the order samplers use, so equal configurations are equal text), or the first problem.
 */
export function checkParams(space: Space, params: unknown): { ok: true; params: Params } | { ok: false; field: string; error: string } {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    return { ok: false, field: '', error: `an object of parameter values, got ${JSON.stringify(params)}` };
  }
  const given = params as Record<string, unknown>;
  const names = Object.keys(space.params);
  const extra = Object.keys(given).find((n) => !names.includes(n));
  if (extra !== undefined) return { ok: false, field: extra, error: `not a parameter of this space (its parameters: ${names.join(', ')})` };
  const out: Record<string, ParamValue> = {};
  for (const name of names) {
    const spec = space.params[name]!;
    if (!Object.hasOwn(given, name)) return { ok: false, field: name, error: 'missing' };
    if (!isValidValue(spec, given[name])) return { ok: false, field: name, error: `${describeSpec(spec)}, got ${JSON.stringify(given[name])}` };
    out[name] = given[name] as ParamValue;
  }
  return { ok: true, params: out };
}

function describeSpec(spec: ParamSpec): string {
  switch (spec.type) {
    case 'float':
      return `a number in [${spec.low}, ${spec.high}]`;
    case 'int':
      return `an integer in [${spec.low}, ${spec.high}]${spec.step > 1 ? ` in steps of ${spec.step} from ${spec.low}` : ''}`;
    default:
      return `one of ${spec.choices.map((c) => JSON.stringify(c)).join(', ')}`;
  }
}

/** Stable key of a configuration, for duplicate detection. */
export function paramsKey(space: Space, params: Params): string {
  return JSON.stringify(Object.keys(space.params).map((n) => params[n]));
}
