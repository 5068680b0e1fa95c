/**
 * What the compression trial needs from the pool: as many threads as its TensorFlow.js backend
 * allows in one process (src/engine decides). Kept apart from the trial so that the main thread
 * can ask without loading the trial's code.
 */
import { maxThreadsFor, parseBackendRequest, predictBackend } from '../../engine/index.js';
import type { PoolNeeds } from '../types.js';

export function compressionNeeds(options: Readonly<Record<string, unknown>>): PoolNeeds {
  const backend = predictBackend(parseBackendRequest(options.backend ?? 'auto'));
  return { maxThreads: maxThreadsFor(backend), limitedBy: `backend ${backend}` };
}
