export type * from './messages.js';
export { PiscinaExecutor, type PoolOptions } from './pool.js';
export { planWorkers, DEFAULT_GPU_WORKERS, type WorkerPlan } from './plan.js';
export { InProcessExecutor } from './in-process.js';
