/**
 * The sentinel of one command trial: a small node program that command.ts starts in place of the
 * command, as the leader of a new process group, and that runs the command inside that group.
 *
 * Why: command.ts stops the group on an abort, a timeout or a pruning decision, but when sweetspot
 * itself dies (SIGKILL, the OOM killer, a crash) nobody would, and a training script holding a GPU
 * would run on as an orphan. The sentinel's stdin is a pipe whose write end only the sweetspot
 * worker holds; the kernel closes it when that process dies, whatever killed it, and the sentinel
 * then stops the group as command.ts would have: SIGTERM, SIGKILL after the grace period.
 *
 * Usage: node command-sentinel.js <graceMs> <cwd> <program> [args...]
 * fd 3 (a pipe from command.ts) receives one JSON line before the sentinel exits:
 * `{"code": n, "signal": s}` once the command has exited, or `{"error": message, "errno": code}`
 * when it could not be started.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';

const STATUS_FD = 3;

const [graceArg, cwd, program, ...args] = process.argv.slice(2);
const graceMs = Number(graceArg);
if (!Number.isFinite(graceMs) || graceMs < 0 || cwd === undefined || program === undefined) {
  process.stderr.write('usage: command-sentinel <graceMs> <cwd> <program> [args...]\n');
  process.exit(2);
}

function report(status: Record<string, unknown>): void {
  try {
    writeSync(STATUS_FD, `${JSON.stringify(status)}\n`);
  } catch {
    // command.ts is gone or not listening: the exit status below is all it can have.
  }
}

function killGroup(signal: NodeJS.Signals): void {
  try {
    process.kill(-process.pid, signal);
  } catch {
    // The group is already gone.
  }
}

let stopping = false;
/** sweetspot is gone: stop the group as command.ts would have. The SIGKILL ends the sentinel too. */
function stopGroup(): void {
  if (stopping) return;
  stopping = true;
  killGroup('SIGTERM');
  setTimeout(() => killGroup('SIGKILL'), graceMs);
}

// The group's SIGTERM (from command.ts, or from stopGroup) is for the command; the sentinel stays to
// report the command's exit, or to send the SIGKILL.
process.on('SIGTERM', () => undefined);

// fd 3 is not close-on-exec here (it was handed over at spawn), so the command would inherit the
// status pipe and hold it open; /dev/null takes its place in the command.
const devNull = openSync('/dev/null', 'r+');
const command = spawn(program, args, { cwd, stdio: ['ignore', 'inherit', 'inherit', devNull] });
closeSync(devNull);

command.once('error', (err: NodeJS.ErrnoException) => {
  report({ error: err.message, errno: err.code ?? null });
  process.exit(0);
});
command.once('exit', (code, signal) => {
  report({ code, signal });
  // Once sweetspot is gone, what the command left in the group (a child that ignores SIGTERM) is
  // still to be killed: the SIGKILL timer ends the sentinel.
  if (!stopping) process.exit(0);
});

process.stdin.on('end', stopGroup);
process.stdin.on('close', stopGroup);
process.stdin.on('error', stopGroup);
process.stdin.resume();
