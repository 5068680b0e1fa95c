/**
 * The trial engine: TensorFlow.js backends for the compression trial (loading, choosing, the
 * thread limits each imposes, diagnosis for `doctor`) and sweetspot's own wasm training kernels
 * (src/engine/kernels, registered by the backend loader). Importing this loads TensorFlow.js:
 * commands that may not need it import it dynamically.
 */
export * from './backends.js';
