/**
 * Model features of a configuration, for samplers that fit models (the GP) and for the acquisition
 * optimizer. Built on encode.ts, the one place that knows how a unit coordinate becomes a value:
 * every map here goes through `encodeValue`/`decodeValue`, so a feature vector always stands for
 * a configuration the space can take.
 *
 * - float: one continuous feature, its unit coordinate;
 * - int and ordinal: one `grid` feature restricted to the unit coordinates of the allowed values
 *   (their bin centres); int ranges with more than `MAX_GRID` values are treated as continuous;
 * - categorical: a one-hot block (unordered choices get no implied distance).
 */
import { cardinality, decodeValue, encodeValue } from './encode.js';
import type { ParamSpec, ParamValue, Params, Space } from './types.js';

/** Grids up to this many values are snapped exactly; larger integer ranges are treated as continuous. */
export const MAX_GRID = 4096;

export type FeatureDim =
  | { readonly kind: 'continuous' }
  | { readonly kind: 'grid'; readonly points: readonly number[] }
  | { readonly kind: 'onehot'; readonly size: number };

const clamp01 = (u: number): number => (u < 0 ? 0 : u > 1 ? 1 : u);

function featureDim(spec: ParamSpec): FeatureDim {
  if (spec.type === 'categorical') return { kind: 'onehot', size: spec.choices.length };
  if (spec.type === 'float') return { kind: 'continuous' };
  if (spec.type === 'ordinal') return { kind: 'grid', points: spec.choices.map((c) => encodeValue(spec, c)) };
  if (cardinality(spec) > MAX_GRID) return { kind: 'continuous' };
  const points: number[] = [];
  for (let v = spec.low; v <= spec.high; v += spec.step) points.push(clamp01(encodeValue(spec, v)));
  return { kind: 'grid', points };
}

/** The feature map of a space's parameters (in the space's order). */
export class FeatureMap {
  readonly dims: readonly FeatureDim[];
  /** Number of features (one-hot blocks count their size). */
  readonly width: number;
  private readonly names: readonly string[];

  constructor(private readonly params: Space['params']) {
    this.names = Object.keys(params);
    this.dims = this.names.map((n) => featureDim(params[n]!));
    this.width = this.dims.reduce((s, d) => s + (d.kind === 'onehot' ? d.size : 1), 0);
  }

  /** A configuration → its features (length `width`). */
  encode(params: Params): number[] {
    const x: number[] = [];
    this.names.forEach((name, i) => {
      const spec = this.params[name]!;
      const d = this.dims[i]!;
      if (d.kind === 'onehot') {
        const idx = (spec as { choices: readonly ParamValue[] }).choices.findIndex((c) => c === params[name]);
        for (let c = 0; c < d.size; c++) x.push(c === idx ? 1 : 0);
      } else x.push(clamp01(encodeValue(spec, params[name]!)));
    });
    return x;
  }

  /** Features (possibly relaxed: between grid points, a one-hot block not 0/1) → the configuration they stand for. */
  decode(x: readonly number[]): Params {
    const out: Record<string, ParamValue> = {};
    let p = 0;
    this.names.forEach((name, i) => {
      const spec = this.params[name]!;
      const d = this.dims[i]!;
      if (d.kind === 'onehot') {
        let hot = 0;
        for (let c = 1; c < d.size; c++) if (x[p + c]! > x[p + hot]!) hot = c;
        out[name] = (spec as { choices: readonly ParamValue[] }).choices[hot]!;
        p += d.size;
      } else out[name] = decodeValue(spec, x[p++]!);
    });
    return Object.freeze(out);
  }

  /** One unit-cube point (one coordinate per parameter) → the features of the configuration it decodes to. */
  fromUnit(u: readonly number[]): number[] {
    const out: Record<string, ParamValue> = {};
    this.names.forEach((name, i) => {
      out[name] = decodeValue(this.params[name]!, u[i]!);
    });
    return this.encode(out);
  }

  /** Relaxed features → the features of the configuration they decode to (valid grid points and one-hot blocks). */
  round(x: readonly number[]): number[] {
    return this.encode(this.decode(x));
  }
}
