/**
 * The GPU through WebGPU: Dawn (the `webgpu` package's prebuilt dawn.node) on Vulkan, under
 * @tensorflow/tfjs-backend-webgpu. This module finds out whether this process can use a GPU and,
 * when it cannot, which of the three is missing: the Vulkan loader (libvulkan.so.1), a Vulkan
 * driver (an ICD manifest), or an adapter Dawn accepts. A software adapter (SwiftShader) is used
 * only when SWEETSPOT_SOFTWARE_GPU=1; src/engine/software-gpu.ts sets that up.
 *
 * Each call to `openGpu` creates its own Dawn instance, so each worker thread gets its own device.
 */
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** What `doctor` and trial attributes say about an adapter. */
export interface AdapterSummary {
  readonly vendor: string;
  readonly architecture: string;
  readonly description: string;
  /** A software (fallback) adapter such as SwiftShader. */
  readonly fallback: boolean;
}

export type GpuMissing = 'package' | 'loader' | 'driver' | 'adapter' | 'hardware adapter';

export type GpuProbe =
  | { readonly ok: true; readonly adapter: AdapterSummary }
  | { readonly ok: false; readonly missing: GpuMissing; readonly reason: string };

/** Whether a software adapter may be used (tests, CI): SWEETSPOT_SOFTWARE_GPU=1. */
export function softwareGpuAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.SWEETSPOT_SOFTWARE_GPU === '1';
}

/** One line naming the adapter, for trial attributes and doctor. */
export function describeAdapter(a: AdapterSummary): string {
  return `${a.description || 'unnamed adapter'} (${[a.vendor, a.architecture].filter(Boolean).join(' ') || 'unknown vendor'}${a.fallback ? ', software' : ''})`;
}

const LOADER = 'libvulkan.so.1';
// Where the dynamic linker and the Vulkan loader look by default on Debian/Ubuntu and RHEL-like systems.
const LIB_DIRS = ['/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu', '/lib64', '/usr/lib64', '/lib', '/usr/lib', '/usr/local/lib', '/usr/lib/aarch64-linux-gnu'];
const ICD_DIRS = ['/usr/local/share/vulkan/icd.d', '/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d', '/usr/local/nvidia/share/vulkan/icd.d'];

/** The Vulkan loader this process would load, or undefined (LD_LIBRARY_PATH first, then the usual folders). */
export function findVulkanLoader(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = [...(env.LD_LIBRARY_PATH ?? '').split(delimiter).filter(Boolean), ...LIB_DIRS];
  return dirs.map((d) => join(d, LOADER)).find((f) => existsSync(f));
}

/** Vulkan driver manifests the loader would read (VK_DRIVER_FILES / VK_ICD_FILENAMES, else the usual folders). */
export function findVulkanDrivers(env: NodeJS.ProcessEnv = process.env): string[] {
  const listed = env.VK_DRIVER_FILES ?? env.VK_ICD_FILENAMES;
  if (listed) return listed.split(delimiter).filter((f) => f && existsSync(f));
  const dataDirs = (env.XDG_DATA_DIRS ?? '').split(delimiter).filter(Boolean).map((d) => join(d, 'vulkan', 'icd.d'));
  const out: string[] = [];
  for (const dir of [...ICD_DIRS, ...dataDirs]) {
    try {
      for (const f of readdirSync(dir)) if (f.endsWith('.json')) out.push(join(dir, f));
    } catch {
      // folder absent
    }
  }
  return out;
}

interface DawnModule {
  create(flags: string[]): { requestAdapter(options?: Record<string, unknown>): Promise<DawnAdapter | null> };
  globals: Record<string, unknown>;
}
interface DawnAdapter {
  readonly info?: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean };
  readonly isFallbackAdapter?: boolean;
}

/** Dawn's flags: Vulkan, and an adapter chosen by name when SWEETSPOT_GPU_ADAPTER is set. */
export function dawnFlags(env: NodeJS.ProcessEnv = process.env): string[] {
  return ['backend=vulkan', ...(env.SWEETSPOT_GPU_ADAPTER ? [`adapter=${env.SWEETSPOT_GPU_ADAPTER}`] : [])];
}

async function loadDawn(): Promise<DawnModule> {
  const spec: string = 'webgpu';
  return (await import(spec)) as DawnModule;
}

function summarise(adapter: DawnAdapter): AdapterSummary {
  const info = adapter.info ?? {};
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    description: info.description ?? '',
    fallback: Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter),
  };
}

export interface OpenedGpu {
  readonly adapter: AdapterSummary;
  /** The Dawn instance (navigator.gpu) that found it: keep it alive while the device is used. */
  readonly gpu: unknown;
  /** Dawn's WebGPU globals (GPUBufferUsage, ...), which tfjs-backend-webgpu expects on globalThis. */
  readonly globals: Record<string, unknown>;
}

/**
 * Open a Dawn instance and check its adapter. Resolves to the instance when the adapter is usable
 * (hardware, or software when allowed); otherwise to the first missing piece and why.
 */
export async function openGpu(env: NodeJS.ProcessEnv = process.env): Promise<{ ok: true; opened: OpenedGpu } | Extract<GpuProbe, { ok: false }>> {
  let dawn: DawnModule;
  try {
    dawn = await loadDawn();
  } catch (err) {
    return { ok: false, missing: 'package', reason: `the webgpu package (dawn.node) does not load: ${(err as Error).message.split('\n')[0]}` };
  }
  if (!findVulkanLoader(env)) return { ok: false, missing: 'loader', reason: `no Vulkan loader: ${LOADER} not found (Debian: apt-get install libvulkan1)` };
  const drivers = findVulkanDrivers(env);
  if (drivers.length === 0) {
    return { ok: false, missing: 'driver', reason: 'no Vulkan driver: no ICD manifest in VK_DRIVER_FILES or the vulkan/icd.d folders (install the GPU driver, or set VK_DRIVER_FILES to its icd.json)' };
  }
  const gpu = dawn.create(dawnFlags(env));
  let adapter: DawnAdapter | null = null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (err) {
    return { ok: false, missing: 'adapter', reason: `Dawn found no adapter: ${(err as Error).message.split('\n')[0]}` };
  }
  if (!adapter) return { ok: false, missing: 'adapter', reason: `no GPU adapter: Dawn accepted none of the Vulkan drivers (${drivers.join(', ')})` };
  const summary = summarise(adapter);
  if (summary.fallback && !softwareGpuAllowed(env)) {
    return { ok: false, missing: 'hardware adapter', reason: `only a software adapter: ${describeAdapter(summary)}; set SWEETSPOT_SOFTWARE_GPU=1 to use it (slow: for tests)` };
  }
  return { ok: true, opened: { adapter: summary, gpu, globals: dawn.globals } };
}

/** `openGpu` without keeping the instance: for the main thread's plan and for doctor. */
export async function probeGpu(env: NodeJS.ProcessEnv = process.env): Promise<GpuProbe> {
  const r = await openGpu(env);
  return r.ok ? { ok: true, adapter: r.opened.adapter } : r;
}
