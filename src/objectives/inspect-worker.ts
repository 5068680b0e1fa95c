/**
 * Worker-thread entry for `inspectObjective`: loads the objective as a trial's worker would, so
 * that an import error, a syntax error or a missing default export surfaces before a study starts,
 * and reads what the objective declares about itself (the metrics it returns, the parameters it
 * takes). A requested TensorFlow.js backend is loaded here too, in a thread that then exits.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { oneLine } from '../errors.js';
import type { ObjectiveRef } from '../space/index.js';
import { BENCHMARKS } from './benchmarks.js';
import { loadObjective, objectiveModule } from './registry.js';
import { objectiveField, type ObjectiveInspection } from './inspect.js';

async function inspect(ref: ObjectiveRef): Promise<ObjectiveInspection> {
  try {
    await loadObjective(ref);
  } catch (err) {
    return { ok: false, field: objectiveField(ref), error: oneLine(err) };
  }
  const problem = ref.builtin !== undefined ? BENCHMARKS[ref.builtin] : undefined;
  if (problem) {
    const names = problem.bounds.map((_, i) => `x${i}`);
    return { ok: true, metrics: [...problem.objectives], parameters: { accepts: names, requires: names } };
  }
  const mod = (await objectiveModule(ref)) as { metrics?: unknown; parameters?: unknown; checkOptions?: unknown };
  const strings = (v: unknown): string[] | null => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : null);
  if (typeof mod.checkOptions === 'function') {
    try {
      await (mod.checkOptions as (o: unknown) => unknown)(ref.options);
    } catch (err) {
      return { ok: false, field: 'objective.options', error: oneLine(err) };
    }
  }
  const accepts = strings(mod.parameters);
  return { ok: true, metrics: strings(mod.metrics), parameters: accepts ? { accepts, requires: [] } : null };
}

parentPort!.postMessage(await inspect(workerData as ObjectiveRef));
