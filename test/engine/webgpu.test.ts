/**
 * GPU trials without a GPU: every test runs a child process on SwiftShader (the software Vulkan
 * driver from the devDependency @sparticuz/chromium), since the Vulkan loader reads its
 * environment when a process starts. Selection and each fallback (no loader, no driver, no
 * adapter, software adapter refused unless allowed), doctor, webgpu against cpu on the first
 * steps of a small CNN, two GPU workers at once in one pool, and a 2-trial study through the CLI.
 * SwiftShader is slow: tiny networks, few steps.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findVulkanLoader, softwareGpuEnv } from '../../src/engine/index.js';
import { tempDir } from '../study/helpers.js';

const CHILD = fileURLToPath(new URL('../fixtures/gpu-child.js', import.meta.url));
const BIN = fileURLToPath(new URL('../../../bin/sweetspot.js', import.meta.url));

/** This process's environment without anything that points Vulkan or sweetspot at a GPU. */
function plainEnv(): Record<string, string> {
  const drop = new Set(['LD_LIBRARY_PATH', 'VK_DRIVER_FILES', 'VK_ICD_FILENAMES', 'SWEETSPOT_SOFTWARE_GPU', 'SWEETSPOT_GPU_ADAPTER']);
  return Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && !drop.has(e[0])));
}
const software = (): Record<string, string> => ({ ...plainEnv(), ...softwareGpuEnv(plainEnv()) });
const withoutPermission = (): Record<string, string> => {
  const { SWEETSPOT_SOFTWARE_GPU: _, ...env } = software();
  return env;
};

function run(file: string, args: string[], env: Record<string, string>, cwd?: string) {
  const r = spawnSync(process.execPath, [file, ...args], { encoding: 'utf8', env, timeout: 180_000, ...(cwd ? { cwd } : {}) });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
function child(args: string[], env: Record<string, string>) {
  const r = run(CHILD, args, env);
  assert.is(r.code, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

test('no Vulkan loader: the probe says so and auto plans no GPU workers', () => {
  if (findVulkanLoader(plainEnv())) return console.log('  (this machine has a Vulkan loader installed: the no-loader case is not reachable here)');
  const r = child(['probe'], { ...plainEnv(), SWEETSPOT_SOFTWARE_GPU: '1' });
  assert.is(r.probe.missing, 'loader');
  assert.match(r.probe.reason, /libvulkan\.so\.1 not found/);
  assert.equal(r.auto, { workers: 2, gpuWorkers: 0 });
  assert.match(r.webgpu.error, /^backend webgpu: no Vulkan loader/);
});

test('a loader but no driver, then a driver Dawn cannot use: each named', () => {
  const noDriver = child(['probe'], { ...software(), VK_DRIVER_FILES: '/nonexistent/icd.json' });
  assert.is(noDriver.probe.missing, 'driver');
  assert.match(noDriver.webgpu.error, /no Vulkan driver/);
  const dir = tempDir();
  const icd = join(dir, 'broken_icd.json');
  writeFileSync(icd, JSON.stringify({ file_format_version: '1.0.0', ICD: { library_path: './missing_driver.so', api_version: '1.1.0' } }));
  const noAdapter = child(['probe'], { ...software(), VK_DRIVER_FILES: icd });
  assert.is(noAdapter.probe.missing, 'adapter');
  assert.match(noAdapter.probe.reason, /no GPU adapter: Dawn accepted none of the Vulkan drivers .*broken_icd\.json/);
});

test('the software adapter is refused unless SWEETSPOT_SOFTWARE_GPU=1, then GPU workers are planned', () => {
  const refused = child(['probe'], withoutPermission());
  assert.is(refused.probe.missing, 'hardware adapter');
  assert.match(refused.probe.reason, /only a software adapter: SwiftShader.*set SWEETSPOT_SOFTWARE_GPU=1/);
  assert.equal(refused.auto, { workers: 2, gpuWorkers: 0 }, 'auto keeps the CPU path unchanged');
  const allowed = child(['probe'], software());
  assert.equal(allowed.probe.adapter, { vendor: 'google', architecture: 'swiftshader', description: allowed.probe.adapter.description, fallback: true });
  assert.match(allowed.probe.adapter.description, /SwiftShader/);
  assert.is(allowed.auto.workers, 2, 'auto: CPU workers stay');
  assert.is(allowed.auto.gpuWorkers, 2, 'auto: GPU workers beside them');
  assert.equal({ workers: allowed.webgpu.workers, gpuWorkers: allowed.webgpu.gpuWorkers }, { workers: 0, gpuWorkers: 2 }, 'backend webgpu: every worker on the GPU');
});

test('doctor prints the adapter, or the reason there is none', () => {
  const withGpu = run(BIN, ['doctor'], { ...plainEnv(), SWEETSPOT_SOFTWARE_GPU: '1' });
  assert.is(withGpu.code, 0, withGpu.stderr);
  assert.match(withGpu.stdout, /--backend auto picks: webgpu/);
  assert.match(withGpu.stdout, /GPU adapter: SwiftShader driver [\d.]+ \(google swiftshader, software\)/);
  assert.match(withGpu.stdout, /webgpu\s+yes\s+tfjs [\d.]+; trains MLPs and CNNs; GPU workers on SwiftShader/);
  const without = run(BIN, ['doctor', '--json'], withoutPermission());
  assert.is(without.code, 0, without.stderr);
  const report = JSON.parse(without.stdout.slice(without.stdout.indexOf('{'), without.stdout.lastIndexOf('}') + 1));
  assert.is(report.gpu.missing, 'hardware adapter');
  assert.is(report.auto, 'wasm');
  assert.not.ok(report.backends.find((b: { name: string }) => b.name === 'webgpu').available);
});

test('the first steps of a small CNN training: webgpu matches cpu to 1e-4', () => {
  const gpu = child(['steps', 'webgpu'], software());
  const cpu = child(['steps', 'cpu'], plainEnv());
  assert.is(gpu.backend, 'webgpu');
  assert.is(cpu.backend, 'cpu');
  let worst = 0;
  (gpu.weights as number[][]).forEach((w, i) => w.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - cpu.weights[i][j])))));
  assert.ok(worst < 1e-4, `max |webgpu - cpu| over the weights = ${worst}`);
  assert.ok(Math.abs(gpu.loss - cpu.loss) < 1e-4, `loss ${gpu.loss} vs ${cpu.loss}`);
});

test('a whole tiny compression trial (teacher, distillation, pruning, 4 bits): webgpu matches cpu to 1e-4', () => {
  const gpu = child(['trial', 'webgpu'], software());
  const cpu = child(['trial', 'cpu'], plainEnv());
  assert.is(gpu.backend, 'webgpu');
  assert.match(gpu.device, /SwiftShader/);
  for (const metric of ['loss', 'accuracy', 'teacher_accuracy', 'sparsity']) {
    assert.ok(Math.abs(gpu[metric] - cpu[metric]) < 1e-4, `${metric}: webgpu ${gpu[metric]} vs cpu ${cpu[metric]}`);
  }
  for (const metric of ['size_bits', 'nonzero_params', 'params', 'macs']) assert.is(gpu[metric], cpu[metric], metric);
});

test('two GPU workers at once in one pool, each on its own thread and device', () => {
  const r = child(['pool'], software());
  assert.is(r.slots, 2);
  const [a, b] = r.outcomes.map((o: { ok: boolean; output: Record<string, number | string>; error?: string }) => {
    assert.ok(o.ok, o.error);
    return o.output;
  });
  assert.is(a.backend, 'webgpu');
  assert.is(b.backend, 'webgpu');
  assert.match(String(a.device), /SwiftShader/);
  assert.is.not(a.thread, b.thread, 'two threads');
  assert.ok(a.started < b.finished && b.started < a.finished, 'the two trials overlapped');
});

test('a 2-trial study through the CLI with --backend webgpu; without a usable GPU it is refused before the study exists', () => {
  const dir = tempDir();
  const space = join(dir, 'tiny.yaml');
  writeFileSync(
    space,
    [
      'name: tiny-gpu',
      'objective:',
      '  builtin: compression',
      '  options: { family: cnn, depth: 1, epochs: 1, trainSamples: 32, testSamples: 16, batchSize: 16, pruneEpochs: 0, temperature: 1, latencyBatch: 4, latencyRepeats: 1 }',
      'params:',
      '  width: { type: int, low: 2, high: 3 }',
      '  pruning: { type: float, low: 0.0, high: 0.5 }',
      'metrics: { accuracy: maximize, size_bits: minimize }',
      'budget: { trials: 2, workers: 2 }',
      'sampler: { name: random }',
      'seed: 3',
    ].join('\n'),
  );
  const refusedDb = join(dir, 'refused.db');
  const refused = run(BIN, ['run', space, '--backend', 'webgpu', '--storage', refusedDb, '--no-report'], withoutPermission(), dir);
  assert.is.not(refused.code, 0);
  assert.match(refused.stderr.trim(), /^sweetspot: backend webgpu: only a software adapter: SwiftShader[^\n]*$/);
  assert.not.ok(existsSync(refusedDb), 'nothing written');

  const db = join(dir, 'gpu.db');
  const ok = run(BIN, ['run', space, '--backend', 'webgpu', '--storage', db, '--no-report'], { ...plainEnv(), SWEETSPOT_SOFTWARE_GPU: '1' }, dir);
  assert.is(ok.code, 0, ok.stderr);
  assert.match(ok.stderr, /0 workers \+ 2 GPU workers on SwiftShader/);
  const trials = JSON.parse(run(BIN, ['trials', 'tiny-gpu', '--storage', db, '--json'], plainEnv(), dir).stdout) as { state: string; attrs: Record<string, string> }[];
  assert.equal(trials.map((t) => t.state), ['complete', 'complete']);
  for (const t of trials) {
    assert.is(t.attrs.backend, 'webgpu');
    assert.match(t.attrs.device, /SwiftShader driver [\d.]+ \(google swiftshader, software\)/);
  }
});

test.run();
