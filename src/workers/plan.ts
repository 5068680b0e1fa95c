/**
 * The thread policy: how many CPU and GPU worker threads a study gets, from the budget and what
 * its objective needs from the pool. A pure function, so that `run`, `resume` and tests share it.
 */
import { UsageError } from '../errors.js';
import { plural } from '../format/index.js';
import type { PoolNeeds } from '../objectives/index.js';

export interface WorkerPlan {
  /** CPU worker threads. */
  readonly workers: number;
  /** GPU worker threads, each with its own GPU device. */
  readonly gpuWorkers: number;
  /** The GPU they use, when there are any. */
  readonly gpuDevice?: string;
  /** Set when the plan differs from what the budget asked for, saying why. */
  readonly note?: string;
}

/**
 * GPU workers when the budget names none and a GPU is there. Not measured on a real GPU yet
 * (reports/bench/gpu.md says so); several workers keep a GPU busier than one, since small
 * networks leave it mostly idle between kernel dispatches.
 */
export const DEFAULT_GPU_WORKERS = 2;

/**
 * tfjs-node cannot live in a second worker thread of one process (tfjs issue 8388), so a native
 * backend gets one CPU thread (TensorFlow then uses the cores inside it); a GPU backend asked for
 * by name makes every worker a GPU worker; otherwise GPU workers run beside the CPU ones.
 */
export function planWorkers(budget: { readonly workers: number; readonly gpuWorkers?: number }, needs: PoolNeeds): WorkerPlan {
  const gpu = needs.gpu;
  if (gpu?.only) {
    const gpuWorkers = budget.gpuWorkers ?? budget.workers;
    if (gpuWorkers < 1) throw new UsageError(`gpu workers: ${needs.limitedBy ?? 'the objective'} runs only on GPU workers, got 0`);
    return { workers: 0, gpuWorkers, gpuDevice: gpu.device };
  }
  if (!gpu && (budget.gpuWorkers ?? 0) > 0) throw new UsageError(`gpu workers: ${budget.gpuWorkers} asked for, but ${needs.noGpu ?? 'the objective cannot use a GPU'}`);
  const gpuWorkers = gpu ? (budget.gpuWorkers ?? DEFAULT_GPU_WORKERS) : 0;
  const gpuPart = gpu && gpuWorkers > 0 ? { gpuDevice: gpu.device } : {};
  const limit = needs.maxThreads;
  if (budget.workers <= limit) return { workers: budget.workers, gpuWorkers, ...gpuPart };
  const by = needs.limitedBy ?? 'the objective';
  return { workers: limit, gpuWorkers, ...gpuPart, note: `${by} supports ${plural(limit, 'worker thread')} per process: running ${limit} instead of ${budget.workers}` };
}
