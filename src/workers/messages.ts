/**
 * Every message between the main thread and a worker thread, in one place (after piscina's
 * src/types.ts). A trial travels as a `TrialTask` through `pool.run`; while it runs, the worker
 * and the main thread talk over the task's own MessagePort; the outcome is the task's return value.
 */
import type { MessagePort } from 'node:worker_threads';
import type { ObjectiveRef, Params } from '../space/index.js';

export interface TrialTask {
  readonly study: string;
  readonly trial: number;
  readonly seed: number;
  readonly params: Params;
  readonly objective: ObjectiveRef;
  readonly workdir: string;
  readonly studyDir: string;
  /** Worker → main: `ReportMessage`; main → worker: `AbortMessage`. Transferred with the task. */
  readonly port: MessagePort;
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

export type PortMessage = ReportMessage | AbortMessage;

/**
 * The task's return value. Errors travel as data so that none is swallowed on the way back.
 * `intermediate` repeats every value reported over the port: the port and piscina's result channel
 * are not ordered with each other, so the last reports could otherwise arrive after the trial ended.
 */
export type TrialOutcome = (
  | { readonly ok: true; readonly output: Readonly<Record<string, number | string>> }
  | { readonly ok: false; readonly error: string; readonly aborted: boolean }
) & { readonly seconds: number; readonly intermediate: readonly Omit<ReportMessage, 'type'>[] };
