/**
 * Command-line inputs that the space file's schema does not see: the study name given with
 * --study, how many worker threads this machine can hold, an output path that must be writable
 * before a sweep starts, and the budget and pruner a study was given on the command line (kept
 * with it as study attributes, so that resume, status and the report see them).
 */
import { accessSync, constants, statSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { StorageError, UsageError } from '../errors.js';
import { parsePruner, parseSpace, SAMPLER_NAMES, STUDY_NAME, STUDY_NAME_RULE, type PrunerConfig, type SamplerConfig, type SamplerName, type Space } from '../space/index.js';
import type { Storage, StudyRecord } from '../study/index.js';

/** Memory one worker thread needs at least (its V8 isolate, the objective's modules): the cap on --workers. */
const MIN_WORKER_MEMORY = 64 * 1024 ** 2;

/** Most worker threads this machine can hold: memory / 64 MiB, at most 16 per core. */
export function maxWorkers(): number {
  return Math.max(1, Math.min(Math.floor(totalmem() / MIN_WORKER_MEMORY), 16 * availableParallelism()));
}

/**
 * Memory a worker thread may use when the space does not say: three quarters of the machine's
 * memory shared by the workers (the rest for the main thread and the system), at least 256 MiB.
 */
export function defaultWorkerMemory(workers: number): number {
  return Math.max(256 * 1024 ** 2, Math.floor((totalmem() * 0.75) / workers));
}

export function checkStudyName(name: string): void {
  if (!STUDY_NAME.test(name)) throw new UsageError(`--study: ${STUDY_NAME_RULE}, got ${JSON.stringify(name)}`);
}

/** `path` resolved stays inside `root` (paths built from study names must not climb out). */
export function insideFolder(root: string, path: string): boolean {
  const rel = relative(resolve(root), resolve(path));
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * Refuses an output file that cannot be written (checked before a sweep, not after it), without
 * creating anything: its nearest existing folder must be a writable folder.
 */
export function checkWritableFile(path: string, option: string): void {
  const refuse = (reason: string): never => {
    throw new UsageError(`${option} ${path}: cannot write there (${reason})`);
  };
  const stat = (p: string) => {
    try {
      return statSync(p);
    } catch {
      return undefined; // missing, or a parent is a file (ENOTDIR): look further up
    }
  };
  if (stat(path)?.isDirectory()) refuse('it is a folder');
  let dir = dirname(resolve(path));
  while (!stat(dir)) dir = dirname(dir);
  if (!stat(dir)!.isDirectory()) refuse(`${relative(process.cwd(), dir) || dir} is not a folder`);
  try {
    accessSync(dir, constants.W_OK);
  } catch (err) {
    refuse(`${dir}: ${(err as NodeJS.ErrnoException).code ?? 'not writable'}`);
  }
}

/** The study attribute holding a budget given on the command line, so a later resume keeps it. */
const TRIALS_ATTR = 'budget.trials';
/** The study attribute holding a pruner given with --pruner (its settings as JSON). */
export const PRUNER_ATTR = 'pruner';
/** The study attribute holding a sampler given with --sampler (its name). */
export const SAMPLER_ATTR = 'sampler';

/** The space with the budget, sampler and pruner the study was last given (`--trials`, `--sampler`, `--pruner` on run or resume). */
export function withStoredOverrides(space: Space, study: StudyRecord): Space {
  const trials = study.attrs[TRIALS_ATTR];
  const sampler = study.attrs[SAMPLER_ATTR];
  const pruner = study.attrs[PRUNER_ATTR];
  return {
    ...space,
    ...(trials === undefined ? {} : { budget: { ...space.budget, trials: Number(trials) } }),
    ...(sampler === undefined ? {} : { sampler: samplerOverride(space.sampler, storedSamplerName(study.name, sampler)) }),
    ...(pruner === undefined ? {} : { pruner: storedPruner(study.name, pruner) }),
  };
}

/** `--sampler NAME` over the file's sampler: the file's options stay when it names the same one; another gets its defaults. */
export function samplerOverride(file: SamplerConfig, name: SamplerName): SamplerConfig {
  return name === file.name ? file : { name, options: {} };
}

function storedSamplerName(study: string, name: string): SamplerName {
  if (!(SAMPLER_NAMES as readonly string[]).includes(name)) {
    throw new StorageError(`study '${study}': attribute ${SAMPLER_ATTR}: one of ${SAMPLER_NAMES.join(', ')}, got ${JSON.stringify(name.slice(0, 40))}`);
  }
  return name as SamplerName;
}

function storedPruner(study: string, json: string): PrunerConfig {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new StorageError(`study '${study}': attribute ${PRUNER_ATTR}: not JSON (${JSON.stringify(json.slice(0, 40))})`);
  }
  return parsePruner(value, `study '${study}': attribute ${PRUNER_ATTR}`);
}

/** The pruner a study runs with, for listings: the stored --pruner, else its space file's; null if neither reads. */
export function studyPruner(study: StudyRecord): PrunerConfig | null {
  try {
    const stored = study.attrs[PRUNER_ATTR];
    return stored === undefined ? parseSpace(study.spaceText, study.spaceFile).pruner : storedPruner(study.name, stored);
  } catch {
    return null;
  }
}

/** Keeps what the command line gave this run (`--trials`, `--sampler`, `--pruner`) with the study. */
export async function storeOverrides(storage: Storage, study: StudyRecord, given: { trials?: number | undefined; sampler?: string | undefined; pruner?: string | undefined }, space: Space): Promise<void> {
  if (given.trials !== undefined) await storage.setStudyAttr(study.name, TRIALS_ATTR, String(given.trials));
  if (given.sampler !== undefined) await storage.setStudyAttr(study.name, SAMPLER_ATTR, space.sampler.name);
  if (given.pruner !== undefined) await storage.setStudyAttr(study.name, PRUNER_ATTR, JSON.stringify(space.pruner));
}
