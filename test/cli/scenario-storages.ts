/**
 * The databases the multi-process scenario tests (test/cli/worker.test.ts) run on: a SQLite file
 * in the test's folder always. Each entry gives the `--storage` location for a test folder, or the
 * reason it is skipped.
 */
import { join } from 'node:path';

export interface ScenarioStorage {
  readonly label: string;
  /** The `--storage` value for a test whose folder is `dir`. */
  readonly location: (dir: string) => string;
  /** Why this backend is not tested here (printed), or undefined. */
  readonly skip?: string;
}

export async function scenarioStorages(): Promise<ScenarioStorage[]> {
  return [
    { label: 'sqlite file', location: (dir) => join(dir, 'runs', 'shared.db') },
    { label: 'postgresql', location: () => '', skip: 'no PostgreSQL storage on this branch yet (issue 12 part 1)' },
  ];
}
