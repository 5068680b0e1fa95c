/**
 * PostgreSQL's study artifacts (the Storage contract's get/claim/put/release): files a study
 * shares between machines, such as the compression teacher's weights, stored as bytea (up to 1 GB
 * a value; a teacher is a few MB). Each change is one INSERT … ON CONFLICT … DO UPDATE … WHERE
 * statement: PostgreSQL locks the row it conflicts on and re-checks the WHERE clause on its latest
 * version, so two machines claiming or storing at once are decided by the database, one at a time.
 * A claim is a lease like a trial's; the first bytes stored win and never change.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { ArtifactClaim } from '../study/index.js';
import { studyArtifacts } from './pg-schema.js';

const byKey = (studyId: number, key: string) => and(eq(studyArtifacts.studyId, studyId), eq(studyArtifacts.key, key));
const target = [studyArtifacts.studyId, studyArtifacts.key];

export class PostgresArtifacts {
  constructor(private readonly db: NodePgDatabase) {}

  async get(studyId: number, key: string): Promise<Uint8Array | null> {
    const [row] = await this.db.select({ data: studyArtifacts.data }).from(studyArtifacts).where(byKey(studyId, key));
    return row?.data ? new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength) : null;
  }

  claim(studyId: number, key: string, owner: string, now: Date, leaseMs: number): Promise<ArtifactClaim> {
    return this.db.transaction(async (tx) => {
      // Taken when nobody holds it, its owner renews, or the holder's lease has expired; never once stored.
      const claimed = await tx
        .insert(studyArtifacts)
        .values({ studyId, key, owner, leaseUntil: new Date(now.getTime() + leaseMs).toISOString() })
        .onConflictDoUpdate({
          target,
          set: { owner: sql`excluded.owner`, leaseUntil: sql`excluded.lease_until` },
          setWhere: sql`${studyArtifacts.data} IS NULL AND (${studyArtifacts.owner} IS NULL OR ${studyArtifacts.owner} = excluded.owner OR ${studyArtifacts.leaseUntil} <= ${now.toISOString()})`,
        })
        .returning({ owner: studyArtifacts.owner });
      if (claimed.length > 0) return 'claimed';
      const [row] = await tx.select({ stored: sql<boolean>`${studyArtifacts.data} IS NOT NULL` }).from(studyArtifacts).where(byKey(studyId, key));
      return row?.stored ? 'stored' : 'held';
    });
  }

  async put(studyId: number, key: string, data: Uint8Array, now: Date): Promise<boolean> {
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const stored = await this.db
      .insert(studyArtifacts)
      .values({ studyId, key, data: bytes, storedAt: now.toISOString() })
      .onConflictDoUpdate({
        target,
        set: { data: sql`excluded.data`, storedAt: sql`excluded.stored_at`, owner: null, leaseUntil: null },
        setWhere: isNull(studyArtifacts.data),
      })
      .returning({ key: studyArtifacts.key });
    return stored.length > 0;
  }

  async release(studyId: number, key: string, owner: string): Promise<void> {
    await this.db
      .update(studyArtifacts)
      .set({ owner: null, leaseUntil: null })
      .where(and(byKey(studyId, key), eq(studyArtifacts.owner, owner), isNull(studyArtifacts.data)));
  }
}
