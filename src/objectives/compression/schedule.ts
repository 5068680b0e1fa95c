/**
 * Learning-rate schedules for a training phase. `constant` keeps the peak rate; `cosine` decays it
 * from the peak at the first step to 0 after the last (half a cosine period, no restarts), which
 * lets a longer run take large steps early and settle at the end without a tuned step decay.
 */
import { ObjectiveError } from '../../errors.js';

export const LR_SCHEDULES = ['constant', 'cosine'] as const;
export type LrSchedule = (typeof LR_SCHEDULES)[number];

/** The learning rate for 0-based `step` of `total` steps, from the peak rate `peak`. */
export function learningRateAt(schedule: LrSchedule, peak: number, step: number, total: number): number {
  if (!Number.isInteger(total) || total < 1) throw new ObjectiveError(`a learning-rate schedule needs total steps >= 1, got ${total}`);
  if (!Number.isInteger(step) || step < 0 || step >= total) throw new ObjectiveError(`a learning-rate schedule's step must be in [0, ${total}), got ${step}`);
  switch (schedule) {
    case 'constant':
      return peak;
    case 'cosine':
      return 0.5 * peak * (1 + Math.cos((Math.PI * step) / total));
    default:
      throw new ObjectiveError(`learning-rate schedule must be one of ${LR_SCHEDULES.join(', ')}, got ${JSON.stringify(schedule)}`);
  }
}
