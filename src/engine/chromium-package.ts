/**
 * Binaries from the npm package @sparticuz/chromium (a devDependency, pinned at 147.0.0, the last
 * version that runs on Node 20): a headless Chromium for the report's browser tests, the NSS and
 * expat libraries it needs, and SwiftShader's software Vulkan driver for the GPU tests. They are
 * unpacked (brotli, then tar) into node_modules/.cache, never into the system temp folder where
 * the package's own loader would reuse whatever binary is already there. Unpacking goes into a
 * private folder renamed into place, so test files running in parallel never see half a folder.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { brotliDecompressSync } from 'node:zlib';
import { SweetspotError } from '../errors.js';
import { extractTar } from './untar.js';

export const CHROMIUM_PACKAGE = '@sparticuz/chromium';

/** The package's folder, or undefined when it is not installed. */
export function chromiumPackageDir(): string | undefined {
  try {
    const main = createRequire(import.meta.url).resolve(CHROMIUM_PACKAGE);
    // The entry point lies in build/cjs (which has a package.json of its own): climb to the folder with bin/.
    for (let dir = dirname(main); dirname(dir) !== dir; dir = dirname(dir)) {
      if (existsSync(join(dir, 'bin')) && existsSync(join(dir, 'package.json'))) return dir;
    }
    return undefined;
  } catch {
    return undefined;
  }
}

/** Archives of the package this module knows how to unpack. */
export type PackagedArchive = 'chromium' | 'al2023' | 'swiftshader';

/**
 * The folder holding `archive` unpacked (unpacking it once per package version): `chromium`
 * gives a folder with the `chromium` executable, `al2023` one with `lib/`, `swiftshader` one with
 * libvulkan.so.1, libvk_swiftshader.so and vk_swiftshader_icd.json. Throws when the package is missing.
 */
export function unpackedArchive(archive: PackagedArchive): string {
  const pkg = chromiumPackageDir();
  if (!pkg) throw new SweetspotError(`${CHROMIUM_PACKAGE} is not installed (npm install --save-dev ${CHROMIUM_PACKAGE}@147.0.0)`);
  const version = (JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string }).version;
  // <node_modules>/@sparticuz/chromium → <node_modules>/.cache/sweetspot-chromium-<version>/<archive>
  const target = join(dirname(dirname(pkg)), '.cache', `sweetspot-chromium-${version}`, archive);
  if (existsSync(target)) return target;
  const source = join(pkg, 'bin', archive === 'chromium' ? 'chromium.br' : `${archive}.tar.br`);
  const staging = `${target}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  mkdirSync(staging, { recursive: true });
  try {
    const data = brotliDecompressSync(readFileSync(source));
    if (archive === 'chromium') {
      writeFileSync(join(staging, 'chromium'), data);
      chmodSync(join(staging, 'chromium'), 0o755);
    } else {
      extractTar(data, staging, source);
    }
    try {
      renameSync(staging, target);
    } catch (err) {
      // Another process finished first: its folder is complete, use it.
      if (!existsSync(target)) throw err;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return target;
}
