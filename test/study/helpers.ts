import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSpace, type Space } from '../../src/space/index.js';

export const FIXTURE_OBJECTIVE = fileURLToPath(new URL('../fixtures/synthetic-objective.js', import.meta.url));

/** Folders made by tempDir in this process, removed when it exits (uvu runs every test file in one process). */
const made: string[] = [];
process.on('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder under the system temp folder, removed when the test process exits. */
export function tempDir(prefix = 'sweetspot-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Write a space file using the synthetic objective and load it. */
export function syntheticSpaceFile(dir: string, opts: { modes?: string[]; sleepMs?: number; trials?: number; workers?: number; extra?: string } = {}): string {
  const modes = opts.modes ?? ['ok'];
  const file = join(dir, 'synthetic.yaml');
  writeFileSync(
    file,
    `name: synthetic
objective:
  module: ${JSON.stringify(FIXTURE_OBJECTIVE)}
  options: { sleepMs: ${opts.sleepMs ?? 0} }
params:
  x: { type: float, low: 0, high: 1 }
  n: { type: int, low: 1, high: 64, log: true }
  mode: { type: categorical, choices: ${JSON.stringify(modes)} }
metrics:
  loss: minimize
  size: minimize
budget: { trials: ${opts.trials ?? 6}, workers: ${opts.workers ?? 2} }
sampler: random
seed: 11
${opts.extra ?? ''}`,
  );
  return file;
}

export function syntheticSpace(dir: string, opts: Parameters<typeof syntheticSpaceFile>[1] = {}): Space {
  return loadSpace(syntheticSpaceFile(dir, opts));
}
