/**
 * Choosing a TensorFlow.js backend for a worker thread.
 *
 * The chain, best first: @tensorflow/tfjs-node-gpu (CUDA), webgpu (Dawn on Vulkan: GPU workers,
 * see webgpu.ts), @tensorflow/tfjs-node (native TensorFlow on the CPU), wasm (XNNPACK, plus
 * sweetspot's own training kernels when src/engine/kernels is present), then tfjs's
 * pure-JavaScript cpu backend. Inside one thread `auto` never picks webgpu: a GPU is handed out by
 * the pool's plan as GPU workers (one Dawn device each), and a CPU worker stays on the CPU. The two native packages are not
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
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tfjs from '@tensorflow/tfjs';
import { BackendError, UsageError } from '../errors.js';
import { plural } from '../format/index.js';
import { describeAdapter, openGpu, probeGpu } from './webgpu.js';

export type TF = typeof tfjs;
export type BackendName = 'tensorflow-gpu' | 'webgpu' | 'tensorflow' | 'wasm' | 'cpu';
export type BackendRequest = 'auto' | BackendName;

export const BACKEND_REQUESTS: readonly BackendRequest[] = ['auto', 'tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'];
/** Every backend, best first: what `doctor` diagnoses and what `predictBackend('auto')` walks. */
export const BACKEND_CHAIN: readonly BackendName[] = ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'];
/** The order `auto` tries inside one (CPU) worker thread. */
export const AUTO_ORDER: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

export { BackendError };

export interface LoadedBackend {
  /** The tf namespace, with `backend` active. */
  readonly tf: TF;
  /** The backend actually in use (what `auto` resolved to). */
  readonly backend: BackendName;
  /** Kernels sweetspot registered on top of the backend (wasm training kernels), by name. */
  readonly extraKernels: readonly string[];
  /** Where it computes: the GPU adapter for webgpu, else `cpu` (or `cuda` for tensorflow-gpu). */
  readonly device: string;
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
  // webgpu: each worker holds its own Dawn device; how many share a GPU well is the plan's call.
  return Math.max(1, cpus().length);
}

/**
 * Whether a native package would load, judged without loading it (loading it here would take the
 * one thread it may live in, tfjs issue 8388): installed, its binding built and libtensorflow
 * present. `require.resolve` alone is not enough: with the install script skipped, the package
 * resolves but its binding is missing.
 */
export function nativeBindingPresent(name: 'tensorflow-gpu' | 'tensorflow', from: string = import.meta.url): boolean {
  const require = createRequire(from);
  let dir: string;
  try {
    dir = dirname(require.resolve(`${NATIVE_PACKAGES[name]}/package.json`));
  } catch {
    return false;
  }
  const built = (folder: string, test: (f: string) => boolean): boolean => {
    try {
      return readdirSync(folder, { recursive: true }).some((f) => test(String(f)));
    } catch {
      return false;
    }
  };
  return built(join(dir, 'lib'), (f) => f.endsWith('tfjs_binding.node')) && built(join(dir, 'deps', 'lib'), (f) => /^libtensorflow\.so/.test(basename(f)));
}

/**
 * What a trial of `request` would run on, judged in the main thread before any worker starts:
 * for `auto`, tensorflow-gpu when its binding is there, else webgpu when a usable GPU adapter is
 * (the GPU workers), else tensorflow when its binding is there, else wasm.
 */
export async function predictBackend(request: BackendRequest): Promise<BackendName> {
  if (request !== 'auto') return request;
  if (nativeBindingPresent('tensorflow-gpu')) return 'tensorflow-gpu';
  if ((await probeGpu()).ok) return 'webgpu';
  return predictCpuBackend();
}

/** What `auto` resolves to inside a CPU worker thread (no loading: see nativeBindingPresent). */
export function predictCpuBackend(): BackendName {
  for (const name of ['tensorflow-gpu', 'tensorflow'] as const) if (nativeBindingPresent(name)) return name;
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
  let device = name === 'tensorflow-gpu' ? 'cuda' : 'cpu';
  if (name === 'tensorflow' || name === 'tensorflow-gpu') {
    await importNative(name);
  } else if (name === 'wasm') {
    await prepareWasm();
    extraKernels = await registerExtraWasmKernels();
  } else if (name === 'webgpu') {
    device = await prepareWebgpu();
  }
  // setBackend resolves false (and getBackend may still name it) when initialisation failed.
  const ok = await tfjs.setBackend(name);
  if (!ok) throw new BackendError(`backend ${name} failed to initialise`);
  await tfjs.ready();
  return { tf: tfjs, backend: name, extraKernels, device };
}

let webgpuDevice: string | undefined;

/**
 * Give tfjs-backend-webgpu a navigator.gpu from this thread's own Dawn instance (it registers
 * itself at import time only if navigator.gpu exists, hence the dynamic import after), refusing
 * with the missing piece when there is no usable adapter. Returns the adapter's description.
 */
async function prepareWebgpu(): Promise<string> {
  if (webgpuDevice !== undefined) return webgpuDevice;
  const r = await openGpu();
  if (!r.ok) throw new BackendError(`webgpu: ${r.reason}`);
  const { gpu, globals, adapter } = r.opened;
  for (const [k, v] of Object.entries(globals)) if (!(k in globalThis)) Object.assign(globalThis, { [k]: v });
  const nav = (globalThis as { navigator?: { gpu?: unknown } }).navigator;
  if (nav === undefined) Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  else Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true, writable: true });
  await import('@tensorflow/tfjs-backend-webgpu');
  // SwiftShader is slow at workgroup barriers; a separate im2col pass avoids them in conv2d.
  // (The flag exists once the backend's module has registered it.)
  if (adapter.fallback) tfjs.env().set('WEBGPU_CONV_SEPARATE_IM2COL_SHADER', true);
  if (!tfjs.engine().registryFactory.webgpu) throw new BackendError('webgpu: @tensorflow/tfjs-backend-webgpu registered no backend');
  webgpuDevice = describeAdapter(adapter);
  return webgpuDevice;
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

/** Whether a backend computes on a GPU, where data should stay on the device between steps. */
export function isGpuBackend(name: string): boolean {
  return name === 'webgpu' || name === 'tensorflow-gpu';
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
  for (const name of BACKEND_CHAIN) {
    try {
      const b = await loadNamed(name);
      const product = b.tf.tidy(() => b.tf.matMul(b.tf.ones([2, 2]), b.tf.ones([2, 2])));
      const t = (await product.data())[0]; // asynchronous: webgpu cannot read synchronously in Node
      product.dispose();
      if (t !== 2) throw new BackendError(`a 2×2 matMul gave ${t}, expected 2`);
      const training = name === 'wasm'
        ? hasKernel(b.tf, 'Conv2DBackpropFilter')
          ? `CNN training kernels: ${b.extraKernels.join(', ') || 'built in'}`
          : 'trains MLPs only: no Conv2DBackpropFilter kernel (src/engine/kernels missing)'
        : 'trains MLPs and CNNs';
      const threads = name === 'webgpu' ? `GPU workers on ${b.device}` : `up to ${plural(maxThreadsFor(name), 'worker thread')}`;
      out.push({ name, available: true, detail: `tfjs ${b.tf.version.tfjs}; ${training}; ${threads}` });
    } catch (err) {
      out.push({ name, available: false, detail: (err as Error).message.replace(/\s*\n\s*/g, ' ') });
    }
  }
  // Give back the backend this thread had chosen before the diagnosis.
  const chosen = await loaded?.catch(() => undefined);
  if (chosen) await tfjs.setBackend(chosen.backend);
  return out;
}
