/**
 * Every message between the main thread and a worker thread, in one place (after piscina's
 * src/types.ts). A trial travels as a `TrialTask` through `pool.run`; while it runs, the worker
 * and the main thread talk over the task's own MessagePort; the outcome (`TrialOutcome`, from
 * src/study/executor.ts) is the task's return value.
 */
import type { MessagePort } from 'node:worker_threads';
import type { TrialOutcome, TrialSpec } from '../study/index.js';

/** The kind of worker thread a trial runs in: a GPU worker holds a GPU device of its own. */
export type WorkerDevice = 'cpu' | 'gpu';

export interface TrialTask extends TrialSpec {
  /** Which of the pool's lanes runs it; the objective sees it as ctx.device. */
  readonly device: WorkerDevice;
  /** Worker → main: `ReportMessage`, `MemoryMessage`, `ArtifactRequest`; main → worker: `AbortMessage`, `ArtifactReply`. Transferred with the task. */
  readonly port: MessagePort;
  /** This thread's memory limit in bytes (V8 heap + off-heap), null for none. */
  readonly memoryLimit: number | null;
  /** Whether the main thread answers `ArtifactRequest`s (the loop gave the trial its study's artifacts). */
  readonly artifacts: boolean;
}

/** The task's return value: the outcome, plus what only the pool needs. */
export type WorkerResult = TrialOutcome & {
  /** The thread that ran it. */
  readonly threadId: number;
  /** Stray errors reached this thread: end it rather than run the next trial beside their cause. */
  readonly recycle: boolean;
};

/** Worker → main: this thread passed its memory limit; the trial must be ended now. */
export interface MemoryMessage {
  readonly type: 'memory';
  readonly bytes: number;
}

/** Worker → main: an intermediate value. */
export interface ReportMessage {
  readonly type: 'report';
  readonly step: number;
  readonly metrics: Readonly<Record<string, number>>;
}

/** Main → worker: stop this trial promptly (ctx.signal is aborted with `reason`). */
export interface AbortMessage {
  readonly type: 'abort';
  readonly reason: string;
}

/** Worker → main: a call on the study's artifacts (ctx.artifacts), answered by an `ArtifactReply` with the same id. */
export interface ArtifactRequest {
  readonly type: 'artifact';
  readonly id: number;
  readonly op: 'get' | 'claim' | 'put' | 'release';
  readonly key: string;
  readonly leaseMs?: number;
  readonly data?: Uint8Array;
}

/** Main → worker: what `ArtifactRequest` `id` returned, or the one-line error it raised. */
export interface ArtifactReply {
  readonly type: 'artifact-reply';
  readonly id: number;
  readonly value?: Uint8Array | string | boolean | null;
  readonly error?: string;
}

export type PortMessage = ReportMessage | AbortMessage | MemoryMessage | ArtifactRequest | ArtifactReply;
