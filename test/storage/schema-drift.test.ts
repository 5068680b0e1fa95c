/**
 * schema.ts (SQLite) and pg-schema.ts (PostgreSQL) describe the same tables in two dialects'
 * builders: this fails when they drift apart (a table, column, nullability, default, key, index,
 * foreign key or check added to one only), and when the generated migrations of the two are not
 * in step (`npm run db:generate` makes both).
 */
import { getTableName } from 'drizzle-orm';
import { getTableConfig as pgConfig } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteConfig } from 'drizzle-orm/sqlite-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadMigrations, loadPostgresMigrations, pgSchema, schema } from '../../src/storage/index.js';

type Config = ReturnType<typeof sqliteConfig> | ReturnType<typeof pgConfig>;

/** What both dialects must agree on, with dialect spellings mapped to one (serial is an integer key). */
function shape(config: Config) {
  const type = (t: string): string => ({ SQLiteInteger: 'integer', PgInteger: 'integer', PgSerial: 'integer', SQLiteText: 'text', PgText: 'text', SQLiteBlobBuffer: 'bytes', PgCustomColumn: 'bytes' })[t] ?? t;
  const names = (cols: readonly { name: string }[]): string[] => cols.map((c) => c.name);
  return {
    name: config.name,
    columns: config.columns.map((c) => ({ name: c.name, type: type(c.columnType), notNull: c.notNull, primary: c.primary, unique: c.isUnique, default: c.default ?? null })),
    primaryKeys: config.primaryKeys.map((k) => names(k.columns)),
    indexes: config.indexes
      .map((i) => ({ name: i.config.name, unique: i.config.unique, columns: names(i.config.columns as { name: string }[]), partial: i.config.where !== undefined }))
      .sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '')),
    foreignKeys: config.foreignKeys.map((f) => {
      const ref = f.reference();
      return { columns: names(ref.columns), table: getTableName(ref.foreignTable), to: names(ref.foreignColumns), onDelete: f.onDelete };
    }),
    checks: config.checks.map((c) => c.name),
  };
}

const TABLES = ['studies', 'studyAttrs', 'trials', 'trialIntermediate', 'studyArtifacts'] as const;

test('both schemas have the same tables and nothing else', () => {
  const tablesOf = (module: object): string[] => Object.entries(module).filter(([, v]) => v && typeof v === 'object' && Symbol.for('drizzle:IsDrizzleTable') in v).map(([k]) => k).sort();
  assert.equal(tablesOf(schema), [...TABLES].sort());
  assert.equal(tablesOf(pgSchema), [...TABLES].sort());
});

for (const table of TABLES) {
  test(`${table}: columns, keys, indexes, foreign keys and checks agree`, () => {
    assert.equal(shape(pgConfig(pgSchema[table])), shape(sqliteConfig(schema[table])));
  });
}

test('the shape compared is not empty (the comparison would pass on nothing)', () => {
  const trials = shape(sqliteConfig(schema.trials));
  assert.is(trials.columns.length, 16);
  assert.is(trials.indexes.length, 3);
  assert.is(trials.foreignKeys[0]!.table, 'studies');
});

test('the generated migrations of both dialects are in step', () => {
  assert.is(loadPostgresMigrations().length, loadMigrations().length);
});

test.run();
