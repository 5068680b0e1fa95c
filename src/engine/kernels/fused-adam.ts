/**
 * Adam with one pass per variable, for small networks on the wasm backend.
 *
 * tfjs's AdamOptimizer issues about a dozen elementwise kernels per variable per step (moment
 * updates, bias corrections, square root, division, assignment), each a separate pass over the
 * weights plus the engine's per-kernel bookkeeping, a large share of kernel time on small networks
 * (docs/compression.md). This optimizer keeps the moments as JavaScript Float32Arrays and updates
 * moments and weights in one loop per variable, then assigns the new weights as a fresh tensor
 * (never writing into a variable's memory in place: the wasm backend caches XNNPACK operators
 * with packed weights by tensor id, and an in-place write would leave them stale).
 *
 * Same update as tf.train.adam:
 *   m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²,  w ← w − lr · (m / (1−β1ᵗ)) / (√(v / (1−β2ᵗ)) + ε)
 * Works on any backend (it reads gradients with dataSync); it pays off where kernels are cheap
 * and numerous, i.e. wasm.
 */
import * as tf from '@tensorflow/tfjs';
import { SweetspotError } from '../../errors.js';

/** tfjs's NamedTensor (not re-exported by @tensorflow/tfjs). */
type NamedTensor = { name: string; tensor: tf.Tensor };

export interface FusedAdamConfig {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

export class FusedAdamOptimizer extends tf.Optimizer {
  static readonly className = 'FusedAdam';
  readonly config: FusedAdamConfig;
  private readonly moments = new Map<string, { m: Float32Array; v: Float32Array }>();
  private step = 0;

  constructor(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7) {
    super();
    if (!(learningRate > 0 && Number.isFinite(learningRate))) throw new SweetspotError(`FusedAdam learningRate must be a finite number > 0, got ${learningRate}`);
    if (!(beta1 >= 0 && beta1 < 1)) throw new SweetspotError(`FusedAdam beta1 must be in [0, 1), got ${beta1}`);
    if (!(beta2 >= 0 && beta2 < 1)) throw new SweetspotError(`FusedAdam beta2 must be in [0, 1), got ${beta2}`);
    if (!(epsilon > 0)) throw new SweetspotError(`FusedAdam epsilon must be > 0, got ${epsilon}`);
    this.config = { learningRate, beta1, beta2, epsilon };
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const pairs = Array.isArray(variableGradients)
      ? variableGradients.map((g) => [g.name, g.tensor] as const)
      : Object.entries(variableGradients);
    const { learningRate: lr, beta1, beta2, epsilon } = this.config;
    this.step += 1;
    const c1 = 1 - beta1 ** this.step;
    const c2 = 1 - beta2 ** this.step;
    const registered = tf.engine().registeredVariables;
    for (const [name, grad] of pairs) {
      const variable = registered[name];
      if (variable === undefined || grad === undefined || grad === null) continue;
      const g = grad.dataSync() as Float32Array;
      const w = variable.dataSync() as Float32Array; // a copy on wasm and cpu alike
      let state = this.moments.get(name);
      if (state === undefined || state.m.length !== w.length) {
        state = { m: new Float32Array(w.length), v: new Float32Array(w.length) };
        this.moments.set(name, state);
      }
      const { m, v } = state;
      for (let i = 0; i < w.length; i++) {
        const gi = g[i]!;
        const mi = beta1 * m[i]! + (1 - beta1) * gi;
        const vi = beta2 * v[i]! + (1 - beta2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        w[i] = w[i]! - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + epsilon);
      }
      tf.tidy(() => variable.assign(tf.tensor(w, variable.shape, 'float32')));
    }
    this.incrementIterations();
  }

  override dispose(): void {
    this.moments.clear();
  }

  override async getWeights(): Promise<NamedTensor[]> {
    const out: NamedTensor[] = [await this.saveIterations()];
    for (const [name, { m, v }] of this.moments) {
      out.push({ name: `${name}/m`, tensor: tf.tensor(m) }, { name: `${name}/v`, tensor: tf.tensor(v) });
    }
    return out;
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    this.step = this.iterations;
    this.moments.clear();
    for (const { name, tensor } of rest) {
      const base = name.replace(/\/[mv]$/, '');
      const state = this.moments.get(base) ?? { m: new Float32Array(tensor.size), v: new Float32Array(tensor.size) };
      (name.endsWith('/m') ? state.m : state.v).set(tensor.dataSync() as Float32Array);
      this.moments.set(base, state);
    }
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...this.config };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
    return new (cls as unknown as new (...a: number[]) => T)(config['learningRate'] as number, config['beta1'] as number, config['beta2'] as number, config['epsilon'] as number);
  }
}

/** Adam with tf.train.adam's defaults (lr 0.001, β1 0.9, β2 0.999, ε 1e-7), one pass per variable per step. */
export function fusedAdam(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7): FusedAdamOptimizer {
  return new FusedAdamOptimizer(learningRate, beta1, beta2, epsilon);
}
