/**
 * sweetspot's wasm training kernels against tfjs's cpu backend: every registered kernel's result
 * (and the gradients that use it) on random shapes — stride 1 and 2, 'same' and 'valid', several
 * channels, batch > 1 — to 1e-4 of the cpu's largest magnitude, then short training runs whose
 * loss must fall and whose weights must track the cpu backend's step for step.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../src/math/index.js';
import { fusedAdam, registerWasmKernels, WASM_KERNEL_NAMES } from '../../src/engine/kernels/index.js';
import { IM2COL_MAX_CHANNELS } from '../../src/engine/kernels/conv2d-backprop-filter.js';
import { referenceDigits } from '../../src/objectives/compression/index.js';

type Backend = 'cpu' | 'wasm';
type Nested = number | Nested[];

// Seeded, so shapes and values are the same on every run.
const random = new Rng(20261128);
const rand = (): number => random.uniform();
const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
function values(shape: number[]): Float32Array {
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < out.length; i++) out[i] = rand() * 2 - 1;
  return out;
}

/** Runs `f` on each backend from the same plain arrays and returns the flattened results. */
async function onBoth(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: Array<[Float32Array, number[]]>): Promise<Record<Backend, Float32Array>> {
  const out = {} as Record<Backend, Float32Array>;
  for (const backend of ['cpu', 'wasm'] as const) {
    await tf.setBackend(backend);
    const xs = inputs.map(([v, s]) => tf.tensor(v, s));
    const y = f(...xs);
    out[backend] = (await y.data()) as Float32Array;
    tf.dispose([...xs, y]);
  }
  return out;
}

/** |wasm − cpu| ≤ 1e-4 · max(1, max|cpu|) elementwise. */
function assertClose(got: Record<Backend, Float32Array>, what: string): void {
  const { cpu, wasm } = got;
  assert.is(wasm.length, cpu.length, `${what}: length`);
  let scale = 1;
  for (const v of cpu) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  let at = -1;
  for (let i = 0; i < cpu.length; i++) {
    const d = Math.abs(wasm[i]! - cpu[i]!);
    if (!(d <= worst)) { worst = d; at = i; }
  }
  assert.ok(worst <= 1e-4 * scale, `${what}: max |wasm − cpu| = ${worst} at ${at} (cpu ${cpu[at]}, wasm ${wasm[at]}), allowed ${1e-4 * scale}`);
}

const setup = suite('registration');

setup.before(async () => {
  registerWasmKernels();
  await tf.setBackend('wasm');
  await tf.ready();
});

setup('registerWasmKernels names its kernels, registers them for wasm, and is idempotent', () => {
  const first = registerWasmKernels();
  const second = registerWasmKernels();
  assert.equal(first, [...WASM_KERNEL_NAMES]);
  assert.equal(second, first);
  for (const name of first) assert.ok(tf.getKernel(name, 'wasm'), `${name} registered for wasm`);
  assert.ok(first.includes('Conv2DBackpropFilter'));
});

setup.run();

const grads = suite('gradients against the cpu backend');

interface ConvCase { n: number; h: number; w: number; ci: number; co: number; k: number; s: number; pad: 'same' | 'valid' }

function convCases(): ConvCase[] {
  // Fixed cases pin both Conv2DBackpropFilter formulations (im2col below IM2COL_MAX_CHANNELS input
  // channels, convolution above) with both strides and paddings; random ones add variety.
  const fixed: ConvCase[] = [
    { n: 3, h: 12, w: 12, ci: 1, co: 6, k: 3, s: 1, pad: 'valid' },
    { n: 2, h: 9, w: 11, ci: 2, co: 5, k: 3, s: 2, pad: 'same' },
    { n: 2, h: 10, w: 9, ci: IM2COL_MAX_CHANNELS + 2, co: 4, k: 3, s: 2, pad: 'valid' },
    { n: 4, h: 7, w: 7, ci: 8, co: 16, k: 3, s: 1, pad: 'same' },
    { n: 2, h: 8, w: 8, ci: 5, co: 3, k: 2, s: 2, pad: 'same' },
  ];
  const random: ConvCase[] = Array.from({ length: 8 }, () => {
    const k = int(1, 4);
    return { n: int(2, 4), h: int(k + 2, 12), w: int(k + 2, 12), ci: int(1, 9), co: int(1, 9), k, s: int(1, 2), pad: pick(['same', 'valid'] as const) };
  });
  return [...fixed, ...random];
}

for (const c of convCases()) {
  const label = `n${c.n} ${c.h}×${c.w}×${c.ci}→${c.co} k${c.k} s${c.s} ${c.pad}`;
  grads(`conv2d filter and input gradients, ${label}`, async () => {
    const x: [Float32Array, number[]] = [values([c.n, c.h, c.w, c.ci]), [c.n, c.h, c.w, c.ci]];
    const f: [Float32Array, number[]] = [values([c.k, c.k, c.ci, c.co]), [c.k, c.k, c.ci, c.co]];
    const yShape = [...tf.backend_util.computeConv2DInfo([c.n, c.h, c.w, c.ci], [c.k, c.k, c.ci, c.co], c.s, 1, c.pad).outShape];
    const dy: [Float32Array, number[]] = [values(yShape), yShape];
    assertClose(await onBoth((xx, dyy) => tf.grad((ff: tf.Tensor) => tf.conv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, c.s, c.pad).mul(dyy!).sum())(tf.tensor(f[0], f[1])), [x, dy]), `dW ${label}`);
    assertClose(await onBoth((ff, dyy) => tf.grad((xx: tf.Tensor) => tf.conv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, c.s, c.pad).mul(dyy!).sum())(tf.tensor(x[0], x[1])), [f, dy]), `dX ${label}`);
  });
}

const poolCases: Array<{ n: number; h: number; w: number; c: number; size: number; s: number; pad: 'same' | 'valid' }> = [
  { n: 3, h: 8, w: 8, c: 5, size: 2, s: 2, pad: 'valid' },
  { n: 2, h: 9, w: 7, c: 3, size: 2, s: 2, pad: 'valid' },
  { n: 2, h: 7, w: 9, c: 4, size: 3, s: 1, pad: 'same' },
  { n: 2, h: 9, w: 9, c: 2, size: 3, s: 2, pad: 'valid' },
  { n: 3, h: 7, w: 6, c: 3, size: 2, s: 2, pad: 'same' },
];
for (const p of poolCases) {
  const label = `n${p.n} ${p.h}×${p.w}×${p.c} size ${p.size} s${p.s} ${p.pad}`;
  grads(`max-pool gradient, ${label}`, async () => {
    const x: [Float32Array, number[]] = [values([p.n, p.h, p.w, p.c]), [p.n, p.h, p.w, p.c]];
    const yShape = [...tf.backend_util.computePool2DInfo([p.n, p.h, p.w, p.c], p.size, p.s, 1, p.pad).outShape];
    const dy: [Float32Array, number[]] = [values(yShape), yShape];
    assertClose(await onBoth((xx, dyy) => tf.grad((z: tf.Tensor) => tf.maxPool(z as tf.Tensor4D, p.size, p.s, p.pad).mul(dyy!).sum())(xx!), [x, dy]), `pool ${label}`);
  });
}

grads('max-pool gradient with ties (ReLU zeros) goes to the same pixel as on cpu', async () => {
  const shape = [2, 6, 6, 3];
  const v = values(shape).map((a) => (a < 0.3 ? 0 : a));
  const dyShape = [2, 3, 3, 3];
  assertClose(await onBoth((xx, dyy) => tf.grad((z: tf.Tensor) => tf.maxPool(z as tf.Tensor4D, 2, 2, 'valid').mul(dyy!).sum())(xx!), [[v, shape], [values(dyShape), dyShape]]), 'pool ties');
});

for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
  grads(`matMul transposeA=${ta} transposeB=${tb}, and a batched product`, async () => {
    const [m, k, n] = [int(3, 40), int(3, 40), int(3, 40)];
    const aShape = ta ? [k, m] : [m, k];
    const bShape = tb ? [n, k] : [k, n];
    assertClose(await onBoth((a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, ta, tb), [[values(aShape), aShape], [values(bShape), bShape]]), `matMul ${m}×${k}×${n}`);
    const a3 = [3, ...aShape];
    const b3 = [3, ...bShape];
    assertClose(await onBoth((a, b) => tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D, ta, tb), [[values(a3), a3], [values(b3), b3]]), `batched matMul`);
  });
}

grads('sum over leading axes (bias gradients), with and without keepDims, and other axes', async () => {
  const shape = [4, 5, 6, 7];
  const x: [Float32Array, number[]] = [values(shape), shape];
  for (const [axis, keepDims] of [[[0, 1, 2], false], [[0, 1, 2], true], [0, false], [[1, 0], true], [[3], false], [[1, 2], false], [null, false]] as const) {
    const ax = axis === null ? undefined : (axis as number | number[]);
    assertClose(await onBoth((t) => tf.sum(t!, ax, keepDims), [x]), `sum axis ${JSON.stringify(axis)} keepDims ${keepDims}`);
  }
});

grads('gather of rows (batch selection), and gathers along other axes', async () => {
  const shape = [9, 4, 3];
  const x: [Float32Array, number[]] = [values(shape), shape];
  const rows = [8, 0, 3, 3, 5];
  assertClose(await onBoth((t) => tf.gather(t!, tf.tensor1d(rows, 'int32')), [x]), 'gather rows');
  assertClose(await onBoth((t) => tf.gather(t!, tf.tensor2d([1, 2, 0, 1], [2, 2], 'int32')), [x]), 'gather rows, 2-d indices');
  assertClose(await onBoth((t) => tf.gather(t!, tf.tensor1d([2, 0], 'int32'), 1), [x]), 'gather axis 1');
  await tf.setBackend('wasm');
  assert.throws(() => tf.gather(tf.tensor(x[0], x[1]), tf.tensor1d([9], 'int32')), /\[0, 8\]/);
});

grads.after(async () => {
  await tf.setBackend('wasm');
});

grads.run();

const training = suite('training with the kernels');



/**
 * A small CNN (conv 3×3×8, pool, conv 3×3×16, pool, dense 10); returns per-step losses and final
 * weights. SGD for comparisons across backends (Adam's first steps are ±lr whatever the
 * gradient's size, so a gradient that is 1e-9 on one backend and −1e-9 on the other would differ
 * by 2·lr), Adam for the learning check.
 */
async function train(backend: Backend, steps: number, batch: number, optimizer: 'sgd' | 'adam'): Promise<{ losses: number[]; weights: Float32Array[] }> {
  await tf.setBackend(backend);
  const data = referenceDigits(steps * batch > 320 ? 320 : steps * batch);
  const n = data.x.length / 784;
  const r7 = new Rng(7);
  const r = (): number => r7.uniform();
  const init = (shape: number[], fan: number): tf.Variable => {
    const v = new Float32Array(shape.reduce((a, b) => a * b, 1)).map(() => (r() * 2 - 1) * Math.sqrt(6 / fan));
    return tf.variable(tf.tensor(v, shape));
  };
  const w = [init([3, 3, 1, 8], 9), tf.variable(tf.zeros([8])), init([3, 3, 8, 16], 72), tf.variable(tf.zeros([16])), init([400, 10], 400), tf.variable(tf.zeros([10]))];
  const X = tf.tensor2d(data.x, [n, 784]);
  const Y = tf.tensor2d(data.y, [n, 10]);
  const opt = optimizer === 'adam' ? tf.train.adam(0.003) : tf.train.sgd(0.1);
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    const at = (s * batch) % n;
    const loss = opt.minimize(() => {
      const x = X.slice([at, 0], [batch, 784]).reshape([batch, 28, 28, 1]) as tf.Tensor4D;
      let h = tf.maxPool(tf.relu(tf.conv2d(x, w[0] as tf.Tensor4D, 1, 'valid').add(w[1]!)) as tf.Tensor4D, 2, 2, 'valid');
      h = tf.maxPool(tf.relu(tf.conv2d(h, w[2] as tf.Tensor4D, 1, 'valid').add(w[3]!)) as tf.Tensor4D, 2, 2, 'valid');
      const logits = tf.matMul(h.reshape([batch, 400]) as tf.Tensor2D, w[4] as tf.Tensor2D).add(w[5]!);
      return tf.losses.softmaxCrossEntropy(Y.slice([at, 0], [batch, 10]), logits) as tf.Scalar;
    }, true);
    losses.push((await loss!.data())[0]!);
    loss!.dispose();
  }
  const weights = await Promise.all(w.map(async (v) => (await v.data()) as Float32Array));
  tf.dispose([...w, X, Y]);
  opt.dispose();
  return { losses, weights };
}

training('a CNN trained with the wasm kernels tracks the cpu backend step for step', async () => {
  const steps = 4;
  const cpu = await train('cpu', steps, 16, 'sgd');
  const wasm = await train('wasm', steps, 16, 'sgd');
  for (let s = 0; s < steps; s++) assert.ok(Math.abs(cpu.losses[s]! - wasm.losses[s]!) < 1e-3, `step ${s}: loss cpu ${cpu.losses[s]} wasm ${wasm.losses[s]}`);
  wasm.weights.forEach((wv, i) => {
    assertClose({ cpu: cpu.weights[i]!, wasm: wv }, `weights ${i} after ${steps} SGD steps`);
  });
});

training('loss falls when training on the wasm kernels (weights are re-read after every update)', async () => {
  const { losses } = await train('wasm', 40, 32, 'adam');
  const head = losses.slice(0, 5).reduce((a, b) => a + b, 0) / 5;
  const tail = losses.slice(-5).reduce((a, b) => a + b, 0) / 5;
  assert.ok(tail < 0.5 * head, `mean loss of the last 5 steps ${tail.toFixed(3)} should be under half the first 5 (${head.toFixed(3)}); losses ${losses.map((l) => l.toFixed(2)).join(' ')}`);
});

training('fusedAdam takes the same steps as tf.train.adam', async () => {
  await tf.setBackend('wasm');
  const shapes = [[7, 5], [5], [3, 3, 2, 4]];
  const init = shapes.map((sh) => values(sh));
  const target = shapes.map((sh) => values(sh));
  const run = (opt: tf.Optimizer): Float32Array[] => {
    const vars = shapes.map((sh, i) => tf.variable(tf.tensor(init[i]!, sh)));
    const goal = shapes.map((sh, i) => tf.tensor(target[i]!, sh));
    for (let s = 0; s < 5; s++) {
      opt.minimize(() => tf.addN(vars.map((v, i) => v.sub(goal[i]!).square().mul(i + 1).sum())) as tf.Scalar);
    }
    const out = vars.map((v) => v.dataSync() as Float32Array);
    tf.dispose([...vars, ...goal]);
    opt.dispose();
    return out;
  };
  const ours = run(fusedAdam(0.05));
  const theirs = run(tf.train.adam(0.05));
  ours.forEach((w, i) => {
    assertClose({ cpu: theirs[i]!, wasm: w }, `variable ${i} after 5 steps`);
    assert.ok(Math.abs(w[0]! - init[i]![0]!) > 0.1, `variable ${i} moved (${init[i]![0]} → ${w[0]})`);
  });
});

training.run();
