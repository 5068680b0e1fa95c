/**
 * A command objective must not outlive a SIGKILLed sweetspot: the process that runs the trial is
 * killed with SIGKILL (no handler, no finally runs), and the command's whole group must still go.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tempDir } from '../study/helpers.js';

const objectives = fileURLToPath(new URL('../../src/objectives/index.js', import.meta.url));

/**
 * Whether pid is a live process. A zombie counts as gone: an orphan is reparented to pid 1, and
 * where pid 1 does not reap (a container's init) a dead process would otherwise still answer kill 0.
 */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S ...": the state follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** The parent of pid, from /proc (the sentinel, for the command's leader). */
function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

test('when the process running a command trial is SIGKILLed, the command and its children are stopped', async () => {
  const dir = tempDir('sweetspot-sentinel-');
  const pidFile = join(dir, 'pids');
  // The command's shell, a child that exits on SIGTERM, and one that ignores it (it needs the
  // SIGKILL after the grace period). The pid file is written whole, then renamed into place.
  const command = `sleep 60 & a=$!; (trap '' TERM; exec sleep 60) & b=$!; echo "$$ $a $b" > ${pidFile}.tmp; mv ${pidFile}.tmp ${pidFile}; wait`;
  const runner = join(dir, 'runner.mjs');
  writeFileSync(
    runner,
    `import { commandObjective } from ${JSON.stringify(objectives)};
const ctx = { trial: 1, seed: 1, signal: new AbortController().signal, workdir: ${JSON.stringify(dir)}, studyDir: ${JSON.stringify(dir)}, options: {}, study: 'sentinel', report() {} };
await commandObjective({ argv: ['sh', '-c', ${JSON.stringify(command)}], cwd: ${JSON.stringify(dir)}, env: {}, graceMs: 300, metrics: [] })({}, ctx);
`,
  );
  const trialRunner = spawn(process.execPath, [runner], { stdio: 'ignore' });
  const exited = new Promise((resolve) => trialRunner.once('exit', resolve));
  let pids: number[] = [];
  try {
    assert.ok(await waitFor(() => existsSync(pidFile), 10_000), 'the command started and wrote its pids');
    pids = readFileSync(pidFile, 'utf8').trim().split(' ').map(Number);
    assert.is(pids.length, 3);
    const leader = parentOf(pids[0]!);
    if (leader !== trialRunner.pid) pids.push(leader); // the sentinel, when there is one
    assert.ok(pids.every(running), 'everything runs before the kill');
    trialRunner.kill('SIGKILL');
    await exited;
    // SIGTERM at once, SIGKILL after graceMs (300 ms): well within 3 s.
    const gone = await waitFor(() => !pids.some(running), 3000);
    assert.ok(gone, `still running after their runner was SIGKILLed: ${pids.filter(running).join(' ')}`);
  } finally {
    trialRunner.kill('SIGKILL');
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone, as it should be.
      }
    }
  }
});

test('when the worker thread running a command trial is terminated, the command is stopped', async () => {
  // The pool terminates a thread that ignores an abort past its grace: the lifeline closes with it.
  const dir = tempDir('sweetspot-sentinel-');
  const pidFile = join(dir, 'pids');
  const command = `sleep 60 & echo "$$ $!" > ${pidFile}.tmp; mv ${pidFile}.tmp ${pidFile}; wait`;
  const runner = join(dir, 'thread.mjs');
  writeFileSync(
    runner,
    `import { commandObjective } from ${JSON.stringify(objectives)};
const ctx = { trial: 1, seed: 1, signal: new AbortController().signal, workdir: ${JSON.stringify(dir)}, studyDir: ${JSON.stringify(dir)}, options: {}, study: 'sentinel', report() {} };
await commandObjective({ argv: ['sh', '-c', ${JSON.stringify(command)}], cwd: ${JSON.stringify(dir)}, env: {}, graceMs: 300, metrics: [] })({}, ctx);
`,
  );
  const thread = new Worker(runner);
  let pids: number[] = [];
  try {
    assert.ok(await waitFor(() => existsSync(pidFile), 10_000), 'the command started and wrote its pids');
    pids = readFileSync(pidFile, 'utf8').trim().split(' ').map(Number);
    assert.ok(pids.every(running), 'everything runs before the thread is terminated');
    await thread.terminate();
    const gone = await waitFor(() => !pids.some(running), 3000);
    assert.ok(gone, `still running after their thread was terminated: ${pids.filter(running).join(' ')}`);
  } finally {
    await thread.terminate();
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone, as it should be.
      }
    }
  }
});

test.run();
