export type * from './messages.js';
export { PiscinaExecutor, type TrialExecutor, type TrialSpec, type RunHooks, type PoolOptions } from './pool.js';
