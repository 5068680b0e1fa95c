/**
 * A command objective: any program (a Python training script, a shell script) run once per trial
 * as a child process of the worker thread, in its own process group so that a timeout, an abort or
 * a pruner stops everything it started. The group is also registered with the thread's reaper
 * (command-reaper.ts), which stops it if sweetspot itself dies first, even by SIGKILL.
 *
 * Protocol: parameters arrive substituted into `{name}` placeholders and as JSON in
 * SWEETSPOT_PARAMS (with SWEETSPOT_TRIAL, SWEETSPOT_SEED, SWEETSPOT_WORKDIR, SWEETSPOT_STUDY); a
 * stdout line `{"step": n, ...}` is an intermediate report; the last stdout line that is a JSON
 * object is the result. stdout and stderr are kept in the trial folder (stdout.log, stderr.log).
 */
import { spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ObjectiveError } from '../errors.js';
import { substitute, type CommandSpec } from '../space/index.js';
import { ensureReaper, guardGroup, releaseGroup } from './command-reaper-client.js';
import type { Objective, ObjectiveContext, ObjectiveOutput } from './types.js';

/** Lines of stderr quoted in a failed trial's error. */
const STDERR_TAIL_LINES = 5;
/** Characters of stderr quoted at most (a traceback line can be long). */
const STDERR_TAIL_CHARS = 600;

export function commandObjective(spec: CommandSpec): Objective {
  return (params, ctx) => runCommand(spec, params, ctx);
}

/** A stdout line as a JSON object, or null when it is anything else (plain logging is allowed). */
function jsonObject(line: string): Record<string, unknown> | null {
  const text = line.trim();
  if (!text.startsWith('{') || !text.endsWith('}')) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The numeric fields of a step line other than `step`: what ctx.report takes. */
function reportedMetrics(line: Record<string, unknown>): Record<string, number> {
  return Object.fromEntries(Object.entries(line).filter((e): e is [string, number] => e[0] !== 'step' && typeof e[1] === 'number' && Number.isFinite(e[1])));
}

/** The last lines of a process's stderr, kept as it runs (the whole text goes to stderr.log). */
class Tail {
  #text = '';
  push(chunk: string): void {
    this.#text = (this.#text + chunk).slice(-16 * 1024);
  }
  lines(): string {
    const lines = this.#text.split('\n').map((l) => l.trimEnd()).filter((l) => l !== '');
    const tail = lines.slice(-STDERR_TAIL_LINES).join(' | ');
    return tail.length > STDERR_TAIL_CHARS ? `…${tail.slice(-STDERR_TAIL_CHARS)}` : tail;
  }
}

function closeStream(stream: WriteStream): Promise<void> {
  return new Promise((resolve) => stream.end(resolve));
}

async function runCommand(spec: CommandSpec, params: Readonly<Record<string, unknown>>, ctx: ObjectiveContext): Promise<ObjectiveOutput> {
  ctx.signal.throwIfAborted();
  const values = { ...params, trial: ctx.trial, seed: ctx.seed, workdir: ctx.workdir };
  const argv = spec.argv.map((arg) => substitute(arg, values));
  const env = {
    ...process.env,
    ...spec.env,
    SWEETSPOT_PARAMS: JSON.stringify(params),
    SWEETSPOT_TRIAL: String(ctx.trial),
    SWEETSPOT_SEED: String(ctx.seed),
    SWEETSPOT_WORKDIR: ctx.workdir,
    SWEETSPOT_STUDY: ctx.study,
    // Python buffers stdout when it is a pipe: reports would arrive only at exit.
    PYTHONUNBUFFERED: '1',
  };
  const stdoutLog = createWriteStream(join(ctx.workdir, 'stdout.log'));
  const stderrLog = createWriteStream(join(ctx.workdir, 'stderr.log'));
  const tail = new Tail();
  // Before the spawn: starting the reaper (a node start) must not delay the group's registration.
  ensureReaper();
  const child = spawn(argv[0]!, argv.slice(1), { cwd: spec.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  // At once, before any await: from here on the group is stopped even if this process is killed.
  if (child.pid !== undefined) guardGroup(child.pid, spec.graceMs);
  let result: Record<string, unknown> | null = null;
  let killTimer: NodeJS.Timeout | undefined;
  // The whole group, not only the leader: the leader may have exited while a child it started
  // (a data loader, a background job) still runs and holds stdout open.
  const killGroup = (signal: NodeJS.Signals): void => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  const onAbort = (): void => {
    killGroup('SIGTERM');
    killTimer = setTimeout(() => killGroup('SIGKILL'), spec.graceMs);
    killTimer.unref();
  };
  ctx.signal.addEventListener('abort', onAbort, { once: true });

  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderrLog.write(chunk);
    tail.push(chunk);
  });
  const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
  lines.on('line', (line) => {
    stdoutLog.write(`${line}\n`);
    const object = jsonObject(line);
    if (!object) return;
    result = object;
    if (typeof object.step === 'number' && Number.isFinite(object.step)) ctx.report(object.step, reportedMetrics(object));
  });
  const stdoutDone = new Promise<void>((resolve) => lines.on('close', resolve));

  let exit: { code: number | null; signal: NodeJS.Signals | null };
  try {
    exit = await new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, signal) => resolve({ code, signal }));
    });
    await stdoutDone;
  } catch (err) {
    throw new ObjectiveError(`cannot start ${JSON.stringify(argv[0])} in ${spec.cwd}: ${(err as Error).message}`, { cause: err });
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
    if (killTimer) clearTimeout(killTimer);
    // Whatever the command left behind in its group goes with it.
    killGroup('SIGKILL');
    if (child.pid !== undefined) releaseGroup(child.pid);
    await Promise.all([closeStream(stdoutLog), closeStream(stderrLog)]);
  }
  ctx.signal.throwIfAborted();
  const stderr = tail.lines();
  const said = stderr ? `; stderr: ${stderr}` : '';
  if (exit.code !== 0) {
    const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    throw new ObjectiveError(`command ${argv[0]} ${how}${said}`);
  }
  if (result === null) throw new ObjectiveError(`command ${argv[0]} printed no JSON object line on stdout (the last one is the result)${said}`);
  const output: Record<string, unknown> = result;
  return output as ObjectiveOutput;
}
