/**
 * Runs one trial inside a worker thread: loads the objective (cached per thread), gives it a ctx
 * whose `signal` follows abort messages on the task's port and whose `report` posts intermediate
 * values back, and turns any throw into a failed outcome carried as data.
 */
import { mkdirSync } from 'node:fs';
import { oneLine } from '../errors.js';
import { loadObjective } from '../objectives/index.js';
import type { ObjectiveContext } from '../objectives/index.js';
import type { TrialOutcome } from '../study/index.js';
import type { PortMessage, ReportMessage, TrialTask } from './messages.js';

export async function runTrialTask(task: TrialTask): Promise<TrialOutcome> {
  const started = performance.now();
  const seconds = (): number => (performance.now() - started) / 1000;
  const controller = new AbortController();
  const intermediate: Omit<ReportMessage, 'type'>[] = [];
  task.port.on('message', (msg: PortMessage) => {
    if (msg.type === 'abort') controller.abort(new Error(msg.reason));
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
      report(step, metrics) {
        const message: ReportMessage = { type: 'report', step, metrics: { ...metrics } };
        intermediate.push({ step, metrics: message.metrics });
        task.port.postMessage(message);
      },
    };
    const output = await objective(task.params, ctx);
    if (output === null || typeof output !== 'object') {
      return { ok: false, error: `objective returned ${output === null ? 'null' : typeof output}, expected an object of metrics`, aborted: false, seconds: seconds(), intermediate };
    }
    return { ok: true, output: { ...output }, seconds: seconds(), intermediate };
  } catch (err) {
    const aborted = controller.signal.aborted;
    const reason = aborted ? oneLine(controller.signal.reason) : oneLine(err);
    return { ok: false, error: reason, aborted, seconds: seconds(), intermediate };
  } finally {
    task.port.close();
  }
}
