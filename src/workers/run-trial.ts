/**
 * Runs one trial inside a worker thread: loads the objective (cached per thread), gives it a ctx
 * whose `signal` follows abort messages on the task's port and whose `report` posts intermediate
 * values back, and turns any throw into a failed outcome carried as data.
 */
import { mkdirSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import { oneLine } from '../errors.js';
import { loadObjective } from '../objectives/index.js';
import type { ObjectiveContext } from '../objectives/index.js';
import type { TrialOutcome } from '../study/index.js';
import { artifactClient } from './artifacts.js';
import { watchMemory } from './memory.js';
import type { PortMessage, ReportMessage, TrialTask, WorkerResult } from './messages.js';
import { takeLateErrors, watchStrays } from './strays.js';

export async function runTrialTask(task: TrialTask): Promise<WorkerResult> {
  const late = takeLateErrors();
  const strays = watchStrays(task.trial);
  const stopMemoryWatch = task.memoryLimit === null ? () => {} : watchMemory(task.memoryLimit, (bytes) => task.port.postMessage({ type: 'memory', bytes } satisfies PortMessage));
  try {
    const outcome = await runObjective(task, strays);
    const warnings = late.map((l) => `trial ${l.trial ?? '?'} left an error behind after it finished (its worker thread is replaced): ${l.error}`);
    return { ...outcome, ...(warnings.length > 0 ? { warnings } : {}), threadId, recycle: strays.errors.length > 0 || late.length > 0 };
  } finally {
    stopMemoryWatch();
    strays.stop();
    task.port.close();
  }
}

async function runObjective(task: TrialTask, strays: ReturnType<typeof watchStrays>): Promise<TrialOutcome> {
  const started = performance.now();
  const seconds = (): number => (performance.now() - started) / 1000;
  const controller = new AbortController();
  const intermediate: Omit<ReportMessage, 'type'>[] = [];
  const shared = artifactClient(task.port);
  task.port.on('message', (msg: PortMessage) => {
    if (msg.type === 'abort') controller.abort(new Error(msg.reason));
    else if (msg.type === 'artifact-reply') shared.onReply(msg);
  });
  try {
    mkdirSync(task.workdir, { recursive: true });
    const objective = await loadObjective(task.objective);
    const ctx: ObjectiveContext = {
      trial: task.trial,
      seed: task.seed,
      signal: controller.signal,
      workdir: task.workdir,
      studyDir: task.studyDir,
      options: task.objective.options,
      study: task.study,
      device: task.device,
      ...(task.artifacts ? { artifacts: shared.artifacts } : {}),
      report(step, metrics) {
        const message: ReportMessage = { type: 'report', step, metrics: { ...metrics } };
        intermediate.push({ step, metrics: message.metrics });
        task.port.postMessage(message);
      },
    };
    const output = await Promise.race([objective(task.params, ctx), strays.failed]);
    // Leftover async work that fails at once is still this trial's.
    await strays.settle();
    if (strays.errors.length > 0) await strays.failed;
    if (output === null || typeof output !== 'object') {
      return { ok: false, error: `objective returned ${output === null ? 'null' : typeof output}, expected an object of metrics`, aborted: false, seconds: seconds(), intermediate };
    }
    return { ok: true, output: { ...output }, seconds: seconds(), intermediate };
  } catch (err) {
    const aborted = controller.signal.aborted;
    const reason = aborted ? oneLine(controller.signal.reason) : oneLine(err);
    return { ok: false, error: reason, aborted, seconds: seconds(), intermediate };
  }
}
