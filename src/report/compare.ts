/**
 * `report --compare A B …`: two or more studies in one self-contained page: their fronts over
 * the objectives they share, drawn together, and their hypervolume histories against one common
 * reference point (each study's own point would make the curves incomparable).
 */
import { SweetspotError } from '../errors.js';
import { formatNumber, formatTick, isSizeInBits } from '../format/index.js';
import { paretoFront, type ObjectiveSpec, type ParetoResult } from '../pareto/index.js';
import type { Space } from '../space/index.js';
import { STUDY_NOTE_KEY, type StudyRecord, type Trial } from '../study/index.js';
import { front2d } from './charts/index.js';
import { esc } from './escape.js';
import { PAGE_CSS } from './style.js';
import { bottomAxis, extent, frame, integerTicks, leftAxis, linePath, linearScale, logScale, niceExtent, PALETTE, px, svgOpen, textWidth } from './svg.js';

export interface CompareInput {
  readonly space: Space;
  readonly study: StudyRecord;
  readonly trials: readonly Trial[];
  /** The built-in benchmark's declared reference point, when there is one. */
  readonly declaredReference?: Readonly<Record<string, number>>;
}

/** Objectives every study has, with the same direction, in the first study's order. */
export function sharedObjectives(inputs: readonly CompareInput[]): ObjectiveSpec[] {
  const [first, ...rest] = inputs;
  return Object.entries(first!.space.metrics)
    .filter(([name, direction]) => rest.every((i) => i.space.metrics[name] === direction))
    .map(([name, direction]) => ({ name, direction }));
}

/** The reference point no study's own point is worse than: the worst value per objective. */
function commonReference(objectives: readonly ObjectiveSpec[], results: readonly ParetoResult[]): number[] | null {
  const points = results.map((r) => r.referencePoint?.point).filter((p): p is readonly number[] => p !== undefined);
  if (points.length === 0) return null;
  return objectives.map((o, j) => (o.direction === 'minimize' ? Math.max(...points.map((p) => p[j]!)) : Math.min(...points.map((p) => p[j]!))));
}

export interface Comparison {
  readonly objectives: readonly ObjectiveSpec[];
  readonly referencePoint: readonly number[] | null;
  readonly studies: readonly { readonly input: CompareInput; readonly result: ParetoResult }[];
}

export function compareStudies(inputs: readonly CompareInput[]): Comparison {
  if (inputs.length < 2) throw new SweetspotError(`report --compare needs at least two studies, got ${inputs.length}`);
  const objectives = sharedObjectives(inputs);
  if (objectives.length < 2) {
    const lists = inputs.map((i) => `${i.study.name}: ${Object.entries(i.space.metrics).map(([m, d]) => `${m} ${d}`).join(', ')}`).join('; ');
    throw new SweetspotError(`report --compare needs two objectives shared by every study (same name and direction); ${lists}`);
  }
  const own = inputs.map((i) => paretoFront(i.space, i.trials, { objectives, ...(i.declaredReference ? { declaredReference: i.declaredReference } : {}) }));
  const referencePoint = commonReference(objectives, own);
  const studies = inputs.map((input, k) => ({
    input,
    result: referencePoint ? paretoFront(input.space, input.trials, { objectives, referencePoint }) : own[k]!,
  }));
  return { objectives, referencePoint, studies };
}

const W = 760;
const H = 440;
const colour = (k: number): string => PALETTE[k % PALETTE.length]!;

function legend(c: Comparison): string {
  let x = 62;
  let s = '';
  c.studies.forEach(({ input }, k) => {
    s += `<g class="legend"><rect x="${px(x)}" y="6" width="12" height="12" fill="${colour(k)}"/><text x="${px(x + 16)}" y="16">${esc(input.study.name)}</text></g>`;
    x += 28 + textWidth(input.study.name);
  });
  return s;
}

/** All studies' trials over the first two shared objectives; each front drawn as its staircase. */
function frontsChart(c: Comparison): string {
  const [xo, yo] = c.objectives as [ObjectiveSpec, ObjectiveSpec];
  const f = frame(W, H, { l: 70, r: 16, t: 30, b: 40 });
  const used = c.studies.map(({ result }) => ({ front: result.front, rest: [...result.dominated, ...result.infeasible] }));
  const all = used.flatMap((u) => [...u.front, ...u.rest]);
  const xs = all.map((t) => t.metrics![xo.name]!);
  const ys = all.map((t) => t.metrics![yo.name]!);
  const xLog = isSizeInBits(xo.name) && xs.every((v) => v > 0);
  const x = xLog ? logScale(extent(xs, 0.04, true), [f.left, f.right], true) : linearScale(extent(xs), [f.left, f.right]);
  const y = linearScale(extent(ys), [f.bottom, f.top]);
  let body = bottomAxis(f, x, `${xo.name} — ${xo.direction}`, (v) => formatTick(xo.name, v));
  body += leftAxis(f, y, `${yo.name} — ${yo.direction}`, (v) => formatTick(yo.name, v));
  used.forEach((u, k) => {
    for (const t of u.rest) body += `<circle class="pt faded" data-study="${k}" cx="${px(x(t.metrics![xo.name]!))}" cy="${px(y(t.metrics![yo.name]!))}" r="3" fill="${colour(k)}"/>`;
    const stairs = front2d(u.front.map((t) => [t.metrics![xo.name]!, t.metrics![yo.name]!, t.number] as const), xo.direction === 'minimize', yo.direction === 'maximize');
    const path: [number, number][] = [];
    stairs.forEach(([a, b], i) => {
      if (i > 0) path.push([x(a), y(stairs[i - 1]![1])]);
      path.push([x(a), y(b)]);
    });
    if (path.length > 1) body += `<path class="front" d="${linePath(path)}" style="stroke:${colour(k)}"/>`;
    for (const t of u.front) body += `<circle class="pt front-pt" data-study="${k}" cx="${px(x(t.metrics![xo.name]!))}" cy="${px(y(t.metrics![yo.name]!))}" r="4.5" fill="${colour(k)}"><title>${esc(c.studies[k]!.input.study.name)} #${t.number}</title></circle>`;
  });
  return `${svgOpen('compare-fronts', W, H, `${yo.name} against ${xo.name} for each study`)}${legend(c)}${body}</svg>`;
}

/** Hypervolume after each finished trial, one line per study, against the common reference point. */
function hypervolumeChart(c: Comparison): string {
  const f = frame(W, 320, { l: 70, r: 16, t: 30, b: 40 });
  const series = c.studies.map(({ result }) => result.history);
  const x = linearScale(extent(series.flatMap((s) => s.map((h) => h.trial)), 0.02), [f.left, f.right]);
  const y = linearScale(niceExtent(series.flatMap((s) => s.map((h) => h.hypervolume))), [f.bottom, f.top]);
  let body = bottomAxis(f, x, 'trial number', undefined, integerTicks(x.domain[0], x.domain[1], 6));
  body += leftAxis(f, y, 'hypervolume');
  series.forEach((s, k) => {
    const path: [number, number][] = [];
    s.forEach((h, i) => {
      if (i > 0) path.push([x(h.trial), y(s[i - 1]!.hypervolume)]);
      path.push([x(h.trial), y(h.hypervolume)]);
    });
    body += `<path class="hv-line" data-study="${k}" d="${linePath(path)}" fill="none" stroke="${colour(k)}" stroke-width="2"/>`;
  });
  return `${svgOpen('compare-hypervolume', W, 320, 'hypervolume against trial number for each study')}${legend(c)}${body}</svg>`;
}

function summaryTable(c: Comparison): string {
  const rows = c.studies
    .map(({ input, result }, k) => {
      const complete = input.trials.filter((t) => t.state === 'complete').length;
      const note = input.study.attrs[STUDY_NOTE_KEY];
      return (
        `<tr><td><span style="color:${colour(k)}">■</span> ${esc(input.study.name)}</td><td>${esc(input.space.file)}</td><td>${input.trials.length}</td><td>${complete}</td>` +
        `<td>${result.front.length}</td><td>${esc(formatNumber(result.hypervolume.value))}</td><td>${esc(note ?? '')}</td></tr>`
      );
    })
    .join('');
  return `<table id="compare-table" class="compare"><thead><tr><th>study</th><th>space</th><th>trials</th><th>complete</th><th>front</th><th>hypervolume</th><th>note</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function buildComparePage(inputs: readonly CompareInput[], now: Date = new Date()): string {
  const c = compareStudies(inputs);
  const names = c.studies.map((s) => s.input.study.name);
  const ref = c.referencePoint ? ` against the common reference point (${c.objectives.map((o, j) => `${o.name} ${formatNumber(c.referencePoint![j]!)}`).join(', ')}): the worst of the studies' own points` : '';
  const more = c.objectives.length > 2 ? ` The chart shows the first two of ${c.objectives.length} shared objectives; the hypervolume uses all of them.` : '';
  return (
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">` +
    `<title>${esc(names.join(' vs '))} · sweetspot comparison</title><style>${PAGE_CSS}.compare td,.compare th{padding:3px 10px;text-align:left;border-top:1px solid #eee}</style></head><body>` +
    `<header><h1>${esc(names.join(' vs '))} <small>sweetspot study comparison</small></h1>` +
    `<div class="facts"><span>objectives: <b>${esc(c.objectives.map((o) => `${o.name} (${o.direction})`).join(', '))}</b></span><span>generated: <b>${esc(now.toISOString().replace('T', ' ').slice(0, 19))} UTC</b></span></div></header>` +
    `<main><section class="card">${summaryTable(c)}</section>` +
    `<section class="card"><h2>Fronts</h2><div class="scroll">${frontsChart(c)}</div><p class="caption">Every complete trial of each study (faded: dominated or infeasible) with its front as a staircase.${esc(more)}</p></section>` +
    `<section class="card"><h2>Hypervolume histories</h2><div class="scroll">${hypervolumeChart(c)}</div><p class="caption">Hypervolume of each study's feasible front after each finished trial${esc(ref)}.</p></section></main>` +
    `<footer>Generated by sweetspot. Self-contained: no network access needed.</footer></body></html>\n`
  );
}
