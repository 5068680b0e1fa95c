export type { Pruner, PrunerFactory, PrunerOptions, PruneRequest } from '../study/index.js';
export { createPruner } from './registry.js';
export { AshaPruner, SuccessiveHalving, rungsBetween, type HalvingSettings } from './asha.js';
export { HyperbandPruner } from './hyperband.js';
export { MedianPruner, type MedianSettings } from './median.js';
export { NonePruner } from './none.js';
export { metricsAt, metricsWhenReached, crossingStep } from './reports.js';
export { stepsSpent, formatStepsSpent, type StepsSpent } from './spent.js';
export { describePruner, describeEarlyStopping } from './describe.js';
