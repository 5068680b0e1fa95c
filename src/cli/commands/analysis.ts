/**
 * Commands that analyse a finished or running study: `pareto`, `balance`, `report`, and the
 * sections they add to `export`. The maths lives in src/pareto and src/balance; this file only
 * turns their results into tables, JSON and files.
 */
import { join } from 'node:path';
import { explainBalance, frontierCsv, type BalanceResult } from '../../balance/index.js';
import { paretoFront, type ParetoResult } from '../../pareto/index.js';
import { buildComparePage, formatReplicated, writeFileAtomic, writeReport, writeReportSvgs, type CompareInput, type ReportInput } from '../../report/index.js';
import { SweetspotError, UsageError } from '../../errors.js';
import { declaredReference } from '../../objectives/index.js';
import type { Space } from '../../space/index.js';
import type { StudyRecord, Trial } from '../../study/index.js';
import { formatBytes, formatMetric, formatNumber, formatParams, plural } from '../../format/index.js';
import { table } from '../format.js';
import { printJson, requireStudy, storedSpace, withStorage, type GlobalArgs } from '../session.js';

/** Where a study's report and its files go unless told otherwise. */
export const defaultReportPath = (study: string): string => join('reports', `${study}.html`);
export const defaultFrontierCsvPath = (study: string): string => join('reports', study, 'frontier.csv');

/** The study's front, with a built-in benchmark's declared reference point when it has one. */
function studyFront(space: Space, trials: readonly Trial[]): ParetoResult {
  const declared = declaredReference(space.objective);
  return paretoFront(space, trials, declared ? { declaredReference: declared } : {});
}

/** The pareto section of `export --format json`. */
export function paretoJson(result: ParetoResult): Record<string, unknown> {
  return {
    objectives: result.objectives,
    front: result.front.map((t) => t.number),
    dominated: result.dominated.map((t) => t.number),
    infeasible: result.infeasible.map((t) => t.number),
    hypervolume: result.hypervolume,
    referencePoint: result.referencePoint,
    knee: result.knee === null ? null : { trial: result.knee.trial.number, distance: result.knee.distance },
    history: result.history,
  };
}

export function analysisExtras(space: Space, trials: readonly Trial[]): Record<string, unknown> {
  const pareto = studyFront(space, trials);
  const balance = space.balance ? explainBalance(space, trials) : null;
  return {
    pareto: paretoJson(pareto),
    balance: balance === null ? null : (balance.result ?? { unavailable: balance.reason }),
  };
}

async function loadStudy(args: GlobalArgs & { study: string }): Promise<{ study: StudyRecord; space: Space; trials: Trial[] }> {
  return withStorage(args.storage, async (storage) => {
    const study = await requireStudy(storage, args.study, args.storage);
    return { study, space: storedSpace(study), trials: await storage.getTrials(study.name) };
  });
}

export async function paretoCommand(args: GlobalArgs & { study: string }): Promise<void> {
  const { space, trials } = await loadStudy(args);
  const result = studyFront(space, trials);
  if (args.json) return printJson(paretoJson(result));
  const names = result.objectives.map((o) => o.name);
  const params = Object.keys(space.params);
  const rows = result.front.map((t) => [t.number, ...names.map((m) => formatMetric(m, t.metrics?.[m])), ...params.map((p) => t.params[p])]);
  const hv = result.hypervolume;
  const lines = [
    `Pareto front of '${args.study}': ${result.front.length} of ${trials.filter((t) => t.state === 'complete').length} complete trials (${names.map((n, i) => `${n} ${result.objectives[i]!.direction}`).join(', ')})`,
    table(['#', ...names, ...params], rows, [true, ...names.map(() => true), ...params.map((p) => result.front.every((t) => typeof t.params[p] === 'number'))]),
    `hypervolume ${formatNumber(hv.value)}${result.referencePoint ? ` (reference point ${result.referencePoint.point.map((v) => formatNumber(v)).join(', ')}: ${result.referencePoint.source})` : ''}`,
    ...(result.knee ? [`knee: trial #${result.knee.trial.number}`] : []),
    ...(result.infeasible.length > 0 ? [`${plural(result.infeasible.length, 'complete trial')} break${result.infeasible.length === 1 ? 's' : ''} a constraint`] : []),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

function describeBalance(b: BalanceResult, space: Space): string[] {
  const params = Object.keys(space.params);
  const lines = [
    `E = ${b.efficiency}, S = ${b.sizeMetric}; fitted to ${b.points.filter((p) => p.onEnvelope).length} frontier trials of ${b.points.length} usable`,
    `S* (${b.sizeMetric}) = ${formatMetric(b.sizeMetric, b.sStar.median)} (90% interval ${formatMetric(b.sizeMetric, b.sStar.lo)} – ${formatMetric(b.sizeMetric, b.sStar.hi)}; log2 ${b.log2SStar.median.toFixed(2)} [${b.log2SStar.lo.toFixed(2)}, ${b.log2SStar.hi.toFixed(2)}])`,
    `expected E(S*) = ${formatNumber(b.expectedE)}`,
  ];
  const ref = (label: string, r: { trial: number; params: Trial['params']; metrics: Trial['metrics'] } | null) => {
    if (!r) return;
    const metrics = Object.entries(r.metrics ?? {}).filter(([k]) => k in space.metrics || k === b.sizeMetric);
    lines.push(`${label}: trial #${r.trial} · ${formatParams(r.params, params, ' ')} · ${metrics.map(([k, v]) => `${k}=${formatMetric(k, v)}`).join(' ')}`);
  };
  ref('recommended', b.recommended);
  ref('knee', b.knee);
  for (const r of b.replicated ?? []) lines.push(`repeated: ${formatReplicated(r)}`);
  return lines;
}

export async function balanceCommand(args: GlobalArgs & { study: string; csv?: string }): Promise<void> {
  const { space, trials } = await loadStudy(args);
  if (!space.balance) {
    throw new SweetspotError(`study '${args.study}' has no balance block in its space file; add 'balance: {}' (size_bits vs accuracy by default) to a new study`);
  }
  const { result, reason } = explainBalance(space, trials);
  if (!result) {
    if (args.json) return printJson({ unavailable: reason });
    return void process.stdout.write(`no balance point yet: ${reason}\n`);
  }
  const csvPath = args.csv ?? defaultFrontierCsvPath(args.study);
  await writeFileAtomic(csvPath, frontierCsv(result));
  if (args.json) return printJson({ ...result, frontierCsv: csvPath });
  process.stdout.write(`${[...describeBalance(result, space), `frontier CSV: ${csvPath}`].join('\n')}\n`);
}

/** `report A --compare B C`: one page comparing the studies' fronts and hypervolume histories. */
async function compareReport(args: GlobalArgs & { study: string; compare: readonly string[]; out?: string }): Promise<void> {
  const names = [args.study, ...args.compare];
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new UsageError(`report --compare: study '${twice}' is named twice`);
  const inputs: CompareInput[] = await withStorage(args.storage, async (storage) => {
    const out: CompareInput[] = [];
    for (const name of names) {
      const study = await requireStudy(storage, name, args.storage);
      const space = storedSpace(study);
      const declared = declaredReference(space.objective);
      out.push({ space, study, trials: await storage.getTrials(study.name), ...(declared ? { declaredReference: declared } : {}) });
    }
    return out;
  });
  const path = args.out ?? join('reports', `compare-${names.join('-')}.html`);
  const bytes = await writeFileAtomic(path, buildComparePage(inputs));
  if (args.json) return printJson([{ path, bytes }]);
  process.stdout.write(`wrote ${path} (${formatBytes(bytes * 8)})\n`);
}

export async function reportCommand(args: GlobalArgs & { study: string; out?: string; svg?: boolean; compare?: readonly string[] }): Promise<void> {
  if (args.compare !== undefined && args.compare.length > 0) {
    if (args.svg) throw new UsageError('report --compare writes one page; --svg applies to a single study');
    return compareReport({ ...args, compare: args.compare });
  }
  const { study, space, trials } = await loadStudy(args);
  const declared = declaredReference(space.objective);
  const input: ReportInput = { space, study, trials, ...(declared ? { declaredReference: declared } : {}) };
  const out = args.out ?? defaultReportPath(study.name);
  const written = await writeReport(input, out);
  const files: { path: string; bytes: number }[] = [{ path: written.path, bytes: written.bytes }];
  if (args.svg) files.push(...(await writeReportSvgs(input, undefined, written.prepared)));
  if (space.balance) {
    const b = explainBalance(space, trials).result;
    if (b) {
      const csvPath = defaultFrontierCsvPath(study.name);
      files.push({ path: csvPath, bytes: await writeFileAtomic(csvPath, frontierCsv(b)) });
    }
  }
  if (args.json) return printJson(files);
  process.stdout.write(`${files.map((f) => `wrote ${f.path} (${formatBytes(f.bytes * 8)})`).join('\n')}\n`);
}
