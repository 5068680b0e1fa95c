import type { SamplerName } from '../space/index.js';
import type { SamplerFactory } from '../study/index.js';
import { RandomSampler } from './random.js';
import { registerSampler } from './registry.js';
import { SobolSampler } from './sobol.js';
import { GpSampler } from './gp.js';

export { RandomSampler } from './random.js';
export { SobolSampler } from './sobol.js';
export { createSampler, registerSampler, availableSamplers } from './registry.js';

export { GpSampler } from './gp.js';

/** A factory for every name in space's SAMPLER_NAMES (the type checker holds the two together). */
const BUILTIN_SAMPLERS: Readonly<Record<SamplerName, SamplerFactory>> = {
  random: (options) => new RandomSampler(options),
  sobol: (options) => new SobolSampler(options),
  gp: (options) => new GpSampler(options),
};
for (const [name, factory] of Object.entries(BUILTIN_SAMPLERS)) registerSampler(name, factory);
export { withBalanceRefinement } from './balance-refine.js';
