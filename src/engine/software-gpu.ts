/**
 * SwiftShader, Google's software Vulkan driver, as a GPU for tests and CI: it comes in the
 * devDependency @sparticuz/chromium (bin/swiftshader.tar.br: libvulkan.so.1, libvk_swiftshader.so,
 * vk_swiftshader_icd.json). The Vulkan loader is found through LD_LIBRARY_PATH, which the dynamic
 * linker reads when the process starts, so a process that wants it is started with this
 * environment: a test's child process, or the CLI relaunching itself once under
 * SWEETSPOT_SOFTWARE_GPU=1.
 */
import { spawn } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { chromiumPackageDir, unpackedArchive } from './chromium-package.js';

/** Environment additions that make Dawn find SwiftShader (unpacking it on first use). */
export function softwareGpuEnv(base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const dir = unpackedArchive('swiftshader');
  return {
    LD_LIBRARY_PATH: [dir, base.LD_LIBRARY_PATH].filter(Boolean).join(delimiter),
    VK_DRIVER_FILES: join(dir, 'vk_swiftshader_icd.json'),
    SWEETSPOT_SOFTWARE_GPU: '1',
  };
}

/** Whether this process was started with SwiftShader set up (so no relaunch is needed). */
export function softwareGpuReady(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.VK_DRIVER_FILES?.endsWith(join('swiftshader', 'vk_swiftshader_icd.json')) ?? false;
}

/**
 * For the CLI entry: under SWEETSPOT_SOFTWARE_GPU=1 with @sparticuz/chromium installed and the
 * environment not yet set up, run the same command again in a child process with it, forwarding
 * SIGTERM, and resolve to its exit code. Otherwise resolve to undefined: carry on in this process.
 */
export async function relaunchWithSoftwareGpu(argv: readonly string[]): Promise<number | undefined> {
  if (process.env.SWEETSPOT_SOFTWARE_GPU !== '1' || softwareGpuReady() || !chromiumPackageDir()) return undefined;
  const env = { ...process.env, ...softwareGpuEnv() };
  const child = spawn(process.execPath, [...process.execArgv, ...argv], { env, stdio: 'inherit' });
  // Ctrl-C reaches the child from the terminal itself (same process group): only keep this
  // process alive for it. A SIGTERM sent to this process is passed on.
  const handlers = [['SIGINT', () => undefined], ['SIGTERM', () => child.kill('SIGTERM')]] as const;
  for (const [s, h] of handlers) process.on(s, h);
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      for (const [s, h] of handlers) process.off(s, h);
      resolve(code ?? (signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 1));
    });
  });
}
