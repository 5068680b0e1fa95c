/**
 * The teacher: trained once per study and architecture, kept in the study's database (a study
 * artifact, so machines with no shared disk share it) and cached under the study folder
 * (runs/<study>/teacher-<key>/, tfjs artifacts written by fs-io.ts), loaded by every later trial and
 * after a resume. A lock file makes concurrent trials of one machine wait for the one that trains
 * or fetches it; the artifact's claim (shared-once.ts) does the same across machines. `key` hashes everything that shapes the teacher (architecture, epochs,
 * learning rate, augmentation, batch size, data split), so changing an option trains a new one.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { io, Tensor } from '@tensorflow/tfjs';
import { ObjectiveError } from '../../errors.js';
import { Rng } from '../../math/index.js';
import type { TF } from '../../engine/index.js';
import type { Split } from './data.js';
import type { StudyArtifacts } from '../../study/index.js';
import { fileSystemHandler, isSaved, packArtifacts, unpackArtifacts } from './fs-io.js';
import { onceUnderLock, type LockOptions } from './lock.js';
import { onceInStudy } from './shared-once.js';
import { evaluate } from './metrics.js';
import { buildModel, describeSpec, disposeModel, modelFromTensors, type Model, type ModelSpec } from './models.js';
import type { TeacherSettings } from './options.js';
import { trainPhase } from './train.js';

export interface TeacherRequest {
  readonly settings: TeacherSettings;
  readonly batchSize: number;
  readonly trainSamples: number;
  readonly testSamples: number;
  readonly splitSeed: number;
}

export interface Teacher {
  readonly model: Model;
  /** Test accuracy measured when it was trained. */
  readonly accuracy: number;
  readonly key: string;
  readonly dir: string;
  /** Whether this call trained it (false: loaded from disk or from this thread's cache). */
  readonly trained: boolean;
}

const FORMAT = 'sweetspot-compression-teacher';

export function teacherKey(req: TeacherRequest): string {
  return createHash('sha256').update(JSON.stringify(req)).digest('hex').slice(0, 12);
}

/** Per-thread cache, so a thread loads each teacher once. */
const loaded = new Map<string, Promise<Teacher>>();

/**
 * The study's teacher for `req`: from this thread's cache, from disk, or trained now (under the
 * lock, while other callers wait). `lock` tunes polling and staleness (tests use short times).
 */
export interface TeacherOptions {
  readonly signal?: AbortSignal;
  /** Tunes the local lock's polling and staleness (tests use short times); pollMs also paces waiting on another machine. */
  readonly lock?: LockOptions;
  /** The study's shared artifacts (ctx.artifacts): the teacher is then trained once per study across machines. */
  readonly artifacts?: StudyArtifacts;
}

export function ensureTeacher(tf: TF, req: TeacherRequest, studyDir: string, split: Split, opts: TeacherOptions = {}): Promise<Teacher> {
  const key = `${teacherKey(req)}`;
  const cacheKey = `${studyDir}\0${key}`;
  let t = loaded.get(cacheKey);
  if (!t) {
    t = obtain(tf, req, key, studyDir, split, opts);
    loaded.set(cacheKey, t);
    t.catch(() => loaded.delete(cacheKey));
  }
  return t;
}

/** Forget this thread's cached teachers (disposing their tensors). */
export async function clearTeacherCache(): Promise<void> {
  const all = [...loaded.values()];
  loaded.clear();
  for (const t of all) {
    try {
      disposeModel((await t).model);
    } catch {
      // a failed load holds no tensors
    }
  }
}

async function obtain(tf: TF, req: TeacherRequest, key: string, studyDir: string, split: Split, opts: TeacherOptions): Promise<Teacher> {
  mkdirSync(studyDir, { recursive: true });
  const dir = join(studyDir, `teacher-${key}`);
  const trainHere = async () => {
    const model = await train(tf, req, key, split, opts.signal);
    const accuracy = (await evaluate(tf, model, split.test)).accuracy;
    const artifacts = await teacherArtifacts(tf, model, req, accuracy);
    await fileSystemHandler(dir).save(artifacts);
    return { value: { model, accuracy }, bytes: packArtifacts(artifacts) };
  };
  const outcome = await onceUnderLock(
    `${dir}.lock`,
    () => isSaved(dir),
    async () => {
      // No copy on this machine. With the study's database at hand, the teacher is trained once
      // per study on whichever machine claims it first; the others copy its bytes into their cache.
      if (!opts.artifacts) return (await trainHere()).value;
      const shared = await onceInStudy(opts.artifacts, `teacher-${key}`, trainHere, { signal: opts.signal, ...(opts.lock?.pollMs === undefined ? {} : { pollMs: opts.lock.pollMs }) });
      if (shared.ran) return shared.value;
      await fileSystemHandler(dir).save(unpackArtifacts(shared.bytes, `study artifact teacher-${key}`));
      return null;
    },
    { ...opts.lock, signal: opts.signal },
  );
  if (outcome.ran && outcome.value) return { ...outcome.value, key, dir, trained: true };
  const { model, accuracy } = await load(tf, dir, req.settings.spec);
  return { model, accuracy, key, dir, trained: false };
}

async function train(tf: TF, req: TeacherRequest, key: string, split: Split, signal?: AbortSignal): Promise<Model> {
  // Seeded by the key, not the trial: whichever trial trains it, the teacher is the same.
  const seed = parseInt(key.slice(0, 8), 16);
  const model = buildModel(tf, req.settings.spec, seed);
  try {
    await trainPhase(tf, model, split.train, {
      epochs: req.settings.epochs,
      learningRate: req.settings.learningRate,
      batchSize: req.batchSize,
      augmentation: req.settings.augmentation,
      rand: new Rng(seed),
      signal,
    });
  } catch (err) {
    disposeModel(model);
    throw err;
  }
  return model;
}

async function teacherArtifacts(tf: TF, model: Model, req: TeacherRequest, accuracy: number): Promise<io.ModelArtifacts> {
  const named: { name: string; tensor: Tensor }[] = [];
  model.weights.forEach((w, i) => named.push({ name: `layer${i}/kernel`, tensor: w }));
  model.biases.forEach((b, i) => named.push({ name: `layer${i}/bias`, tensor: b }));
  const { data, specs } = await tf.io.encodeWeights(named);
  return {
    modelTopology: { format: FORMAT, spec: req.settings.spec, request: req } as unknown as object,
    format: FORMAT,
    generatedBy: `sweetspot with TensorFlow.js ${tf.version.tfjs}`,
    weightSpecs: specs,
    weightData: data,
    userDefinedMetadata: { accuracy },
  };
}

async function load(tf: TF, dir: string, spec: ModelSpec): Promise<{ model: Model; accuracy: number }> {
  const art = await fileSystemHandler(dir).load();
  if (art.format !== FORMAT || !art.weightSpecs || !art.weightData) {
    throw new ObjectiveError(`${dir} is not a sweetspot teacher (format ${JSON.stringify(art.format)}, expected ${FORMAT})`);
  }
  const map = tf.io.decodeWeights(art.weightData, art.weightSpecs);
  const n = art.weightSpecs.length / 2;
  const weights = Array.from({ length: n }, (_, i) => map[`layer${i}/kernel`]!);
  const biases = Array.from({ length: n }, (_, i) => map[`layer${i}/bias`]!);
  const model = modelFromTensors(tf, spec, weights, biases);
  Object.values(map).forEach((t) => t.dispose());
  const accuracy = (art.userDefinedMetadata as { accuracy?: unknown } | undefined)?.accuracy;
  if (typeof accuracy !== 'number') throw new ObjectiveError(`${dir}/model.json lacks userDefinedMetadata.accuracy`);
  return { model, accuracy };
}

export { describeSpec };
