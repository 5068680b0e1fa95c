/**
 * What the compression trial needs from the pool: CPU threads as its TensorFlow.js backend allows
 * in one process, and GPU workers when a usable GPU adapter is there (src/engine decides both).
 * Kept apart from the trial so that the main thread can ask without loading the trial's code.
 * `--backend webgpu` without a usable GPU is refused here, before any study is created.
 */
import { BackendError, describeAdapter, maxThreadsFor, nativeBindingPresent, parseBackendRequest, predictCpuBackend, probeGpu } from '../../engine/index.js';
import type { PoolNeeds } from '../types.js';

export async function compressionNeeds(options: Readonly<Record<string, unknown>>): Promise<PoolNeeds> {
  const request = parseBackendRequest(options.backend ?? 'auto');
  if (request === 'webgpu') {
    const probe = await probeGpu();
    if (!probe.ok) throw new BackendError(`backend webgpu: ${probe.reason}`);
    return { maxThreads: 0, limitedBy: 'backend webgpu', gpu: { device: describeAdapter(probe.adapter), only: true } };
  }
  const backend = request === 'auto' ? predictCpuBackend() : request;
  const cpu = { maxThreads: maxThreadsFor(backend), limitedBy: `backend ${backend}` };
  if (request !== 'auto') return { ...cpu, noGpu: `backend ${request} is not a GPU backend (use auto or webgpu)` };
  // tensorflow-gpu already owns the GPU (through CUDA): no WebGPU workers beside it.
  if (nativeBindingPresent('tensorflow-gpu')) return { ...cpu, noGpu: 'tensorflow-gpu uses the GPU' };
  const probe = await probeGpu();
  return probe.ok ? { ...cpu, gpu: { device: describeAdapter(probe.adapter), only: false } } : { ...cpu, noGpu: probe.reason };
}
