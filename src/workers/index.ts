export type * from './messages.js';
export { PiscinaExecutor, type PoolOptions } from './pool.js';
