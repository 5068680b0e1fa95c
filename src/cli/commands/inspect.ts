/** Read-only commands: `studies`, `status [study]`, `trials <study>`, `export <study>`. */
import { UsageError } from '../../errors.js';
import type { Space } from '../../space/index.js';
import { durationMs, isNoteKey, STUDY_NOTE_KEY, TRIAL_STATES, type StudyRecord, type StudySummary, type Trial, type TrialState } from '../../study/index.js';
import { csv, formatDuration, formatMetric } from '../../format/index.js';
import { table, truncate } from '../format.js';
import { bestSoFar } from '../progress.js';
import { describeEarlyStopping, stepsSpent } from '../../pruners/index.js';
import { writeFileAtomic } from '../../report/index.js';
import { PRUNER_ATTR, SAMPLER_ATTR, studyPruner } from '../inputs.js';
import { printJson, requireStudy, storedSpace, withStorage, type GlobalArgs } from '../session.js';
import { redactLocation } from '../../storage/index.js';


function studyRows(studies: readonly StudySummary[]): unknown[][] {
  return studies.map((s) => [
    s.name,
    Object.values(s.counts).reduce((a, b) => a + b, 0),
    s.counts.complete,
    s.counts.pruned,
    studyPruner(s)?.name ?? '?',
    s.counts.running,
    s.counts.failed,
    s.createdAt.replace('T', ' ').slice(0, 19),
    s.lastActivity ? s.lastActivity.replace('T', ' ').slice(0, 19) : '',
    s.spaceFile,
  ]);
}

export async function studiesCommand(args: GlobalArgs): Promise<void> {
  await withStorage(args.storage, async (storage) => {
    const studies = await storage.listStudies();
    if (args.json) return printJson(studies.map(({ spaceText: _text, ...s }, i) => ({ ...s, pruner: studyPruner(studies[i]!) })));
    if (studies.length === 0) return void process.stdout.write(`no studies in ${redactLocation(args.storage)}\n`);
    process.stdout.write(`${table(['study', 'trials', 'complete', 'pruned', 'pruner', 'running', 'failed', 'created', 'last activity', 'space'], studyRows(studies))}\n`);
  });
}

export async function statusCommand(args: GlobalArgs & { study?: string }): Promise<void> {
  if (args.study === undefined) return studiesCommand(args);
  await withStorage(args.storage, async (storage) => {
    const study = await requireStudy(storage, args.study!, args.storage);
    const trials = await storage.getTrials(study.name);
    const space = storedSpace(study);
    const counts = Object.fromEntries(TRIAL_STATES.map((s) => [s, trials.filter((t) => t.state === s).length]));
    const times = trials.flatMap((t) => [t.startedAt, t.finishedAt]).filter((x): x is string => x !== null).map(Date.parse);
    const elapsed = times.length > 0 ? Math.max(...times) - Math.min(...times) : 0;
    const spent = stepsSpent(trials);
    const earlyStopping = describeEarlyStopping(space.pruner, trials);
    if (args.json) {
      return printJson({ study: study.name, counts, pruner: space.pruner, ...(spent ? { steps: spent } : {}), budget: space.budget.trials, elapsedMs: elapsed, seed: study.seed, attrs: study.attrs });
    }
    const lines = [
      `study      ${study.name}`,
      `space      ${study.spaceFile} (sha256 ${study.spaceHash.slice(0, 12)}…)`,
      `created    ${study.createdAt}`,
      `trials     ${trials.length}/${space.budget.trials}: ${TRIAL_STATES.filter((s) => counts[s]! > 0).map((s) => `${counts[s]} ${s}`).join(', ') || 'none'}`,
      `elapsed    ${formatDuration(elapsed)} (first start to last finish)`,
      `sampler    ${space.sampler.name}, seed ${study.seed}`,
      ...(earlyStopping ? [`pruner     ${earlyStopping}`] : []),
      `best       ${bestSoFar(space, trials)}`,
      ...(study.attrs[STUDY_NOTE_KEY] ? [`note       ${study.attrs[STUDY_NOTE_KEY]}`] : []),
      // The sampler and pruner attributes are lines above, in words.
      ...Object.entries(study.attrs).filter(([k]) => !isNoteKey(k) && k !== PRUNER_ATTR && k !== SAMPLER_ATTR).map(([k, v]) => `${k.padEnd(10)} ${v}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  });
}

function metricNames(space: Space, trials: readonly Trial[]): string[] {
  const names = new Set(Object.keys(space.metrics));
  for (const t of trials) for (const k of Object.keys(t.metrics ?? {})) names.add(k);
  return [...names];
}

export async function trialsCommand(args: GlobalArgs & { study: string; state?: string; limit?: number }): Promise<void> {
  if (args.state !== undefined && !TRIAL_STATES.includes(args.state as TrialState)) {
    throw new UsageError(`--state: one of ${TRIAL_STATES.join(', ')}, got '${args.state}'`);
  }
  await withStorage(args.storage, async (storage) => {
    const study = await requireStudy(storage, args.study, args.storage);
    const space = storedSpace(study);
    let trials = await storage.getTrials(study.name, args.state ? [args.state as TrialState] : undefined);
    if (args.limit !== undefined) trials = trials.slice(-args.limit);
    if (args.json) return printJson(trials);
    const params = Object.keys(space.params);
    const metrics = metricNames(space, trials).slice(0, 8);
    const rows = trials.map((t) => {
      const ms = durationMs(t);
      return [
        t.number,
        t.state,
        ...params.map((p) => t.params[p]),
        ...metrics.map((m) => (t.metrics?.[m] === undefined ? undefined : formatMetric(m, t.metrics[m]))),
        ms === null ? '' : formatDuration(ms),
        t.error ? truncate(t.error, 60) : '',
      ];
    });
    const numericParam = params.map((p) => trials.every((t) => typeof t.params[p] === 'number'));
    const alignRight = [true, false, ...numericParam, ...metrics.map(() => true), true, false];
    process.stdout.write(`${table(['#', 'state', ...params, ...metrics, 'time', 'error'], rows, alignRight)}\n`);
  });
}

/** The export document of DESIGN.md; `extra` adds sections computed elsewhere (pareto, balance). */
export function exportDocument(study: StudyRecord, space: Space, trials: readonly Trial[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { spaceText: _t, ...studyInfo } = study;
  return {
    study: studyInfo,
    space: { name: space.name, file: space.file, hash: space.hash, params: space.params, metrics: space.metrics, constraints: space.constraints.map((c) => c.text), balance: space.balance ?? null, budget: space.budget, sampler: space.sampler, pruner: space.pruner },
    metrics: space.metrics,
    trials: trials.map((t) => ({
      number: t.number,
      state: t.state,
      params: t.params,
      metrics: t.metrics,
      attrs: t.attrs,
      intermediate: t.intermediate,
      error: t.error,
      worker: t.worker,
      startedAt: t.startedAt,
      finishedAt: t.finishedAt,
    })),
    ...extra,
  };
}

export function trialsCsv(space: Space, trials: readonly Trial[]): string {
  const params = Object.keys(space.params);
  const metrics = metricNames(space, trials);
  const attrs = [...new Set(trials.flatMap((t) => Object.keys(t.attrs)))];
  return csv(
    ['number', 'state', ...params.map((p) => `param_${p}`), ...metrics, ...attrs.map((a) => `attr_${a}`), 'error', 'started_at', 'finished_at'],
    trials.map((t) => [t.number, t.state, ...params.map((p) => t.params[p]), ...metrics.map((m) => t.metrics?.[m]), ...attrs.map((a) => t.attrs[a]), t.error, t.startedAt, t.finishedAt]),
  );
}

export type ExportExtras = (space: Space, trials: readonly Trial[]) => Record<string, unknown>;

export async function exportCommand(args: GlobalArgs & { study: string; format: string; out?: string }, extras: ExportExtras = () => ({})): Promise<void> {
  if (args.format !== 'json' && args.format !== 'csv') throw new UsageError(`--format: json or csv, got '${args.format}'`);
  await withStorage(args.storage, async (storage) => {
    const study = await requireStudy(storage, args.study, args.storage);
    const space = storedSpace(study);
    const trials = await storage.getTrials(study.name);
    const text = args.format === 'json' ? `${JSON.stringify(exportDocument(study, space, trials, extras(space, trials)), null, 2)}\n` : trialsCsv(space, trials);
    if (args.out) {
      await writeFileAtomic(args.out, text);
      process.stderr.write(`wrote ${args.out}\n`);
    } else {
      process.stdout.write(text);
    }
  });
}
