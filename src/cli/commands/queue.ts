/**
 * The queue and ask/tell from the command line, for configurations chosen by hand and objectives
 * that run elsewhere: `enqueue` adds waiting trials (run before the sampler's proposals, counted in
 * the budget); `ask` hands out one trial as JSON under a lease (a waiting one first, else the
 * sampler's next proposal); `tell` finishes it with metrics or a failure reason.
 */
import { readFileSync } from 'node:fs';
import { NotFoundError, StorageError, UsageError } from '../../errors.js';
import { checkParams, parseDuration, type Params, type Space } from '../../space/index.js';
import { ASKED_OWNER_PREFIX, checkOutput, countsTowardBudget, isFinished, newOwner, type Storage, type StudyRecord, type Trial } from '../../study/index.js';
import { printJson, requireStudy, storedSpace, studySampler, withStorage, type GlobalArgs } from '../session.js';

export interface EnqueueArgs extends GlobalArgs {
  readonly study: string;
  /** One configuration as JSON, or an array of them. */
  readonly params?: string;
  /** A JSON file holding one configuration or an array of them. */
  readonly file?: string;
}

export interface AskArgs extends GlobalArgs {
  readonly study: string;
  /** How long the asked trial stays yours without a `tell`, e.g. 2h. */
  readonly lease?: string;
}

export interface TellArgs extends GlobalArgs {
  readonly study: string;
  readonly number: number;
  readonly metrics?: string;
  readonly failed?: string;
}

/** Default lease of an asked trial: long, since nothing renews it until `tell`. */
const ASK_LEASE = '24h';
/** Proposals refused as duplicates (another asker got there first) before giving up. */
const MAX_ASK_ATTEMPTS = 5;

function parseJsonOption(text: string, option: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${option}: valid JSON (${(err as Error).message}), got ${JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)}`);
  }
}

/** Configurations from --params or --file, each checked against the space and put in its order. */
function configurations(args: EnqueueArgs, space: Space): Params[] {
  if ((args.params === undefined) === (args.file === undefined)) throw new UsageError('enqueue: give exactly one of --params JSON or --file PATH');
  let raw: unknown;
  let where: string;
  if (args.params !== undefined) {
    raw = parseJsonOption(args.params, '--params');
    where = '--params';
  } else {
    let text: string;
    try {
      text = readFileSync(args.file!, 'utf8');
    } catch (err) {
      throw new UsageError(`--file ${args.file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
    raw = parseJsonOption(text, `--file ${args.file}`);
    where = args.file!;
  }
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) throw new UsageError(`${where}: at least one configuration, got []`);
  return list.map((given, i) => {
    const checked = checkParams(space, given);
    if (!checked.ok) {
      const field = [Array.isArray(raw) ? String(i) : '', checked.field].filter(Boolean).join('.');
      throw new UsageError(`${where}${field ? `: ${field}` : ''}: ${checked.error}`);
    }
    return checked.params;
  });
}

export async function enqueueCommand(args: EnqueueArgs): Promise<void> {
  await withStorage(args.storage, async (storage) => {
    const study = await requireStudy(storage, args.study, args.storage);
    const queued = await enqueueAll(storage, study, configurations(args, storedSpace(study)));
    if (args.json) printJson(queued.map((t) => ({ number: t.number, params: t.params })));
    else process.stdout.write(`queued ${queued.length} trial(s) in study '${study.name}': ${queued.map((t) => t.number).join(', ')}\n`);
  });
}

export async function enqueueAll(storage: Storage, study: StudyRecord, list: readonly Params[]): Promise<Trial[]> {
  const out: Trial[] = [];
  for (const params of list) out.push(await storage.enqueueTrial(study.name, params));
  return out;
}

export async function askCommand(args: AskArgs): Promise<void> {
  const leaseMs = parseDuration(args.lease ?? ASK_LEASE);
  if (leaseMs === undefined) throw new UsageError(`--lease: a duration such as 30m, 2h or 1d, got ${JSON.stringify(args.lease)}`);
  await withStorage(args.storage, async (storage) => {
    const study = await requireStudy(storage, args.study, args.storage);
    const space = storedSpace(study);
    const lease = { owner: `${ASKED_OWNER_PREFIX}${newOwner()}`, worker: null, leaseMs };
    let trial = await storage.claimWaiting(study.name, lease);
    for (let attempt = 0; !trial && attempt < MAX_ASK_ATTEMPTS; attempt++) {
      const all = await storage.getTrials(study.name);
      const counted = all.filter(countsTowardBudget).length;
      if (counted >= space.budget.trials) {
        throw new StorageError(`study '${study.name}' has no trial left to ask: its budget of ${space.budget.trials} is used (${counted} trials)`);
      }
      const [params] = await studySampler(space, study.seed).propose(1, {
        finished: all.filter((t) => isFinished(t.state)),
        running: all.filter((t) => !isFinished(t.state)),
        nextNumber: all.length === 0 ? 0 : all[all.length - 1]!.number + 1,
      });
      const started = await storage.tryStartTrial(study.name, params!, lease, { budget: space.budget.trials, unique: attempt < MAX_ASK_ATTEMPTS - 1 });
      if (!('refused' in started)) trial = started;
    }
    if (!trial) throw new StorageError(`study '${study.name}': no trial could be started (others took the last places first)`);
    printJson({ study: study.name, number: trial.number, params: trial.params, leaseUntil: new Date(Date.now() + leaseMs).toISOString() });
  });
}

export async function tellCommand(args: TellArgs): Promise<void> {
  if ((args.metrics === undefined) === (args.failed === undefined)) throw new UsageError('tell: give exactly one of --metrics JSON or --failed REASON');
  if (!Number.isSafeInteger(args.number) || args.number < 0) throw new UsageError(`tell: the trial number must be an integer >= 0, got ${args.number}`);
  if (args.failed !== undefined && args.failed.trim() === '') throw new UsageError('--failed: a reason, got an empty string');
  const given = args.metrics === undefined ? undefined : parseJsonOption(args.metrics, '--metrics');
  if (given !== undefined && (given === null || typeof given !== 'object' || Array.isArray(given))) throw new UsageError(`--metrics: an object of metric values, got ${args.metrics}`);
  await withStorage(args.storage, async (storage) => {
    const study = await requireStudy(storage, args.study, args.storage);
    const space = storedSpace(study);
    const trial = await storage.getTrial(study.name, args.number);
    if (!trial) throw new NotFoundError(`study '${study.name}' has no trial ${args.number}`);
    if (isFinished(trial.state)) throw new StorageError(`study '${study.name}' trial ${args.number} is already ${trial.state}; a finished trial never changes`);
    let done: Trial;
    if (args.failed !== undefined) {
      done = await storage.finishTrial(study.name, trial.number, { state: 'failed', metrics: null, error: args.failed });
    } else {
      const checked = checkOutput(space, given as Record<string, unknown>);
      if (!checked.ok) throw new UsageError(`--metrics: ${checked.error}`);
      done = await storage.finishTrial(study.name, trial.number, { state: 'complete', metrics: checked.metrics, attrs: checked.attrs });
    }
    if (args.json) printJson({ study: study.name, number: done.number, state: done.state });
    else process.stdout.write(`trial ${done.number} of study '${study.name}': ${done.state}\n`);
  });
}
