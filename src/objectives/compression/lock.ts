/**
 * A lock file shared by worker threads and processes: created with O_EXCL (`wx`), so exactly one
 * caller wins; the others poll until the work is done. The holder refreshes the file's mtime as a
 * heartbeat; a lock whose heartbeat is older than `staleMs` belongs to a thread or process that
 * died, and is moved aside (rename, so only one waiter takes it) and retried.
 */
import { closeSync, openSync, renameSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { threadId } from 'node:worker_threads';
import { ObjectiveError } from '../../errors.js';

export interface LockOptions {
  /** How often waiters look again (ms). */
  readonly pollMs?: number;
  /** A lock not refreshed for this long is stale (ms). */
  readonly staleMs?: number;
  readonly signal?: AbortSignal;
}

export type LockOutcome<T> = { readonly ran: true; readonly value: T } | { readonly ran: false };

/**
 * Run `work` under the lock at `path` unless `done()` says the work is already done. Returns
 * `{ ran: true, value }` to the one caller that did the work and `{ ran: false }` to the callers
 * that found it done (possibly after waiting).
 */
export async function onceUnderLock<T>(path: string, done: () => boolean, work: () => Promise<T>, options: LockOptions = {}): Promise<LockOutcome<T>> {
  const pollMs = options.pollMs ?? 200;
  const staleMs = options.staleMs ?? 30_000;
  for (;;) {
    if (done()) return { ran: false };
    options.signal?.throwIfAborted();
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (isStale(path, staleMs)) {
        try {
          renameSync(path, `${path}.stale-${process.pid}-${threadId}-${Date.now()}`);
        } catch {
          // another waiter moved it first
        }
        continue;
      }
      await sleep(pollMs, options.signal);
      continue;
    }
    writeSync(fd, JSON.stringify({ pid: process.pid, thread: threadId, host: hostname(), since: new Date().toISOString() }));
    closeSync(fd);
    const beat = setInterval(() => {
      const now = new Date();
      try {
        utimesSync(path, now, now);
      } catch {
        // the lock was taken away as stale; the work goes on and the rename below still publishes it
      }
    }, Math.max(50, Math.floor(staleMs / 4)));
    try {
      // Someone may have finished between our done() check and our lock.
      if (done()) return { ran: false };
      return { ran: true, value: await work() };
    } finally {
      clearInterval(beat);
      try {
        unlinkSync(path);
      } catch {
        // already moved aside as stale
      }
    }
  }
}

function isStale(path: string, staleMs: number): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs > staleMs;
  } catch {
    return false; // gone: the next loop will try to take it
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason ?? new ObjectiveError('aborted while waiting for a lock'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
