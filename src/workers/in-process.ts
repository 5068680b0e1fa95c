/**
 * An executor that runs trials on the main thread, through the same runTrialTask as a worker
 * thread (same ctx, same report and abort messages over a MessageChannel). For objectives whose
 * steps cost next to nothing (the synthetic learning curves of the pruning benchmark and tests),
 * where starting threads would cost more than the trials. An objective that never yields to the
 * event loop cannot be stopped here: there is no thread to terminate.
 */
import { MessageChannel } from 'node:worker_threads';
import type { RunHooks, TrialExecutor, TrialOutcome, TrialSpec } from '../study/index.js';
import { answerArtifactRequest } from './artifacts.js';
import type { PortMessage } from './messages.js';
import { runTrialTask } from './run-trial.js';

export class InProcessExecutor implements TrialExecutor {
  constructor(readonly slots: number) {
    if (!Number.isInteger(slots) || slots < 1) throw new RangeError(`slots must be an integer >= 1, got ${slots}`);
  }

  async run(spec: TrialSpec, hooks: RunHooks = {}): Promise<TrialOutcome> {
    const { port1, port2 } = new MessageChannel();
    port1.on('message', (msg: PortMessage) => {
      if (msg.type === 'report') hooks.onReport?.(msg.step, msg.metrics);
      else if (msg.type === 'artifact') answerArtifactRequest(port1, msg, hooks.artifacts);
    });
    let stopped = false;
    const stop = (reason: string): void => {
      if (stopped) return;
      stopped = true;
      port1.postMessage({ type: 'abort', reason } satisfies PortMessage);
    };
    const onAbort = (): void => stop(hooks.signal?.reason instanceof Error ? hooks.signal.reason.message : 'study stopped');
    const timer = hooks.timeoutMs === undefined ? undefined : setTimeout(() => stop(`trial timed out after ${Math.round(hooks.timeoutMs! / 1000)} s`), hooks.timeoutMs);
    if (hooks.signal?.aborted) onAbort();
    hooks.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      // The main thread holds no GPU device of its own: it is a cpu lane.
      // No memory watch and no thread to recycle: this is the main thread.
      const { threadId: _thread, recycle: _recycle, ...outcome } = await runTrialTask({ ...spec, device: 'cpu', port: port2, memoryLimit: null, artifacts: hooks.artifacts !== undefined });
      // Let the last report messages arrive before the outcome is told, as a worker's would.
      await new Promise((r) => setImmediate(r));
      return outcome;
    } finally {
      clearTimeout(timer);
      hooks.signal?.removeEventListener('abort', onAbort);
      port1.close();
    }
  }

  async close(): Promise<void> {}
}
