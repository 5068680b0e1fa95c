export { Rng, deriveSeed } from './rng.js';
export { SobolSequence, sobol, MAX_SOBOL_DIM } from './sobol.js';
