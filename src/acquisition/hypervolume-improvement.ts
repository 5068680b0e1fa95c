/**
 * Hypervolume improvement (minimization) of one point over a front, the integrand of Monte-Carlo
 * EHVI. The hypervolume itself comes from src/pareto (exact for every m).
 */
import { hypervolumeExact } from '../pareto/index.js';

/** Hypervolume improvement of adding y (length m) to `front` (`k × m`) up to `ref` (length m). */
export function hypervolumeImprovement(y: readonly number[], front: readonly (readonly number[])[], ref: readonly number[]): number {
  let box = 1;
  for (let j = 0; j < ref.length; j++) {
    const side = ref[j]! - y[j]!;
    if (side <= 0) return 0;
    box *= side;
  }
  // The part of y's box already dominated is the hypervolume of the front clipped to y's box.
  const clipped = front.map((p) => p.map((v, j) => Math.max(v, y[j]!)));
  return box - hypervolumeExact(clipped, ref);
}
