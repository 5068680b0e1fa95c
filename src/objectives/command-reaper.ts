/**
 * The reaper of one worker thread's command trials: a small node program that stops their
 * process groups when sweetspot dies without doing so itself (SIGKILL, the OOM killer, a crash, a
 * terminated worker thread).
 *
 * Why a separate process: command.ts stops a trial's group on an abort, a timeout, a pruning
 * decision or the command's end, but a dead process runs no code. The reaper's stdin is a pipe
 * whose write end only the thread that started it holds; the kernel closes it when that thread's
 * handles are closed or the process dies, however, and the reaper then does what command.ts would
 * have: SIGTERM to each registered group, SIGKILL after that group's grace period.
 * One reaper serves every trial of its thread (command-reaper-client.ts starts it once), so a
 * trial costs two short pipe writes rather than a node start.
 *
 * Protocol on stdin, one line each: `+<pgid> <graceMs>` registers a group right after its leader
 * was spawned; `-<pgid>` forgets it once command.ts has killed it (so a pgid the kernel later
 * reuses for an unrelated group is never signalled).
 */

/** Registered groups: pgid → grace before SIGKILL, in ms. */
const groups = new Map<number, number>();

/** Sends signal to the group; false when the group no longer exists. */
function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

function apply(line: string): void {
  const register = /^\+(\d+) (\d+)$/.exec(line);
  if (register) {
    groups.set(Number(register[1]), Number(register[2]));
    return;
  }
  const release = /^-(\d+)$/.exec(line);
  if (release) groups.delete(Number(release[1]));
  // Anything else is not from command-reaper-client.ts; ignoring it keeps the registry intact.
}

let reaping = false;
/** The thread is gone: stop every group it left running, then exit. */
function reap(): void {
  if (reaping) return;
  reaping = true;
  let pending = 0;
  const done = (): void => {
    if (--pending <= 0) process.exit(0);
  };
  for (const [pgid, graceMs] of groups) {
    if (!signalGroup(pgid, 'SIGTERM')) continue; // already gone: nothing to wait for
    pending++;
    setTimeout(() => {
      signalGroup(pgid, 'SIGKILL');
      done();
    }, graceMs);
  }
  if (pending === 0) process.exit(0);
}

// The reaper is detached (its own session, no controlling terminal), so a Ctrl-C or a terminal
// hang-up should not reach it; if a signal does (a `kill` aimed at it by mistake), it must still
// outlive sweetspot's orderly shutdown to be of use. Only the lifeline's EOF, or SIGKILL, ends it.
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => undefined);

let partial = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  partial += chunk;
  let newline: number;
  while ((newline = partial.indexOf('\n')) >= 0) {
    apply(partial.slice(0, newline));
    partial = partial.slice(newline + 1);
  }
});
process.stdin.on('end', reap);
process.stdin.on('close', reap);
process.stdin.on('error', reap);
