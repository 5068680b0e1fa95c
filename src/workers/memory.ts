/**
 * A worker thread's own memory, as its trial uses it: the V8 heap of this thread's isolate plus
 * its off-heap memory (Buffers, ArrayBuffers, wasm memories), which `process.memoryUsage()`
 * reports per isolate inside a worker (rss is the whole process's, so it is not used).
 * The V8 heap alone is also capped by the pool's resourceLimits; this watch covers off-heap.
 */
const SAMPLE_MS = 200;

export function workerMemoryBytes(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/** Calls `over(bytes)` once when this thread's memory passes `limit`; returns the stop function. */
export function watchMemory(limit: number, over: (bytes: number) => void): () => void {
  const timer = setInterval(() => {
    const used = workerMemoryBytes();
    if (used > limit) {
      clearInterval(timer);
      over(used);
    }
  }, SAMPLE_MS);
  timer.unref();
  return () => clearInterval(timer);
}

export const MIB = 1024 ** 2;
