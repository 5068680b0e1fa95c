/**
 * The objective contract. An objective is an ES module whose default export is an `Objective`.
 * It runs inside a worker thread, one trial at a time per thread.
 */
import type { Params } from '../space/index.js';
import type { StudyArtifacts } from '../study/index.js';

export interface ObjectiveContext {
  /** The trial's number within its study. */
  readonly trial: number;
  /** A seed derived from the study seed and the trial number: use it for every random choice. */
  readonly seed: number;
  /** Aborted when the trial times out or the study is stopping: stop promptly and throw. */
  readonly signal: AbortSignal;
  /** Report intermediate values (e.g. accuracy after each epoch); `step` grows from 0 or 1. */
  report(step: number, metrics: Readonly<Record<string, number>>): void;
  /** A folder for this trial's artifacts (runs/<study>/trials/<number>), created before the call. */
  readonly workdir: string;
  /** A folder shared by every trial of the study (runs/<study>), for cached artifacts such as a teacher. */
  readonly studyDir: string;
  /** `objective.options` from the space file, plus CLI overrides (e.g. `backend`). */
  readonly options: Readonly<Record<string, unknown>>;
  /** Study name. */
  readonly study: string;
  /**
   * The worker thread's kind: `gpu` for a GPU worker, which should put its work on the GPU (each
   * GPU worker has a device of its own); `cpu` otherwise. Absent when run outside the pool.
   */
  readonly device?: 'cpu' | 'gpu';
  /**
   * Files shared by every trial of the study on every machine, kept in the study's database (the
   * compression teacher's weights): get, claim (one producer at a time), put, release. Absent when
   * the objective runs outside a study loop.
   */
  readonly artifacts?: StudyArtifacts;
}

/**
 * Numbers are metrics; strings are attributes (stored with the trial, shown in reports). Every
 * metric named in the space's `metrics` must be present and finite, or the trial fails.
 */
export type ObjectiveOutput = Readonly<Record<string, number | string>>;

export type Objective = (params: Params, ctx: ObjectiveContext) => Promise<ObjectiveOutput>;

/**
 * What an objective needs from the trial pool, known before any worker starts, so that the thread
 * policy (src/workers/plan.ts) never has to know objectives by name.
 */
export interface PoolNeeds {
  /** Most worker threads one process can give this objective; Infinity when any number works. */
  readonly maxThreads: number;
  /** Why `maxThreads` is limited, for the note printed when the budget asked for more. */
  readonly limitedBy?: string;
  /**
   * Whether the objective can use GPU workers (each with its own device): `device` names the
   * GPU; `only` means every worker must be a GPU worker (the space asked for a GPU backend).
   * Undefined when it cannot, with `noGpu` saying why.
   */
  readonly gpu?: { readonly device: string; readonly only: boolean };
  readonly noGpu?: string;
}

/** A built-in benchmark problem's facts (after BoTorch's test_functions: readonly class attributes). */
export interface BenchmarkProblem {
  readonly name: string;
  readonly dim: number;
  /** `dim × 2`: [low, high] per input. */
  readonly bounds: readonly (readonly [number, number])[];
  /** Objective names, all minimised, in order. */
  readonly objectives: readonly string[];
  /** Hypervolume reference point (multi-objective only). */
  readonly refPoint: readonly number[] | null;
  /** Max hypervolume (multi-objective) or minimum value (single-objective). */
  readonly bestKnown: number;
  /** Where `bestKnown` and `refPoint` come from. */
  readonly source: string;
  /** `x` of length `dim` → one value per objective. */
  evaluate(x: readonly number[]): number[];
}
