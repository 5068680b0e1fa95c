/**
 * The trial pool: a fixed-size piscina pool of worker threads (minThreads = maxThreads = slots),
 * one trial per thread at a time. Intermediate values come back over a per-task MessageChannel.
 *
 * Stopping a trial is two-staged: first an abort message (the objective sees ctx.signal and can
 * stop cleanly), then, after `graceMs`, piscina's own abort, which terminates the thread — an
 * objective stuck in a long synchronous kernel cannot ignore a timeout.
 */
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { oneLine } from '../errors.js';
import type { RunHooks, TrialExecutor, TrialOutcome, TrialSpec } from '../study/index.js';
import type { PortMessage, TrialTask } from './messages.js';

export interface PoolOptions {
  readonly workers: number;
  /** Time between the polite abort message and terminating the thread. Default 5 s. */
  readonly graceMs?: number;
  /** Extra environment for worker threads (defaults to the process's). */
  readonly env?: Record<string, string>;
}

export class PiscinaExecutor implements TrialExecutor {
  readonly slots: number;
  readonly #pool: Piscina<TrialTask, TrialOutcome>;
  readonly #graceMs: number;

  constructor(options: PoolOptions) {
    if (!Number.isInteger(options.workers) || options.workers < 1) {
      throw new RangeError(`workers must be an integer >= 1, got ${options.workers}`);
    }
    this.slots = options.workers;
    this.#graceMs = options.graceMs ?? 5000;
    this.#pool = new Piscina<TrialTask, TrialOutcome>({
      filename: new URL('./worker.js', import.meta.url).href,
      minThreads: options.workers,
      maxThreads: options.workers,
      idleTimeout: Infinity,
      maxQueue: 'auto',
      ...(options.env ? { env: options.env } : {}),
    });
  }

  async run(spec: TrialSpec, hooks: RunHooks = {}): Promise<TrialOutcome> {
    const { port1, port2 } = new MessageChannel();
    const reported: { step: number; metrics: Readonly<Record<string, number>> }[] = [];
    port1.on('message', (msg: PortMessage) => {
      if (msg.type !== 'report') return;
      reported.push({ step: msg.step, metrics: msg.metrics });
      hooks.onReport?.(msg.step, msg.metrics);
    });
    const hardAbort = new AbortController();
    const timers: NodeJS.Timeout[] = [];
    let stopReason: string | null = null;
    const stop = (reason: string): void => {
      if (stopReason !== null) return;
      stopReason = reason;
      port1.postMessage({ type: 'abort', reason } satisfies PortMessage);
      timers.push(setTimeout(() => hardAbort.abort(new Error(reason)), this.#graceMs));
    };
    if (hooks.timeoutMs !== undefined) {
      const ms = hooks.timeoutMs;
      timers.push(setTimeout(() => stop(`trial timed out after ${Math.round(ms / 1000)} s`), ms));
    }
    const onOuterAbort = (): void => stop(hooks.signal?.reason instanceof Error ? hooks.signal.reason.message : 'study stopped');
    if (hooks.signal?.aborted) onOuterAbort();
    hooks.signal?.addEventListener('abort', onOuterAbort, { once: true });
    const started = performance.now();
    try {
      const task: TrialTask = { ...spec, port: port2 };
      return await this.#pool.run(task, { transferList: [port2], signal: hardAbort.signal });
    } catch (err) {
      // Only reached when the thread itself failed or was terminated: an objective's own throw
      // comes back as an outcome.
      const seconds = (performance.now() - started) / 1000;
      // The thread is gone, so what it reported over the port is all there is.
      return { ok: false, error: stopReason ?? `worker thread failed: ${oneLine(err)}`, aborted: stopReason !== null, seconds, intermediate: reported };
    } finally {
      timers.forEach(clearTimeout);
      hooks.signal?.removeEventListener('abort', onOuterAbort);
      port1.close();
    }
  }

  /** Utilization of the threads since start, as piscina measures it (0..1). */
  get utilization(): number {
    return this.#pool.utilization;
  }

  async close(): Promise<void> {
    await this.#pool.destroy();
  }
}
