/**
 * Pre-flight for an objective: load it once in a throw-away worker thread (where trials load it)
 * and report what went wrong, or what it declares. A module may export, beside its default:
 * `metrics` (names of the metrics it returns), `parameters` (names of the parameters it takes) and
 * `checkOptions(options)` (throws on bad `objective.options`); the built-ins do.
 */
import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CommandSpec, ObjectiveRef } from '../space/index.js';

export type ObjectiveInspection =
  | {
      readonly ok: true;
      /** Metric names the objective returns; null when it does not say. */
      readonly metrics: readonly string[] | null;
      /** Parameter names it accepts and those it cannot do without; null when it does not say. */
      readonly parameters: { readonly accepts: readonly string[]; readonly requires: readonly string[] } | null;
    }
  | { readonly ok: false; readonly field: string; readonly error: string };

/** How long loading may take before the objective is reported as hanging at import. */
const INSPECT_TIMEOUT_MS = 60_000;

/** The space-file field an objective reference came from, for error messages. */
export function objectiveField(ref: ObjectiveRef): string {
  return ref.builtin !== undefined ? 'objective.builtin' : ref.command ? 'objective.command' : 'objective.module';
}

export function inspectObjective(ref: ObjectiveRef, timeoutMs = INSPECT_TIMEOUT_MS): Promise<ObjectiveInspection> {
  // A command is not loaded: what can be checked before a sweep is that its program is there.
  if (ref.command) return Promise.resolve(inspectCommand(ref.command));
  const field = objectiveField(ref);
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./inspect-worker.js', import.meta.url), { workerData: ref, stdout: true, stderr: true });
    let settled = false;
    const settle = (result: ObjectiveInspection): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(result);
    };
    const timer = setTimeout(() => settle({ ok: false, field, error: `loading the objective took longer than ${timeoutMs / 1000} s` }), timeoutMs);
    worker.on('message', (result: ObjectiveInspection) => settle(result));
    worker.on('error', (err) => settle({ ok: false, field, error: `loading the objective crashed its thread: ${err.message.split('\n')[0]}` }));
    worker.on('exit', (code) => settle({ ok: false, field, error: `loading the objective ended its thread (exit code ${code})` }));
  });
}

/** A command objective's program: a path (relative to its cwd) that exists, or a name found on PATH. */
function inspectCommand(command: CommandSpec): ObjectiveInspection {
  const program = command.argv[0]!;
  const found = program.includes('/')
    ? existsSync(resolve(command.cwd, program))
    : (command.env.PATH ?? process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, program)));
  // What it prints is known only from the space file: the objectives plus objective.metrics.
  if (found) return { ok: true, metrics: command.metrics, parameters: null };
  const where = program.includes('/') ? `no file ${resolve(command.cwd, program)}` : `'${program}' is not on PATH`;
  return { ok: false, field: 'objective.command', error: `cannot run the command: ${where}` };
}
