/**
 * Pruner registry: a factory for every name in space's PRUNER_NAMES (the type checker holds the
 * two together), so the space file, `--pruner` and this room share one list. Options arrive
 * validated, with defaults filled, from the space schema.
 */
import type { PrunerConfig, PrunerName } from '../space/index.js';
import type { Pruner, PrunerFactory, PrunerOptions } from '../study/index.js';
import { AshaPruner } from './asha.js';
import { HyperbandPruner } from './hyperband.js';
import { MedianPruner } from './median.js';
import { NonePruner } from './none.js';

type ConfigOf<N extends PrunerName> = Extract<PrunerConfig, { name: N }>;
const as = <N extends PrunerName>(config: PrunerConfig, name: N): ConfigOf<N> => config as ConfigOf<N>;

const FACTORIES: Readonly<Record<PrunerName, PrunerFactory>> = {
  none: () => new NonePruner(),
  asha: ({ space, config }) => new AshaPruner(space, as(config, 'asha')),
  hyperband: ({ space, config }) => new HyperbandPruner(space, as(config, 'hyperband')),
  median: ({ space, config }) => new MedianPruner(space, as(config, 'median')),
};

/** The pruner a space's `pruner:` block names. */
export function createPruner(options: PrunerOptions): Pruner {
  return FACTORIES[options.config.name](options);
}
