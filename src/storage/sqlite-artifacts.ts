/**
 * SQLite's study artifacts (the Storage contract's get/claim/put/release): files a study shares
 * between processes and machines, such as the compression teacher's weights. A claim is a lease
 * like a trial's, decided inside one BEGIN IMMEDIATE transaction so that two processes never both
 * hold it; the first bytes stored win and never change.
 */
import type { Database } from 'better-sqlite3';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { ArtifactClaim } from '../study/index.js';
import { studyArtifacts } from './schema.js';

const p = sql.placeholder;

export class SqliteArtifacts {
  readonly get: (studyId: number, key: string) => Uint8Array | null;
  readonly claim: (studyId: number, key: string, owner: string, now: Date, leaseMs: number) => ArtifactClaim;
  readonly put: (studyId: number, key: string, data: Uint8Array, now: Date) => boolean;
  readonly release: (studyId: number, key: string, owner: string) => void;

  constructor(client: Database, db: BetterSQLite3Database) {
    const byKey = and(eq(studyArtifacts.studyId, p('studyId')), eq(studyArtifacts.key, p('key')));
    const target = [studyArtifacts.studyId, studyArtifacts.key];
    const q = {
      data: db.select({ data: studyArtifacts.data }).from(studyArtifacts).where(byKey).prepare(),
      state: db
        .select({ stored: sql<number>`${studyArtifacts.data} IS NOT NULL`, owner: studyArtifacts.owner, leaseUntil: studyArtifacts.leaseUntil })
        .from(studyArtifacts)
        .where(byKey)
        .prepare(),
      claim: db
        .insert(studyArtifacts)
        .values({ studyId: p('studyId'), key: p('key'), owner: p('owner'), leaseUntil: p('leaseUntil') })
        .onConflictDoUpdate({ target, set: { owner: sql`excluded.owner`, leaseUntil: sql`excluded.lease_until` } })
        .prepare(),
      put: db
        .insert(studyArtifacts)
        .values({ studyId: p('studyId'), key: p('key'), data: p('data'), storedAt: p('now') })
        .onConflictDoUpdate({ target, set: { data: sql`excluded.data`, storedAt: sql`excluded.stored_at`, owner: null, leaseUntil: null } })
        .prepare(),
      release: db
        .update(studyArtifacts)
        .set({ owner: null, leaseUntil: null })
        .where(and(byKey, eq(studyArtifacts.owner, p('owner')), isNull(studyArtifacts.data)))
        .prepare(),
    };

    this.get = (studyId, key) => {
      const row = q.data.get({ studyId, key });
      return row?.data ? new Uint8Array(row.data) : null;
    };
    this.claim = client.transaction((studyId: number, key: string, owner: string, now: Date, leaseMs: number): ArtifactClaim => {
      const row = q.state.get({ studyId, key });
      if (row?.stored) return 'stored';
      // Timestamps are ISO-8601 text, compared as text (as the trial leases are).
      if (row?.owner && row.owner !== owner && row.leaseUntil !== null && row.leaseUntil > now.toISOString()) return 'held';
      q.claim.run({ studyId, key, owner, leaseUntil: new Date(now.getTime() + leaseMs).toISOString() });
      return 'claimed';
    }).immediate;
    this.put = client.transaction((studyId: number, key: string, data: Uint8Array, now: Date): boolean => {
      if (q.state.get({ studyId, key })?.stored) return false;
      q.put.run({ studyId, key, data: Buffer.from(data.buffer, data.byteOffset, data.byteLength), now: now.toISOString() });
      return true;
    }).immediate;
    this.release = (studyId, key, owner) => void q.release.run({ studyId, key, owner });
  }
}
