/** The piscina worker entry: one trial per call. Each thread loads objectives (and tfjs) once. */
import type { TrialTask, WorkerResult } from './messages.js';
import { runTrialTask } from './run-trial.js';
import { installStrayHandlers } from './strays.js';

installStrayHandlers();

export default function runTrial(task: TrialTask): Promise<WorkerResult> {
  return runTrialTask(task);
}
