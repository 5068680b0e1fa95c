/**
 * The trial engine: TensorFlow.js backends for the compression trial (loading, choosing, the
 * thread limits each imposes, diagnosis for `doctor`), the GPU through WebGPU (webgpu.ts; the
 * SwiftShader software GPU for tests in software-gpu.ts) and sweetspot's own wasm training
 * kernels (src/engine/kernels, registered by the backend loader). Importing this loads
 * TensorFlow.js: commands that may not need it import it dynamically.
 */
export * from './backends.js';
export { describeAdapter, probeGpu, softwareGpuAllowed, findVulkanLoader, findVulkanDrivers, type AdapterSummary, type GpuProbe, type GpuMissing } from './webgpu.js';
export { softwareGpuEnv } from './software-gpu.js';
