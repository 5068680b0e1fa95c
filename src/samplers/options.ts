import { SpaceError } from '../errors.js';

/**
 * Reject options a sampler does not know, so that a typo in the space file's `sampler:` block
 * (`scrambel: false`) is an error naming the file and the field rather than a silently ignored setting.
 */
export function checkOptions(sampler: string, options: Readonly<Record<string, unknown>> | undefined, known: readonly string[], file: string): void {
  for (const key of Object.keys(options ?? {})) {
    if (!known.includes(key)) {
      const list = known.length ? known.join(', ') : 'none';
      throw new SpaceError(file, `sampler.${key}`, `not an option of sampler '${sampler}'; its options: ${list}`);
    }
  }
}
