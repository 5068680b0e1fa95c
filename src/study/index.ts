export type * from './trial.js';
export type * from './sampler.js';
export type * from './storage.js';
export type * from './executor.js';
export type * from './pruner.js';
export { PRUNED_REASON_PREFIX, isPrunedReason } from './pruner.js';
export { FINISHED_STATES, TRIAL_STATES, isFinished, durationMs, countsTowardBudget } from './trial.js';
export { checkOutput, type CheckedOutput } from './outcome.js';
export { runStudy, newOwner, ASKED_OWNER_PREFIX, type RunStudyOptions, type RunStudySummary, type LoopEvent, type LoopProgress } from './loop.js';
