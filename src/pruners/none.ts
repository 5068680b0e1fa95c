/** The pruner that never stops a trial (the default): every trial runs to its end. */
import type { Pruner } from '../study/index.js';

export class NonePruner implements Pruner {
  readonly name = 'none';
  prune(): string | null {
    return null;
  }
}
