/** Backend selection: auto's order, one backend per thread, thread limits, doctor's diagnosis. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AUTO_ORDER, BACKEND_CHAIN, diagnoseBackends, loadBackend, maxThreadsFor, nativeBindingPresent, parseBackendRequest, predictBackend, predictCpuBackend } from '../../src/engine/backends.js';

const require = createRequire(import.meta.url);
const installed = (pkg: string) => {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
};
const nativeInstalled = installed('@tensorflow/tfjs-node') || installed('@tensorflow/tfjs-node-gpu');

test('parseBackendRequest accepts the six names and rejects others by name', () => {
  for (const b of ['auto', 'tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu']) assert.is(parseBackendRequest(b), b);
  assert.is(parseBackendRequest(undefined), 'auto');
  assert.throws(() => parseBackendRequest('gpu'), /backend must be one of auto, tensorflow-gpu, webgpu, tensorflow, wasm, cpu, got "gpu"/);
});

test('the chain: tensorflow-gpu, webgpu, tensorflow, wasm, cpu; inside a thread auto never picks webgpu', () => {
  assert.equal([...BACKEND_CHAIN], ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu']);
  assert.equal([...AUTO_ORDER], ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']);
});

test('a native package counts only with its binding built: require.resolve alone is not trusted', async () => {
  // None is installed here, so neither counts, and the CPU prediction is wasm.
  if (!nativeInstalled) {
    assert.not.ok(nativeBindingPresent('tensorflow'));
    assert.not.ok(nativeBindingPresent('tensorflow-gpu'));
    assert.is(predictCpuBackend(), 'wasm');
  }
  assert.is(await predictBackend('cpu'), 'cpu', 'a named backend is taken as asked');
});

test('an installed native package without its built binding does not count; with binding and libtensorflow it does', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sweetspot-native-'));
  try {
    const pkg = join(dir, 'node_modules', '@tensorflow', 'tfjs-node-gpu');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-node-gpu', main: 'index.js' }));
    writeFileSync(join(pkg, 'index.js'), '');
    const from = pathToFileURL(join(dir, 'probe.js')).href;
    assert.not.ok(nativeBindingPresent('tensorflow-gpu', from), 'resolves, but the install script never built the binding');
    mkdirSync(join(pkg, 'lib', 'napi-v8'), { recursive: true });
    writeFileSync(join(pkg, 'lib', 'napi-v8', 'tfjs_binding.node'), '');
    assert.not.ok(nativeBindingPresent('tensorflow-gpu', from), 'binding without libtensorflow');
    mkdirSync(join(pkg, 'deps', 'lib'), { recursive: true });
    writeFileSync(join(pkg, 'deps', 'lib', 'libtensorflow.so.2'), '');
    assert.ok(nativeBindingPresent('tensorflow-gpu', from));
    assert.not.ok(nativeBindingPresent('tensorflow', from), 'the CPU package is another one');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('maxThreadsFor: native TensorFlow one thread per process (tfjs issue 8388), wasm/cpu one per core', () => {
  assert.is(maxThreadsFor('tensorflow'), 1);
  assert.is(maxThreadsFor('tensorflow-gpu'), 1);
  assert.ok(maxThreadsFor('wasm') >= 1);
  assert.is(maxThreadsFor('cpu'), maxThreadsFor('wasm'));
});

test('auto picks the first that loads; a thread keeps its backend', async () => {
  const b = await loadBackend('auto');
  assert.is(b.backend, predictCpuBackend());
  if (!nativeInstalled) assert.is(b.backend, 'wasm', 'without the native packages auto falls back to wasm');
  assert.is(b.tf.getBackend(), b.backend);
  assert.is((await loadBackend(b.backend)).backend, b.backend);
  const other = b.backend === 'cpu' ? 'wasm' : 'cpu';
  await loadBackend(other).then(
    () => assert.unreachable('a second backend in the same thread must be refused'),
    (err: Error) => assert.match(err.message, new RegExp(`already uses backend ${b.backend}.*request for ${other}`)),
  );
  if (b.backend === 'wasm') {
    // src/engine/kernels supplies the CNN training kernels wasm lacks.
    assert.ok(b.extraKernels.includes('Conv2DBackpropFilter'), `registered: ${b.extraKernels.join(', ')}`);
  }
});

test('diagnoseBackends: one line per backend, with the reason when it does not load', async () => {
  const d = await diagnoseBackends();
  assert.equal(d.map((x) => x.name), [...BACKEND_CHAIN]);
  const byName = Object.fromEntries(d.map((x) => [x.name, x]));
  assert.ok(byName.wasm!.available, byName.wasm!.detail);
  assert.ok(byName.cpu!.available, byName.cpu!.detail);
  if (!installed('@tensorflow/tfjs-node')) {
    assert.not.ok(byName.tensorflow!.available);
    assert.match(byName.tensorflow!.detail, /@tensorflow\/tfjs-node is not installed \(npm install @tensorflow\/tfjs-node\)/);
  }
  if (!installed('@tensorflow/tfjs-node-gpu')) assert.match(byName['tensorflow-gpu']!.detail, /tfjs-node-gpu is not installed/);
  const chosen = await loadBackend('auto');
  assert.is(chosen.tf.getBackend(), chosen.backend, 'the thread keeps its backend after a diagnosis');
});

test.run();
