/**
 * The trial pool: fixed-size piscina pools of worker threads (minThreads = maxThreads), one trial
 * per thread at a time, in two lanes: CPU workers and GPU workers (each GPU worker opens its own
 * GPU device when its first trial asks for one). A trial goes to a free GPU worker first. The
 * lanes are separate pools because piscina hands a task to any idle thread of a pool.
 * Intermediate values come back over a per-task MessageChannel.
 *
 * Stopping a trial is two-staged: first an abort message (the objective sees ctx.signal and can
 * stop cleanly), then, after `graceMs`, piscina's own abort, which terminates the thread — an
 * objective stuck in a long synchronous kernel cannot ignore a timeout.
 *
 * Memory: each thread's V8 heap is capped (resourceLimits) and the thread watches its heap plus
 * off-heap memory against the same limit; past it, the trial is ended at once (the thread
 * terminated, piscina starts a fresh one) and only that trial fails, with the reason. A thread
 * that saw stray errors (see strays.ts) is replaced too, so they cannot reach the next trial.
 */
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { oneLine } from '../errors.js';
import type { RunHooks, TrialExecutor, TrialOutcome, TrialSpec } from '../study/index.js';
import { answerArtifactRequest } from './artifacts.js';
import { MIB } from './memory.js';
import type { PortMessage, TrialTask, WorkerDevice, WorkerResult } from './messages.js';

export interface PoolOptions {
  /** CPU worker threads (0 when every worker is a GPU worker). */
  readonly workers: number;
  /** GPU worker threads. Default 0. */
  readonly gpuWorkers?: number;
  /** Time between the polite abort message and terminating the thread. Default 5 s. */
  readonly graceMs?: number;
  /** Extra environment for worker threads (defaults to the process's). */
  readonly env?: Record<string, string>;
  /** Memory one worker thread may use, V8 heap and off-heap together, in bytes; undefined: no limit. */
  readonly memoryLimit?: number;
}

interface Lane {
  readonly device: WorkerDevice;
  readonly size: number;
  readonly pool: Piscina<TrialTask, WorkerResult>;
  busy: number;
}

export class PiscinaExecutor implements TrialExecutor {
  readonly slots: number;
  readonly #lanes: Lane[];
  readonly #graceMs: number;
  readonly #memoryLimit: number | null;

  constructor(options: PoolOptions) {
    const gpuWorkers = options.gpuWorkers ?? 0;
    if (!Number.isInteger(options.workers) || options.workers < 0) throw new RangeError(`workers must be an integer >= 0, got ${options.workers}`);
    if (!Number.isInteger(gpuWorkers) || gpuWorkers < 0) throw new RangeError(`gpuWorkers must be an integer >= 0, got ${gpuWorkers}`);
    if (options.workers + gpuWorkers < 1) throw new RangeError('workers + gpuWorkers must be >= 1, got 0');
    this.slots = options.workers + gpuWorkers;
    this.#graceMs = options.graceMs ?? 5000;
    this.#memoryLimit = options.memoryLimit ?? null;
    const sizes: [WorkerDevice, number][] = [['gpu', gpuWorkers], ['cpu', options.workers]];
    this.#lanes = sizes
      .filter(([, size]) => size > 0)
      .map(([device, size]) => ({
        device,
        size,
        busy: 0,
        pool: new Piscina<TrialTask, WorkerResult>({
          filename: new URL('./worker.js', import.meta.url).href,
          minThreads: size,
          maxThreads: size,
          idleTimeout: Infinity,
          maxQueue: 'auto',
          // 'sync' (the default) freezes an idle thread in Atomics.wait, so a trial's leftover
          // timers would fire only when the next trial arrives and be blamed on it.
          atomics: 'async',
          ...(options.env ? { env: options.env } : {}),
          ...(options.memoryLimit ? { resourceLimits: { maxOldGenerationSizeMb: Math.ceil(options.memoryLimit / MIB) } } : {}),
        }),
      }));
  }

  /** A lane with a free thread, GPU first; else the least loaded (the task then queues). */
  #pickLane(): Lane {
    const free = this.#lanes.find((l) => l.busy < l.size);
    return free ?? this.#lanes.reduce((a, b) => (a.busy / a.size <= b.busy / b.size ? a : b));
  }

  async run(spec: TrialSpec, hooks: RunHooks = {}): Promise<TrialOutcome> {
    const { port1, port2 } = new MessageChannel();
    const reported: { step: number; metrics: Readonly<Record<string, number>> }[] = [];
    port1.on('message', (msg: PortMessage) => {
      if (msg.type === 'memory') {
        // No grace: every moment past the limit takes memory from the machine.
        stop(this.#overLimit(`${Math.round(msg.bytes / MIB)} MiB used`), 0);
      } else if (msg.type === 'report') {
        reported.push({ step: msg.step, metrics: msg.metrics });
        hooks.onReport?.(msg.step, msg.metrics);
      } else if (msg.type === 'artifact') {
        answerArtifactRequest(port1, msg, hooks.artifacts);
      }
    });
    const hardAbort = new AbortController();
    const timers: NodeJS.Timeout[] = [];
    let stopReason: string | null = null;
    const stop = (reason: string, graceMs = this.#graceMs): void => {
      if (stopReason !== null) return;
      stopReason = reason;
      port1.postMessage({ type: 'abort', reason } satisfies PortMessage);
      timers.push(setTimeout(() => hardAbort.abort(new Error(reason)), graceMs));
    };
    if (hooks.timeoutMs !== undefined) {
      const ms = hooks.timeoutMs;
      timers.push(setTimeout(() => stop(`trial timed out after ${Math.round(ms / 1000)} s`), ms));
    }
    const onOuterAbort = (): void => stop(hooks.signal?.reason instanceof Error ? hooks.signal.reason.message : 'study stopped');
    if (hooks.signal?.aborted) onOuterAbort();
    hooks.signal?.addEventListener('abort', onOuterAbort, { once: true });
    const started = performance.now();
    const lane = this.#pickLane();
    lane.busy++;
    try {
      const task: TrialTask = { ...spec, device: lane.device, port: port2, memoryLimit: this.#memoryLimit, artifacts: hooks.artifacts !== undefined };
      const { threadId, recycle, ...outcome } = await lane.pool.run(task, { transferList: [port2], signal: hardAbort.signal });
      // Replaced before the slot is freed, so the next trial never runs beside a stray error's cause.
      if (recycle) await lane.pool.threads.find((t) => t.threadId === threadId)?.terminate();
      return outcome;
    } catch (err) {
      // Only reached when the thread itself failed or was terminated: an objective's own throw
      // comes back as an outcome.
      const seconds = (performance.now() - started) / 1000;
      const outOfMemory = (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY' ? this.#overLimit('the V8 heap reached it') : null;
      // The thread is gone, so what it reported over the port is all there is.
      return { ok: false, error: stopReason ?? outOfMemory ?? `worker thread failed: ${oneLine(err)}`, aborted: stopReason !== null, seconds, intermediate: reported };
    } finally {
      lane.busy--;
      timers.forEach(clearTimeout);
      hooks.signal?.removeEventListener('abort', onOuterAbort);
      port1.close();
    }
  }

  #overLimit(what: string): string {
    return `worker memory limit exceeded: ${what} (V8 heap + off-heap), budget.workerMemory is ${Math.round((this.#memoryLimit ?? 0) / MIB)} MiB`;
  }

  /** Utilization of all threads since start, as piscina measures it per lane (0..1). */
  get utilization(): number {
    return this.#lanes.reduce((sum, l) => sum + l.pool.utilization * l.size, 0) / this.slots;
  }

  async close(): Promise<void> {
    await Promise.all(this.#lanes.map((l) => l.pool.destroy()));
  }
}
