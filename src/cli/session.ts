/**
 * What several commands share: opening the storage, finding a study and the space it was made
 * from, atomic file writes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { NotFoundError, StorageError, UsageError } from '../errors.js';
import { insideFolder, withStoredOverrides } from './inputs.js';
import { parseSpace, spaceHash, type Space } from '../space/index.js';
import { openStorage, redactLocation } from '../storage/index.js';
import type { SharedBalance } from '../balance/index.js';
import { createSampler, withBalanceRefinement } from '../samplers/index.js';
import type { Sampler, Storage, StudyRecord } from '../study/index.js';

export interface GlobalArgs {
  readonly storage: string;
  readonly json: boolean;
}

/** Runs `fn` on the storage at `location`; only `create` (the `run` command) may create a database there. */
export async function withStorage<T>(location: string, fn: (storage: Storage) => Promise<T>, options: { create?: boolean } = {}): Promise<T> {
  const storage = await openStorage(location, { create: options.create ?? false });
  try {
    return await fn(storage);
  } finally {
    await storage.close();
  }
}

export async function requireStudy(storage: Storage, name: string, location: string): Promise<StudyRecord> {
  const study = await storage.getStudy(name);
  if (study) return study;
  const known = (await storage.listStudies()).map((s) => s.name);
  throw new NotFoundError(`no study '${name}' in ${redactLocation(location)}; studies there: ${known.length > 0 ? known.join(', ') : '(none)'}`);
}

/**
 * The space a study was created from, as kept in the database (read-only commands: the file may
 * have moved or changed since, and the study's own record is what describes its trials).
 */
export function storedSpace(study: StudyRecord): Space {
  return withStoredOverrides(parseSpace(study.spaceText, study.spaceFile), study);
}

/**
 * The space to continue a study with: the stored one, provided the file it came from (when it is
 * still there) has not changed since — a resumed study must keep its space.
 */
export function studySpace(study: StudyRecord): Space {
  if (existsSync(study.spaceFile)) {
    const hash = spaceHash(readFileSync(study.spaceFile, 'utf8'));
    if (hash !== study.spaceHash) {
      throw new StorageError(
        `${study.spaceFile} changed since study '${study.name}' was created (sha256 ${study.spaceHash.slice(0, 12)}… → ${hash.slice(0, 12)}…); ` +
          `restore the file, or start a new study with 'sweetspot run ${study.spaceFile} --study NEW'`,
      );
    }
  }
  return storedSpace(study);
}

/**
 * The sampler a study proposes with: the space's, with balance refinement when the space has a
 * balance block (sharing `balance`'s fit with the live report when given).
 */
export function studySampler(space: Space, seed: number, balance?: SharedBalance): Sampler {
  const inner = createSampler(space.sampler, { space, seed });
  return space.balance ? withBalanceRefinement(inner, space, seed, ...(balance ? [balance] : [])) : inner;
}

/** Artifacts of a study live beside its database: <db folder>/<study>, never outside that folder. */
export function studyDirFor(location: string, study: string): string {
  const root = location === ':memory:' || /^postgres(ql)?:\/\//.test(location) ? 'runs' : dirname(resolve(location));
  const dir = join(root, study);
  if (!insideFolder(root, dir)) throw new UsageError(`study name ${JSON.stringify(study)} would put its trials outside ${root}`);
  return dir;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
