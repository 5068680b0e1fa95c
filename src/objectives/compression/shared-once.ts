/**
 * Once per study across machines: the first process to claim an artifact in the study's database
 * produces it and stores its bytes; every other process, on any machine, waits and takes those
 * bytes. The claim is a lease renewed while the work runs, so a process that dies mid-work frees
 * it for another after `leaseMs`. The local lock file (lock.ts) still serialises the threads and
 * processes of one machine in front of this.
 */
import type { StudyArtifacts } from '../../study/index.js';
import { sleep } from './lock.js';

export interface SharedOnceOptions {
  /** How long a claim lasts without renewal (ms); renewed every third of it while the work runs. */
  readonly leaseMs?: number;
  /** How often a waiter looks again (ms). */
  readonly pollMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * The artifact `key`: `{ ran: false, bytes }` when it was stored (possibly after waiting for the
 * process producing it), or `{ ran: true, value }` when this caller produced it with `work`, whose
 * `bytes` were then stored. A failed `work` releases the claim and rethrows.
 */
export async function onceInStudy<T>(
  artifacts: StudyArtifacts,
  key: string,
  work: () => Promise<{ value: T; bytes: Uint8Array }>,
  options: SharedOnceOptions = {},
): Promise<{ ran: false; bytes: Uint8Array } | { ran: true; value: T }> {
  const leaseMs = options.leaseMs ?? 60_000;
  const pollMs = options.pollMs ?? 1000;
  for (;;) {
    options.signal?.throwIfAborted();
    const stored = await artifacts.get(key);
    if (stored) return { ran: false, bytes: stored };
    const claim = await artifacts.claim(key, leaseMs);
    if (claim === 'stored') continue;
    if (claim === 'held') {
      await sleep(pollMs, options.signal);
      continue;
    }
    const renew = setInterval(() => void artifacts.claim(key, leaseMs).catch(() => undefined), Math.max(20, Math.floor(leaseMs / 3)));
    try {
      const { value, bytes } = await work();
      // Another process may have stored it after our claim expired: the stored bytes win, ours are equal in kind.
      await artifacts.put(key, bytes);
      return { ran: true, value };
    } catch (err) {
      await artifacts.release(key).catch(() => undefined);
      throw err;
    } finally {
      clearInterval(renew);
    }
  }
}
