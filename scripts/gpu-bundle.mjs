#!/usr/bin/env node
/**
 * Packs what a GPU machine without network needs into one folder under 64 MiB:
 *
 *   npm run gpu:bundle -- OUT_DIR
 *
 * OUT_DIR gets node.gz (this Node binary), app.tar.gz (dist/, bin/, search-spaces/ and exactly the
 * node_modules files the GPU path loads: esbuild's metafile over the entry points lists them, so
 * the layout stays as it is here and no module is duplicated), dawn.node for linux-x64, the Vulkan
 * loader and glvnd .deb files from Debian when `apt-get download` can fetch them, and gpu-check.sh,
 * the one script to run there: it unpacks, puts the .deb libraries on LD_LIBRARY_PATH (dpkg -x into
 * the folder, no root needed), stops unless Dawn finds a hardware adapter, then runs bench:gpu.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { build } from 'esbuild';

const LIMIT = 64 * 1024 * 1024;
const out = resolve(process.argv[2] ?? 'gpu-bundle');
const repo = resolve(dirname(new URL(import.meta.url).pathname), '..');
const stage = join(out, 'app');
rmSync(out, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });

// 1. Which node_modules files the code loads: every module esbuild reaches from the entry points
//    (dynamic imports with a computed name are entries of their own).
const entries = [
  'dist/src/cli/main.js', 'dist/src/workers/worker.js', 'dist/src/objectives/compression/index.js', 'dist/src/objectives/compression/needs.js',
  'dist/src/engine/index.js', 'dist/src/engine/kernels/index.js', 'dist/bench/gpu.js', 'dist/bench/gpu-objective.js', 'dist/test/fixtures/gpu-child.js',
].map((f) => join(repo, f));
for (const f of entries) if (!existsSync(f)) throw new Error(`${f} missing: run npx tsc -p tsconfig.json first`);
const native = ['webgpu', 'better-sqlite3', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'esbuild', 'playwright-core', '@sparticuz/chromium'];
const result = await build({ entryPoints: entries, bundle: true, platform: 'node', format: 'esm', write: false, metafile: true, outdir: join(out, '.unused'), external: native, logLevel: 'error' });
const files = new Set(Object.keys(result.metafile.inputs).map((f) => resolve(repo, f)).filter((f) => f.includes(`${'/'}node_modules${'/'}`)));

// 2. Files no import names: package.json files (module resolution reads them), binaries and data.
const packageRoot = (file) => {
  const at = file.lastIndexOf('/node_modules/') + '/node_modules/'.length;
  const parts = file.slice(at).split('/');
  return file.slice(0, at) + (parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]);
};
const packageRoots = new Set([...files].map(packageRoot));
const nm = join(repo, 'node_modules');
const addTree = (dir, test = () => true) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) addTree(p, test);
    else if (test(p)) files.add(p);
  }
};
for (const root of packageRoots) files.add(join(root, 'package.json'));
for (const pkg of ['webgpu', 'better-sqlite3', 'bindings', 'file-uri-to-path']) files.add(join(nm, pkg, 'package.json'));
files.add(join(nm, 'webgpu', 'index.js'));
files.add(join(nm, 'webgpu', 'dist', 'linux-x64', 'dawn.node'));
addTree(join(nm, 'better-sqlite3', 'lib'));
files.add(join(nm, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'));
for (const pkg of ['bindings', 'file-uri-to-path']) addTree(join(nm, pkg), (p) => p.endsWith('.js'));
addTree(join(nm, '@tensorflow', 'tfjs-backend-wasm', 'dist'), (p) => p.endsWith('.wasm'));
addTree(join(nm, 'mnist', 'src', 'digits'));
addTree(join(nm, 'piscina', 'dist'), (p) => p.endsWith('.js')); // its worker entry is loaded by path
files.add(join(nm, 'mnist', 'package.json'));
for (const f of files) {
  const to = join(stage, relative(repo, f));
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(f, to);
}
for (const dir of ['dist', 'bin', 'search-spaces']) cpSync(join(repo, dir), join(stage, dir), { recursive: true, filter: (p) => !p.endsWith('.map') });
copyFileSync(join(repo, 'package.json'), join(stage, 'package.json'));

// 3. Compress the app and Node; fetch the Vulkan loader and glvnd .debs when apt can.
execFileSync('tar', ['-czf', join(out, 'app.tar.gz'), '-C', out, 'app']);
rmSync(stage, { recursive: true, force: true });
execFileSync('sh', ['-c', `gzip -9 -c "${process.execPath}" > "${join(out, 'node.gz')}"`]);
mkdirSync(join(out, 'debs'));
const debs = ['libvulkan1', 'libglvnd0', 'libgl1', 'libglx0', 'libegl1', 'libopengl0', 'libgles2'];
const apt = spawnSync('apt-get', ['download', ...debs], { cwd: join(out, 'debs'), encoding: 'utf8' });
const debNote = apt.status === 0 ? `${readdirSync(join(out, 'debs')).length} .deb files` : `no .deb files (apt-get download failed: ${(apt.stderr || String(apt.error)).trim().split('\n').pop()}); the GPU machine then needs ${debs.join(' ')} installed`;

writeFileSync(join(out, 'gpu-check.sh'), `#!/bin/sh
# Run on the GPU machine, inside this folder. Stops (exit 3) unless Dawn finds a hardware adapter.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
[ -x node ] || { gunzip -c node.gz > node && chmod +x node; }
[ -d app ] || tar -xzf app.tar.gz
mkdir -p sysroot
for f in debs/*.deb; do [ -e "$f" ] && dpkg -x "$f" sysroot; done
export LD_LIBRARY_PATH="$here/sysroot/usr/lib/x86_64-linux-gnu\${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
if [ -z "\${VK_DRIVER_FILES:-}" ]; then
  for icd in /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json; do
    [ -f "$icd" ] && { export VK_DRIVER_FILES="$icd"; break; }
  done
fi
export PATH="$here:$PATH"
cd app
unset SWEETSPOT_SOFTWARE_GPU
../node bin/sweetspot.js doctor --json > ../doctor.json || true
../node -e '
const t = require("fs").readFileSync("../doctor.json", "utf8");
const d = JSON.parse(t.slice(t.indexOf("{"), t.lastIndexOf("}") + 1));
if (!d.gpu.adapter || d.gpu.adapter.fallback) { console.error("no hardware GPU adapter: " + (d.gpu.reason || "software adapter only")); process.exit(3); }
console.log("adapter: " + JSON.stringify(d.gpu.adapter));
'
../node dist/bench/gpu.js "$@"
cp reports/bench/gpu.md "$here/gpu.md"
`);
chmodSync(join(out, 'gpu-check.sh'), 0o755);

let total = 0;
const sizes = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else { total += statSync(p).size; sizes.push(`${(statSync(p).size / 2 ** 20).toFixed(1).padStart(6)} MiB  ${relative(out, p)}`); }
  }
};
rmSync(join(out, '.unused'), { recursive: true, force: true });
walk(out);
process.stdout.write(`${sizes.join('\n')}\n${(total / 2 ** 20).toFixed(1)} MiB in ${out} (${debNote})\n`);
if (total > LIMIT) {
  process.stderr.write(`gpu:bundle: ${out} is ${(total / 2 ** 20).toFixed(1)} MiB, over the 64 MiB limit\n`);
  process.exit(1);
}
