/** Process inspection for the command-reaper tests, from /proc (Linux). */
import { readdirSync, readFileSync } from 'node:fs';

/** The fields of /proc/<pid>/stat after "pid (comm)": state first, then ppid, pgrp, ... */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/**
 * Whether pid is a live process. A zombie counts as gone: an orphan is reparented to pid 1, and
 * where pid 1 does not reap (a container's init) a dead process would otherwise still answer kill 0.
 */
export function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
  try {
    return statFields(pid)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Live children of parent whose command line mentions the compiled reaper. */
export function reapersOf(parent: number): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    try {
      if (Number(statFields(pid)[1]) !== parent || !running(pid)) continue;
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('command-reaper.js')) found.push(pid);
    } catch {
      // Exited while we looked.
    }
  }
  return found;
}

export async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

/** SIGKILL, for cleanup after a failed check: a pid already gone is fine. */
export function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone, as it should be.
    }
  }
}
