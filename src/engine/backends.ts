/**
 * Choosing a TensorFlow.js backend for a worker thread.
 *
 * Order for `auto`: @tensorflow/tfjs-node-gpu (CUDA), @tensorflow/tfjs-node (native TensorFlow on
 * the CPU), wasm (XNNPACK, plus sweetspot's own training kernels when src/engine/kernels is
 * present), then tfjs's pure-JavaScript cpu backend. The two native packages are not
 * dependencies: they need a prebuilt libtensorflow download at install time that fails on many
 * machines (and on this project's build machine), which would break `npm ci`. They are loaded
 * with a dynamic import only when the user has installed them (`npm install @tensorflow/tfjs-node`
 * or `@tensorflow/tfjs-node-gpu`, the same major version as @tensorflow/tfjs).
 *
 * One backend per thread: tfjs keeps one global engine per JavaScript realm, so each worker
 * thread loads and initialises its own backend once and caches it here.
 */
import { cpus } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tfjs from '@tensorflow/tfjs';
import { BackendError, UsageError } from '../errors.js';
import { plural } from '../format/index.js';

export type TF = typeof tfjs;
export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
export type BackendRequest = 'auto' | BackendName;

export const BACKEND_REQUESTS: readonly BackendRequest[] = ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];
/** The order `auto` tries. */
export const AUTO_ORDER: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

export { BackendError };

export interface LoadedBackend {
  /** The tf namespace, with `backend` active. */
  readonly tf: TF;
  /** The backend actually in use (what `auto` resolved to). */
  readonly backend: BackendName;
  /** Kernels sweetspot registered on top of the backend (wasm training kernels), by name. */
  readonly extraKernels: readonly string[];
}

const NATIVE_PACKAGES: Readonly<Record<'tensorflow-gpu' | 'tensorflow', string>> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
};

export function parseBackendRequest(value: unknown): BackendRequest {
  if (value === undefined || value === null) return 'auto';
  if (typeof value === 'string' && (BACKEND_REQUESTS as readonly string[]).includes(value)) return value as BackendRequest;
  throw new UsageError(`backend must be one of ${BACKEND_REQUESTS.join(', ')}, got ${JSON.stringify(value)}`);
}

/**
 * How many worker threads of one process can use `backend` at once.
 *
 * tfjs-node and tfjs-node-gpu are N-API addons that are not safe to load in more than one thread:
 * the second worker thread that requires them fails (tensorflow/tfjs issue 8388, "Module did not
 * self-register" / a crash in the addon's static initialisation). So a pool using them must run a
 * single worker thread per process; TensorFlow's own intra-op thread pool uses the cores inside
 * that one thread, so parallelism is not lost. wasm and cpu are plain per-realm JavaScript and
 * WebAssembly instances: one per thread works, and each instance is single-threaded in Node, so
 * one thread per core is the useful maximum.
 */
export function maxThreadsFor(backend: BackendName): number {
  if (backend === 'tensorflow' || backend === 'tensorflow-gpu') return 1;
  return Math.max(1, cpus().length);
}

/**
 * What `auto` would resolve to in this process, without initialising anything heavy: the first
 * native package that can be resolved, else wasm. For the pool's thread count before any worker starts.
 */
export function predictBackend(request: BackendRequest): BackendName {
  if (request !== 'auto') return request;
  const require = createRequire(import.meta.url);
  for (const name of ['tensorflow-gpu', 'tensorflow'] as const) {
    try {
      require.resolve(NATIVE_PACKAGES[name]);
      return name;
    } catch {
      // not installed: try the next
    }
  }
  return 'wasm';
}

let loaded: Promise<LoadedBackend> | undefined;
let loadedRequest: BackendRequest | undefined;

/**
 * Load and activate a backend in this thread (cached: the first request wins; asking later for a
 * different one throws, since tfjs state such as variables belongs to the active backend).
 */
export function loadBackend(request: BackendRequest = 'auto'): Promise<LoadedBackend> {
  if (loaded) {
    if (loadedRequest !== request) {
      return loaded.then((b) => {
        if (request === 'auto' || request === b.backend) return b;
        throw new BackendError(`this worker thread already uses backend ${b.backend}; one backend per thread, got a request for ${request}`);
      });
    }
    return loaded;
  }
  loadedRequest = request;
  loaded = request === 'auto' ? loadAuto() : loadNamed(request);
  loaded.catch(() => {
    loaded = undefined;
    loadedRequest = undefined;
  });
  return loaded;
}

async function loadAuto(): Promise<LoadedBackend> {
  const reasons: string[] = [];
  for (const name of AUTO_ORDER) {
    try {
      return await loadNamed(name);
    } catch (err) {
      reasons.push(`${name}: ${(err as Error).message}`);
    }
  }
  throw new BackendError(`no TensorFlow.js backend could be loaded (${reasons.join('; ')})`);
}

async function loadNamed(name: BackendName): Promise<LoadedBackend> {
  let extraKernels: readonly string[] = [];
  if (name === 'tensorflow' || name === 'tensorflow-gpu') {
    await importNative(name);
  } else if (name === 'wasm') {
    await prepareWasm();
    extraKernels = await registerExtraWasmKernels();
  }
  const ok = await tfjs.setBackend(name);
  if (!ok) throw new BackendError(`backend ${name} failed to initialise`);
  await tfjs.ready();
  return { tf: tfjs, backend: name, extraKernels };
}

async function importNative(name: 'tensorflow' | 'tensorflow-gpu'): Promise<void> {
  const pkg = NATIVE_PACKAGES[name];
  // A variable specifier keeps TypeScript from resolving a package that is usually absent.
  const spec: string = pkg;
  try {
    await import(spec);
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why = code === 'ERR_MODULE_NOT_FOUND' ? `${pkg} is not installed (npm install ${pkg})` : `${pkg} failed to load: ${(err as Error).message}`;
    throw new BackendError(why, { cause: err });
  }
  if (!tfjs.findBackend(name)) {
    throw new BackendError(`${pkg} loaded but registered no '${name}' backend; its @tensorflow/tfjs version must match ${tfjs.version.tfjs}`);
  }
}

async function prepareWasm(): Promise<void> {
  // Importing registers the 'wasm' backend; in Node it finds its .wasm binaries beside its own files.
  await import('@tensorflow/tfjs-backend-wasm');
}

/**
 * Training kernels the wasm backend lacks (Conv2DBackpropFilter, ...) come from
 * src/engine/kernels (`registerWasmKernels(): string[]`). Loaded by a runtime specifier so this
 * file builds whether or not that module exists; without it, wasm trains MLPs but not CNNs.
 */
async function registerExtraWasmKernels(): Promise<readonly string[]> {
  const spec: string = pathToFileURL(join(dirname(new URL(import.meta.url).pathname), 'kernels', 'index.js')).href;
  let mod: { registerWasmKernels?: () => string[] };
  try {
    mod = (await import(spec)) as typeof mod;
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') return [];
    throw err;
  }
  return typeof mod.registerWasmKernels === 'function' ? mod.registerWasmKernels() : [];
}

/** Whether the active backend can compute a kernel (e.g. 'Conv2DBackpropFilter' for CNN training). */
export function hasKernel(tf: TF, kernel: string): boolean {
  return tf.getKernel(kernel, tf.getBackend()) !== undefined;
}

export interface BackendDiagnosis {
  readonly name: BackendName;
  readonly available: boolean;
  readonly detail: string;
}

/**
 * For `sweetspot doctor`: try each backend in this thread and say why it does or does not load.
 * Afterwards the thread's chosen backend (if any) is active again.
 */
export async function diagnoseBackends(): Promise<BackendDiagnosis[]> {
  const out: BackendDiagnosis[] = [];
  for (const name of AUTO_ORDER) {
    try {
      const b = await loadNamed(name);
      const t = b.tf.tidy(() => b.tf.matMul(b.tf.ones([2, 2]), b.tf.ones([2, 2])).dataSync()[0]);
      if (t !== 2) throw new BackendError(`a 2×2 matMul gave ${t}, expected 2`);
      const training = name === 'wasm'
        ? hasKernel(b.tf, 'Conv2DBackpropFilter')
          ? `CNN training kernels: ${b.extraKernels.join(', ') || 'built in'}`
          : 'trains MLPs only: no Conv2DBackpropFilter kernel (src/engine/kernels missing)'
        : 'trains MLPs and CNNs';
      out.push({ name, available: true, detail: `tfjs ${b.tf.version.tfjs}; ${training}; up to ${plural(maxThreadsFor(name), 'worker thread')}` });
    } catch (err) {
      out.push({ name, available: false, detail: (err as Error).message.replace(/\s*\n\s*/g, ' ') });
    }
  }
  // Give back the backend this thread had chosen before the diagnosis.
  const chosen = await loaded?.catch(() => undefined);
  if (chosen) await tfjs.setBackend(chosen.backend);
  return out;
}
