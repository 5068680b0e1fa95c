/**
 * A study's trial budget: the space file's `budget.trials`, unless a run raised or lowered it on
 * the command line (`--trials`), which the run records among the study's attributes so that later
 * readers (status, the report) do not say "60 of 50".
 */
import type { StudyRecord } from './storage.js';

export const TRIAL_BUDGET_KEY = 'budget.trials';

/** The budget the last run worked to, never below the number of trials the study has. */
export function trialBudget(study: StudyRecord, spaceTrials: number, trialCount: number): number {
  const recorded = Number(study.attrs[TRIAL_BUDGET_KEY]);
  const budget = Number.isInteger(recorded) && recorded > 0 ? recorded : spaceTrials;
  return Math.max(budget, trialCount);
}
