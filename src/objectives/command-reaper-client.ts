/**
 * The thread's side of command-reaper.ts: one reaper process per thread that runs command
 * objectives, started on the first command and kept for the thread's life. Module state is per
 * thread (each worker thread loads its own copy of this module), which is what makes it one reaper
 * per thread: the lifeline closes when that thread ends, not only when the whole process does.
 *
 * The reaper is a safety net only: if it cannot start or dies, trials run on unguarded (writes to
 * it are dropped), and the next command starts a new one that is told every group still running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The compiled reaper, beside this file in dist. */
const REAPER = fileURLToPath(new URL('./command-reaper.js', import.meta.url));

/** Groups of this thread's running commands: pgid → grace before SIGKILL, in ms. */
const guarded = new Map<number, number>();
let reaper: ChildProcess | null = null;

function alive(child: ChildProcess | null): child is ChildProcess & { stdin: Socket } {
  return child !== null && child.stdin !== null && child.stdin.writable && child.exitCode === null && child.signalCode === null;
}

function startReaper(): ChildProcess | null {
  let child: ChildProcess;
  try {
    // Detached: its own session, so a Ctrl-C to sweetspot's terminal does not reach it. cwd '/'
    // so that it keeps no directory busy. No stdout/stderr: a parent that waits for sweetspot's
    // stderr to close (a test harness, a pipeline) must not also wait for the reaper.
    child = spawn(process.execPath, [REAPER], { cwd: '/', detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  } catch {
    return null;
  }
  const forget = (): void => {
    if (reaper === child) reaper = null;
  };
  child.once('error', forget);
  child.once('exit', forget);
  // EPIPE once the reaper is gone: forgotten, and the next command starts another.
  child.stdin?.on('error', forget);
  // Neither the process nor its pipe may keep this thread or sweetspot alive.
  child.unref();
  (child.stdin as Socket | null)?.unref();
  for (const [pgid, graceMs] of guarded) child.stdin?.write(`+${pgid} ${graceMs}\n`);
  return child;
}

/**
 * Starts this thread's reaper unless it runs. command.ts calls it before spawning the command, so
 * that between the group's creation and its registration there is only the rest of spawn() and one
 * pipe write: a node start there was a window in which a terminated thread (or SIGKILL) left the
 * group unregistered (the reaper then saw EOF with nothing to stop). That short window remains.
 */
export function ensureReaper(): void {
  if (!alive(reaper)) reaper = startReaper();
}

/**
 * Registers a command's process group (its leader's pid) with this thread's reaper, which stops
 * it (SIGTERM, SIGKILL after graceMs) if this thread or process dies before releaseGroup.
 */
export function guardGroup(pgid: number, graceMs: number): void {
  guarded.set(pgid, graceMs);
  if (alive(reaper)) reaper.stdin.write(`+${pgid} ${graceMs}\n`);
  else reaper = startReaper(); // which registers every guarded group, this one included
}

/** Unregisters a group once it has been killed: its pgid may later name an unrelated group. */
export function releaseGroup(pgid: number): void {
  if (!guarded.delete(pgid)) return;
  if (alive(reaper)) reaper.stdin.write(`-${pgid}\n`);
}

/** What this thread has registered and its reaper's pid: for tests and diagnostics. */
export function reaperState(): { pid: number | null; groups: number[] } {
  return { pid: alive(reaper) ? (reaper.pid ?? null) : null, groups: [...guarded.keys()] };
}
