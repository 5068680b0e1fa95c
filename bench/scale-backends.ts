/**
 * The databases bench:scale measures on, in one run: a SQLite file always; PostgreSQL on loopback
 * when this checkout has the PostgreSQL storage and its test server. Each gives a fresh database
 * per run (`location(tag)`), or the reason it is skipped.
 */
import { join } from 'node:path';

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
    { label: 'PostgreSQL (loopback)', location: async () => '', optuna: true, skip: 'no PostgreSQL storage on this branch yet (issue 12 part 1)' },
  ];
}
