/** Runs the built CLI as a child process, as a user would, for the command-line tests. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

/** `sweetspot ARGS` in `cwd`, with an empty stdin that is not a terminal. */
export function cli(args: readonly string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', cwd, timeout: 120_000, input: '' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
