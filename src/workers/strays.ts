/**
 * Errors no trial's promise caught: an unhandled rejection or an uncaught exception in a worker
 * thread. Without these handlers such an error ends the thread and is blamed on whatever trial
 * runs in it at that moment (often the next one). Here an error that arrives while a trial runs
 * (or within its settle window) fails that trial; one that arrives later is remembered with the
 * number of the trial that ran last, reported as its leftover, and the thread is recycled.
 */
import { oneLine } from '../errors.js';

export interface LateError {
  /** The trial that ran last in this thread before the error arrived. */
  readonly trial: number | null;
  readonly error: string;
}

let watcher: ((err: unknown) => void) | null = null;
let lastTrial: number | null = null;
const late: LateError[] = [];

function onStray(err: unknown): void {
  if (watcher) watcher(err);
  else late.push({ trial: lastTrial, error: oneLine(err) });
}

/** Installs this thread's handlers (once, at the worker's start). */
export function installStrayHandlers(): void {
  process.on('unhandledRejection', onStray);
  process.on('uncaughtException', onStray);
}

/** Leftover errors of earlier trials, taken once. */
export function takeLateErrors(): LateError[] {
  return late.splice(0, late.length);
}

/**
 * Watches for stray errors while trial `trial` runs: `failed` rejects with the first one.
 * `settle()` waits two event-loop turns (setImmediate, which has no 1 ms timer clamp per trial),
 * so that leftovers failing right after the objective returned are still counted as this
 * trial's; `stop()` ends the watch.
 */
export function watchStrays(trial: number): { readonly failed: Promise<never>; readonly errors: string[]; settle(): Promise<void>; stop(): void } {
  const errors: string[] = [];
  let reject: (err: Error) => void = () => {};
  const failed = new Promise<never>((_, r) => (reject = r));
  failed.catch(() => {}); // observed through `errors` when nobody awaits it
  watcher = (err) => {
    errors.push(oneLine(err));
    reject(new Error(`error outside the objective's promise (an unhandled rejection or uncaught exception): ${oneLine(err)}`));
  };
  lastTrial = trial;
  return {
    failed,
    errors,
    settle: () => new Promise((r) => setImmediate(() => setImmediate(r))),
    stop: () => {
      watcher = null;
    },
  };
}
