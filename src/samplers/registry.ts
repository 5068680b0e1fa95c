/**
 * Sampler registry: space files and `--sampler` name a sampler; this maps the name to a factory.
 * Built-in samplers register in index.ts; a model-based sampler in its own file registers there too.
 */
import { UsageError } from '../errors.js';
import type { SamplerConfig, Space } from '../space/index.js';
import type { Sampler, SamplerFactory } from '../study/index.js';

const factories = new Map<string, SamplerFactory>();

/** Make `name` available to space files and `--sampler`; registering a name twice is an error. */
export function registerSampler(name: string, factory: SamplerFactory): void {
  if (factories.has(name)) throw new UsageError(`sampler '${name}' is registered already; each name is registered once`);
  factories.set(name, factory);
}

/** Names of the registered samplers, in registration order. */
export function availableSamplers(): string[] {
  return [...factories.keys()];
}

/** The sampler a space's `sampler:` block names, seeded with the study seed. */
export function createSampler(config: SamplerConfig, context: { readonly space: Space; readonly seed: number }): Sampler {
  const factory = factories.get(config.name);
  if (!factory) {
    throw new UsageError(`sampler '${config.name}' is not available; known: ${availableSamplers().join(', ')}`);
  }
  return factory({
    space: context.space,
    seed: context.seed,
    options: config.options,
    ...(config.initial === undefined ? {} : { initial: config.initial }),
  });
}
