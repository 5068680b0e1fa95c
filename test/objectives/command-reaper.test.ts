/**
 * A command objective must not outlive a SIGKILLed sweetspot: the process that runs the trial is
 * killed with SIGKILL (no handler, no finally runs), and the command's whole group must still go.
 * One reaper process per thread does it (command-reaper.ts); it must not keep sweetspot alive, and
 * it must forget the groups of finished trials.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tempDir } from '../study/helpers.js';
import { killAll, reapersOf, running, waitFor } from './processes.js';

const objectives = fileURLToPath(new URL('../../src/objectives/index.js', import.meta.url));
const reaperClient = fileURLToPath(new URL('../../src/objectives/command-reaper-client.js', import.meta.url));
const reaperProgram = fileURLToPath(new URL('../../src/objectives/command-reaper.js', import.meta.url));

/** A module that runs `argv` as one command trial (graceMs 300) in dir, and the lines to import it. */
function trialScript(dir: string, argv: string[], graceMs = 300): string {
  return `import { commandObjective } from ${JSON.stringify(objectives)};
import { reaperState } from ${JSON.stringify(reaperClient)};
const ctx = (trial) => ({ trial, seed: 1, signal: new AbortController().signal, workdir: ${JSON.stringify(dir)}, studyDir: ${JSON.stringify(dir)}, options: {}, study: 'reaper', report() {} });
const runTrial = (trial) => commandObjective({ argv: ${JSON.stringify(argv)}, cwd: ${JSON.stringify(dir)}, env: {}, graceMs: ${graceMs}, metrics: [] })({}, ctx(trial));
`;
}

/** Waits for the pid file a command writes whole (then renames into place), and reads it. */
async function readPids(pidFile: string): Promise<number[]> {
  assert.ok(await waitFor(() => existsSync(pidFile), 10_000), 'the command started and wrote its pids');
  return readFileSync(pidFile, 'utf8').trim().split(' ').map(Number);
}

test('when the process running a command trial is SIGKILLed, the command, its children and the reaper are stopped', async () => {
  const dir = tempDir('sweetspot-reaper-');
  const pidFile = join(dir, 'pids');
  // The command's shell, a child that exits on SIGTERM, and one that ignores it (it needs the
  // SIGKILL after the grace period).
  const command = `sleep 60 & a=$!; (trap '' TERM; exec sleep 60) & b=$!; echo "$$ $a $b" > ${pidFile}.tmp; mv ${pidFile}.tmp ${pidFile}; wait`;
  const runner = join(dir, 'runner.mjs');
  writeFileSync(runner, `${trialScript(dir, ['sh', '-c', command])}await runTrial(1);\n`);
  const trialRunner = spawn(process.execPath, [runner], { stdio: 'ignore' });
  const exited = new Promise((resolve) => trialRunner.once('exit', resolve));
  let pids: number[] = [];
  try {
    pids = await readPids(pidFile);
    assert.is(pids.length, 3);
    pids.push(...reapersOf(trialRunner.pid!)); // the reaper must go too once its work is done
    assert.ok(pids.every(running), 'everything runs before the kill');
    trialRunner.kill('SIGKILL');
    await exited;
    // SIGTERM at once, SIGKILL after graceMs (300 ms): well within 3 s.
    const gone = await waitFor(() => !pids.some(running), 3000);
    assert.ok(gone, `still running after their runner was SIGKILLed: ${pids.filter(running).join(' ')}`);
  } finally {
    trialRunner.kill('SIGKILL');
    killAll(pids);
  }
});

test('when the worker thread running a command trial is terminated, the command is stopped', async () => {
  // The pool terminates a thread that ignores an abort past its grace: the lifeline closes with it.
  const dir = tempDir('sweetspot-reaper-');
  const pidFile = join(dir, 'pids');
  const command = `sleep 60 & echo "$$ $!" > ${pidFile}.tmp; mv ${pidFile}.tmp ${pidFile}; wait`;
  const runner = join(dir, 'thread.mjs');
  writeFileSync(runner, `${trialScript(dir, ['sh', '-c', command])}await runTrial(1);\n`);
  const thread = new Worker(runner);
  let pids: number[] = [];
  try {
    pids = await readPids(pidFile);
    assert.ok(pids.every(running), 'everything runs before the thread is terminated');
    await thread.terminate();
    const gone = await waitFor(() => !pids.some(running), 3000);
    assert.ok(gone, `still running after their thread was terminated: ${pids.filter(running).join(' ')}`);
  } finally {
    await thread.terminate();
    killAll(pids);
  }
});

test('one reaper serves many trials, forgets finished groups, and does not keep the process alive', async () => {
  const dir = tempDir('sweetspot-reaper-');
  const runner = join(dir, 'sequential.mjs');
  // Five trials one after another; after each, what this thread has registered and its reaper.
  writeFileSync(
    runner,
    `${trialScript(dir, ['sh', '-c', 'echo \'{"x": 1}\''], 10_000)}for (let trial = 1; trial <= 5; trial++) {
  await runTrial(trial);
  console.log(JSON.stringify(reaperState()));
}
console.log('returned');
`,
  );
  const trialRunner = spawn(process.execPath, [runner], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => trialRunner.once('exit', resolve));
  const states: { pid: number | null; groups: number[] }[] = [];
  let returnedAt = 0;
  const lines = createInterface({ input: trialRunner.stdout! });
  lines.on('line', (line) => {
    if (line === 'returned') returnedAt = Date.now();
    else states.push(JSON.parse(line) as (typeof states)[number]);
  });
  let reaper: number | null = null;
  try {
    assert.ok(await waitFor(() => returnedAt > 0, 20_000), 'the five trials ran');
    // Without unref, the reaper's process and pipe would hold the event loop open for ever.
    const exitedInTime = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 3000))]);
    assert.ok(exitedInTime, 'the runner exited within 3 s of returning from its last trial');
    assert.is(states.length, 5);
    reaper = states[0]!.pid;
    assert.ok(reaper !== null && reaper > 0, 'a reaper was started');
    for (const state of states) {
      assert.is(state.pid, reaper, 'the same reaper after every trial');
      assert.equal(state.groups, [], 'a finished trial leaves no registered group');
    }
    // Its lifeline closed with the runner, and it had nothing to stop (grace 10 s unused).
    assert.ok(await waitFor(() => !running(reaper!), 3000), 'the reaper exited with its runner');
  } finally {
    trialRunner.kill('SIGKILL');
    if (reaper) killAll([reaper]);
  }
});

/** A detached shell (its own group) with a child that ignores SIGTERM; its pids: [shell, child]. */
async function startGroup(dir: string, name: string): Promise<{ shell: ChildProcess; pids: number[] }> {
  const pidFile = join(dir, name);
  const command = `(trap '' TERM; exec sleep 60) & echo "$$ $!" > ${pidFile}.tmp; mv ${pidFile}.tmp ${pidFile}; wait`;
  const shell = spawn('sh', ['-c', command], { detached: true, stdio: 'ignore' });
  return { shell, pids: await readPids(pidFile) };
}

test('the reaper ignores signals while its lifeline is open, then stops registered groups and spares released ones', async () => {
  const dir = tempDir('sweetspot-reaper-');
  const registered = await startGroup(dir, 'registered');
  const released = await startGroup(dir, 'released');
  const reaper = spawn(process.execPath, [reaperProgram], { detached: true, stdio: ['pipe', 'ignore', 'inherit'] });
  const reaperExited = new Promise((resolve) => reaper.once('exit', resolve));
  const all = [...registered.pids, ...released.pids, reaper.pid!];
  try {
    reaper.stdin!.write(`+${registered.shell.pid} 300\n+${released.shell.pid} 300\n-${released.shell.pid}\n`);
    // Give it time to start and install its handlers before signalling it (node start under load).
    await new Promise((r) => setTimeout(r, 1500));
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) reaper.kill(signal);
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(running(reaper.pid!), 'the reaper survived SIGTERM, SIGINT and SIGHUP');
    assert.ok(all.every(running), 'and stopped nothing while its lifeline was open');
    reaper.stdin!.end();
    // The child that ignores SIGTERM needs the SIGKILL after 300 ms.
    assert.ok(await waitFor(() => !registered.pids.some(running), 3000), `registered group still running: ${registered.pids.filter(running).join(' ')}`);
    await reaperExited;
    assert.ok(released.pids.every(running), 'the released group was not signalled');
  } finally {
    killAll(all);
    for (const pid of [registered.shell.pid!, released.shell.pid!]) killAll([-pid]);
  }
});

test.run();
