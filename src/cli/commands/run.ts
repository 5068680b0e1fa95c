/**
 * `sweetspot run <space>`, `resume <study>` and `worker <study>`: the study loop with a live
 * progress line. All three are one worker path (`join`): `run` creates the study first, `resume`
 * may change its budget, `worker` joins it as it is (from any machine that reaches the database).
 */
import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { ExitStatus, oneLine, UsageError } from '../../errors.js';
import { repeatsWanted, SharedBalance } from '../../balance/index.js';
import { BUILTIN_OBJECTIVES, declaredReference, poolNeeds } from '../../objectives/index.js';
import { LiveReport } from '../../report/index.js';
import { createPruner, describePruner } from '../../pruners/index.js';
import { createSampler } from '../../samplers/index.js';
import { plural } from '../../format/index.js';
import { loadSpace, parseDuration, parsePruner, type PrunerName, type SamplerName, type Space } from '../../space/index.js';
import { runStudy, type Storage, type StudyRecord, type RunStudySummary, type Trial } from '../../study/index.js';
import { PiscinaExecutor, planWorkers, type WorkerPlan } from '../../workers/index.js';
import { defaultReportPath } from './analysis.js';
import { allFailedMessage, FailureNotes } from '../failures.js';
import { bestSoFar, ProgressPrinter, progressLine } from '../progress.js';
import { checkStudyName, checkWritableFile, defaultWorkerMemory, maxWorkers, samplerOverride, storeOverrides } from '../inputs.js';
import { preflight } from '../preflight.js';
import { SIGNAL_EXIT_CODES, SignalStop } from '../signals.js';
import { requireStudy, studyDirFor, studySampler, studySpace, withStorage, type GlobalArgs } from '../session.js';
import { enqueueAll } from './queue.js';
import { repeatScheduler } from '../repeats.js';
import { printRunSummary } from '../summary.js';
import { redactLocation } from '../../storage/index.js';

export interface BudgetArgs {
  readonly trials?: number;
  readonly workers?: number;
  readonly gpuWorkers?: number;
  readonly timeout?: string;
  readonly trialTimeout?: string;
  readonly backend?: string;
  /** HTML report path; false: no report. */
  readonly report?: string | false;
}

export interface RunArgs extends GlobalArgs, BudgetArgs {
  readonly space: string;
  readonly study?: string;
  readonly seed?: number;
  readonly sampler?: SamplerName;
  readonly pruner?: PrunerName;
}

export interface ResumeArgs extends GlobalArgs, BudgetArgs {
  readonly study: string;
  /** Replaces the study's sampler from now on (kept with the study). */
  readonly sampler?: SamplerName;
  /** Replaces the study's pruner from now on (kept with the study). */
  readonly pruner?: PrunerName;
}

/** Apply command-line overrides to a space, validating them like the file's own fields. */
export function withOverrides(space: Space, args: BudgetArgs & { seed?: number; sampler?: SamplerName; pruner?: PrunerName }): Space {
  const duration = (flag: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const ms = parseDuration(v);
    if (ms === undefined) throw new UsageError(`--${flag}: a duration such as 90, 30s, 20m, 8h or 1h30m, got ${JSON.stringify(v)}`);
    return ms;
  };
  const positive = (flag: string, v: number | undefined): number | undefined => {
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new UsageError(`--${flag}: an integer >= 1, got ${v}`);
    return v;
  };
  const trials = positive('trials', args.trials) ?? space.budget.trials;
  const workers = positive('workers', args.workers) ?? space.budget.workers;
  const cap = maxWorkers();
  if (workers > cap) {
    const where = args.workers !== undefined ? '--workers' : `${space.file}: budget.workers`;
    throw new UsageError(`${where}: at most ${cap} on this machine (a worker thread needs at least 64 MiB; ${availableParallelism()} cores), got ${workers}`);
  }
  if (args.gpuWorkers !== undefined && (!Number.isInteger(args.gpuWorkers) || args.gpuWorkers < 0)) throw new UsageError(`--gpu-workers: an integer >= 0, got ${args.gpuWorkers}`);
  const gpuWorkers = args.gpuWorkers ?? space.budget.gpuWorkers;
  const timeoutMs = duration('timeout', args.timeout) ?? space.budget.timeoutMs;
  const trialTimeoutMs = duration('trial-timeout', args.trialTimeout) ?? space.budget.trialTimeoutMs;
  if (args.seed !== undefined && (!Number.isInteger(args.seed) || args.seed < 0)) throw new UsageError(`--seed: an integer >= 0, got ${args.seed}`);
  return {
    ...space,
    budget: { ...space.budget, trials, workers, ...(gpuWorkers === undefined ? {} : { gpuWorkers }), ...(timeoutMs === undefined ? {} : { timeoutMs }), ...(trialTimeoutMs === undefined ? {} : { trialTimeoutMs }) },
    sampler: args.sampler ? samplerOverride(space.sampler, args.sampler) : space.sampler,
    // The file's options stay when it names the same pruner; another gets its defaults.
    pruner: args.pruner && args.pruner !== space.pruner.name ? parsePruner(args.pruner, `--pruner ${args.pruner}`) : space.pruner,
    objective: args.backend ? { ...space.objective, options: { ...space.objective.options, backend: args.backend } } : space.objective,
    ...(args.seed === undefined ? {} : { seed: args.seed }),
  };
}

function checkObjective(space: Space): void {
  const { builtin, module, command } = space.objective;
  if (builtin !== undefined && !BUILTIN_OBJECTIVES.includes(builtin)) {
    throw new UsageError(`${space.file}: objective.builtin: one of ${BUILTIN_OBJECTIVES.join(', ')}, got '${builtin}'`);
  }
  if (module !== undefined && !existsSync(module)) {
    throw new UsageError(`${space.file}: objective.module: file not found: ${module}`);
  }
  if (command !== undefined && !existsSync(command.cwd)) {
    throw new UsageError(`${space.file}: objective.cwd: folder not found: ${command.cwd}`);
  }
}

function checkReportPath(args: BudgetArgs, study: string): void {
  if (args.report !== false) checkWritableFile(args.report ?? defaultReportPath(study), '--report');
}

async function freeStudyName(storage: Storage, base: string): Promise<string> {
  if (!(await storage.getStudy(base))) return base;
  for (let i = 2; ; i++) if (!(await storage.getStudy(`${base}-${i}`))) return `${base}-${i}`;
}

export async function runCommand(args: RunArgs): Promise<void> {
  if (args.study !== undefined) checkStudyName(args.study);
  const space = withOverrides(loadSpace(args.space), args);
  checkObjective(space);
  // Everything that can be refused is checked before the database is touched.
  const plan = await workerPlan(space);
  createSampler(space.sampler, { space, seed: space.seed ?? 0 });
  await preflight(space);
  checkReportPath(args, args.study ?? space.name);
  await withStorage(args.storage, async (storage) => {
    if (args.study !== undefined && (await storage.getStudy(args.study))) {
      throw new UsageError(`study '${args.study}' already exists in ${redactLocation(args.storage)}; continue it with 'sweetspot resume ${args.study}' or pick another --study`);
    }
    const name = args.study ?? (await freeStudyName(storage, space.name));
    const study = await storage.createStudy({
      name,
      spaceFile: space.file,
      spaceText: space.text,
      spaceHash: space.hash,
      directions: space.metrics,
      seed: space.seed ?? randomInt(0, 2 ** 31),
    });
    await storeOverrides(storage, study, args, space);
    await enqueueAll(storage, study, space.enqueue);
    await execute(args, storage, study, space, plan, 'run');
  }, { create: true });
}

export async function resumeCommand(args: ResumeArgs): Promise<void> {
  await join(args, 'resume');
}

export interface WorkerArgs extends GlobalArgs, Omit<BudgetArgs, 'trials'> {
  readonly study: string;
}

/**
 * One more process on an existing study: its space, seed and budget come from the study record;
 * it runs trials until the study's budget is used (counted by the database, every process's
 * trials included), then exits. No report unless asked: the creating `run` writes it, and
 * `sweetspot report` makes one from any machine.
 */
export async function workerCommand(args: WorkerArgs): Promise<void> {
  await join({ ...args, report: args.report ?? false }, 'worker');
}

/** resume and worker: open the existing study and run it as one more worker. */
async function join(args: ResumeArgs, role: 'resume' | 'worker'): Promise<void> {
  await withStorage(args.storage, async (storage) => {
    const study = await requireStudy(storage, args.study, args.storage);
    const space = withOverrides(studySpace(study), args);
    checkObjective(space);
    await preflight(space);
    checkReportPath(args, study.name);
    await storeOverrides(storage, study, args, space);
    // The creating run queued the space's `enqueue:` list; a joining process must not queue it again.
    await execute(args, storage, study, space, await workerPlan(space), role);
  });
}

/** Worker threads for this study: the budget, limited by what the objective can use. */
async function workerPlan(space: Space): Promise<WorkerPlan> {
  return planWorkers(space.budget, await poolNeeds(space.objective));
}

async function execute(args: GlobalArgs & { report?: string | false }, storage: Storage, study: StudyRecord, space: Space, plan: WorkerPlan, role: 'run' | 'resume' | 'worker'): Promise<void> {
  const out = new ProgressPrinter();
  // One balance fit per history, shared by the refinement sampler and the live report.
  const balance = new SharedBalance(space);
  const sampler = studySampler(space, study.seed, balance);
  const { workers, gpuWorkers } = plan;
  if (plan.note) out.note(plan.note);
  // A command objective kills its process group itself (SIGTERM, SIGKILL after its grace): its
  // thread must outlive that grace, or the SIGKILL timer would die with the thread.
  const command = space.objective.command;
  const executor = new PiscinaExecutor({
    workers,
    gpuWorkers,
    memoryLimit: space.budget.workerMemory ?? defaultWorkerMemory(workers + gpuWorkers),
    ...(command ? { graceMs: Math.max(5000, command.graceMs + 2000) } : {}),
  });
  const declared = declaredReference(space.objective);
  const report =
    args.report === false
      ? null
      : new LiveReport({
          path: args.report ?? defaultReportPath(study.name),
          study,
          space,
          balance,
          ...(declared ? { declaredReference: declared } : {}),
          onError: (err) => out.note(`warning: report not written: ${oneLine(err)}`),
        });
  // Repeats are planned by the process that owns the study (run, resume), not by every joining worker.
  const scheduleRepeats = repeatsWanted(space) > 0 && role !== 'worker' ? repeatScheduler(storage, study, space, space.budget.trials, balance, (line) => out.note(line)) : null;
  let lastTrials: readonly Trial[] = [];
  const signals = new SignalStop((message) => out.note(message)).install();
  const failures = new FailureNotes();
  out.note(
    `${role === 'worker' ? 'joined ' : ''}study '${study.name}' · ${plural(space.budget.trials, 'trial')} · ${plural(workers, 'worker')}${gpuWorkers > 0 ? ` + ${plural(gpuWorkers, 'GPU worker')} on ${plan.gpuDevice}` : ''} · sampler ${space.sampler.name}${space.balance ? ' + balance refinement' : ''}${space.pruner.name === 'none' ? '' : ` · pruner ${describePruner(space.pruner)}`} · seed ${study.seed} · ${redactLocation(args.storage)}`,
  );
  const reportNote = report ? ` · report ${report.path}` : '';
  let summary: RunStudySummary;
  try {
    summary = await runStudy({
      storage,
      study,
      space,
      sampler,
      pruner: createPruner({ space, config: space.pruner }),
      executor,
      trials: space.budget.trials,
      ...(space.budget.timeoutMs === undefined ? {} : { timeoutMs: space.budget.timeoutMs }),
      ...(space.budget.trialTimeoutMs === undefined ? {} : { trialTimeoutMs: space.budget.trialTimeoutMs }),
      ...(space.budget.retries === undefined ? {} : { retries: space.budget.retries }),
      ...(space.budget.leaseGraceMs === undefined ? {} : { leaseMs: space.budget.leaseGraceMs }),
      studyDir: studyDirFor(args.storage, study.name),
      stop: signals.stop.signal,
      abort: signals.abort.signal,
      onEvent: (event): Promise<void> | undefined => {
        if (event.type === 'warning') {
          out.note(`warning: ${event.message}`);
        } else if (event.type === 'recovered') {
          if (event.requeued.length > 0) out.note(`re-queued ${plural(event.requeued.length, 'trial')} whose process stopped renewing its lease: ${event.requeued.map((t) => t.number).join(', ')}`);
          if (event.failed.length > 0) out.note(`${plural(event.failed.length, 'trial')} interrupted on their last allowed attempt, marked failed: ${event.failed.map((t) => t.number).join(', ')}`);
        } else if (event.type === 'finished') {
          lastTrials = event.history;
          if (event.trial.state === 'failed') out.note(failures.note(event.trial));
          out.update(progressLine(event.progress, bestSoFar(space, event.history), reportNote), true);
          report?.update(event.history);
          return scheduleRepeats?.(event.history);
        } else if (event.type === 'started') {
          out.update(progressLine(event.progress, bestSoFar(space, lastTrials), reportNote), false);
        }
      },
    });
  } finally {
    signals.uninstall();
    await executor.close();
    out.done();
  }
  if (report) await report.flush(summary.trials);
  printRunSummary(args, {
    study,
    space,
    summary,
    ...(declared ? { declaredReference: declared } : {}),
    ...(report ? { reportPath: report.path, ...(report.model ? { model: report.model } : {}) } : {}),
  });
  if (signals.received) {
    const again = role === 'worker' ? `rejoin with 'sweetspot worker ${study.name}'` : `continue with 'sweetspot resume ${study.name}'`;
    throw new ExitStatus(SIGNAL_EXIT_CODES[signals.received], `stopped by ${signals.received}; ${again}`);
  }
  const allFailed = allFailedMessage(summary.trials);
  if (allFailed) throw new ExitStatus(1, allFailed);
}
