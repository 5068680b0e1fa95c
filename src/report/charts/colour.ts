/**
 * The one colour rule shared by every chart: trials are coloured by the model's `colourBy`
 * parameter (the bit width in compression studies), ordered values on a sequential scale and
 * unordered ones on a categorical palette; without such a parameter, by state.
 */
import type { ParamValue } from '../../space/index.js';
import { esc } from '../escape.js';
import { formatParam } from '../../format/index.js';
import { PALETTE, sequentialColours } from '../svg.js';
import type { ReportModel, TrialView } from '../types.js';

export interface Colouring {
  readonly param: string | null;
  colour(t: TrialView): string;
  /** `k` legend entries: value label and colour. */
  readonly entries: readonly { readonly label: string; readonly colour: string }[];
}

/** A colour per trial state (Okabe–Ito), for charts that colour by state. */
export const STATE_COLOURS: Readonly<Record<string, string>> = {
  complete: '#0072B2',
  pruned: '#999999',
  failed: '#D55E00',
  running: '#E69F00',
  waiting: '#CCCCCC',
};

/** Legend entries for the states present among `states`, in TRIAL_STATES order. */
export function stateEntries(counts: Readonly<Record<string, number>>, states: readonly string[]): { label: string; colour: string }[] {
  return states.filter((s) => (counts[s] ?? 0) > 0).map((s) => ({ label: s, colour: STATE_COLOURS[s] ?? '#0072B2' }));
}

export function colouring(model: ReportModel): Colouring {
  const param = model.colourBy;
  if (!param) {
    return {
      param: null,
      colour: (t) => STATE_COLOURS[t.state] ?? '#0072B2',
      entries: stateEntries(model.counts, ['complete', 'pruned', 'failed']),
    };
  }
  const spec = model.space.params[param]!;
  let values: ParamValue[];
  if (spec.type === 'ordinal' || spec.type === 'categorical') values = [...spec.choices];
  else {
    const seen = new Set<ParamValue>();
    for (const t of model.trials) if (t.params[param] !== undefined) seen.add(t.params[param]!);
    values = [...seen].sort((a, b) => Number(a) - Number(b));
  }
  const colours = spec.type === 'categorical' ? values.map((_, i) => PALETTE[i % PALETTE.length]!) : sequentialColours(values.length);
  const byValue = new Map(values.map((v, i) => [v, colours[i]!]));
  return {
    param,
    colour: (t) => byValue.get(t.params[param]!) ?? '#999999',
    entries: values.map((v, i) => ({ label: formatParam(v), colour: colours[i]! })),
  };
}

/** A horizontal legend row starting at (x, y); returns SVG text. */
export function legend(x: number, y: number, title: string, entries: readonly { label: string; colour: string; shape?: 'dot' | 'ring' | 'line' | 'faded' }[]): string {
  let s = `<g class="legend" transform="translate(${x} ${y})"><text x="0" y="4" font-weight="600">${esc(title)}</text>`;
  let cx = title ? title.length * 6.2 + 8 : 0;
  for (const e of entries) {
    const shape = e.shape ?? 'dot';
    if (shape === 'line') s += `<line x1="${cx}" x2="${cx + 14}" y1="0" y2="0" stroke="${e.colour}" stroke-width="2"/>`;
    else if (shape === 'ring') s += `<circle cx="${cx + 5}" cy="0" r="4" fill="none" stroke="${e.colour}" stroke-width="1.5"/>`;
    else s += `<circle cx="${cx + 5}" cy="0" r="4" fill="${e.colour}"${shape === 'faded' ? ' opacity=".3"' : ''}/>`;
    const w = shape === 'line' ? 18 : 12;
    s += `<text x="${cx + w}" y="4">${esc(e.label)}</text>`;
    cx += w + e.label.length * 6.2 + 12;
  }
  return s + '</g>';
}
