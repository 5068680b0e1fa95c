/** The piscina worker entry: one trial per call. Each thread loads objectives (and tfjs) once. */
import type { TrialOutcome } from '../study/index.js';
import type { TrialTask } from './messages.js';
import { runTrialTask } from './run-trial.js';

export default function runTrial(task: TrialTask): Promise<TrialOutcome> {
  return runTrialTask(task);
}
