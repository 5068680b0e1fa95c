import { RandomSampler } from './random.js';
import { registerSampler } from './registry.js';
import { SobolSampler } from './sobol.js';
import { GpSampler } from './gp.js';

export { RandomSampler } from './random.js';
export { SobolSampler } from './sobol.js';
export { createSampler, registerSampler, availableSamplers } from './registry.js';

registerSampler('random', (options) => new RandomSampler(options));
registerSampler('sobol', (options) => new SobolSampler(options));

export { GpSampler } from './gp.js';
registerSampler('gp', (options) => new GpSampler(options));
export { withBalanceRefinement } from './balance-refine.js';
