/** Errors of the GP room, extending the project's hierarchy (src/errors.ts). */
import { SweetspotError } from '../errors.js';

/** Training data or options given to the GP broke a rule (shapes, finiteness, bounds). */
export class GPError extends SweetspotError {
  override readonly name: string = 'GPError';
}
