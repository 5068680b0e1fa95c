/**
 * Turning an `objective:` block into a callable Objective. Runs inside worker threads (and in the
 * main thread for in-process execution). Built-in benchmark problems take parameters x0..x{d-1}
 * and return f1, f2 (multi-objective) or f; `compression` is the model-compression trial; a
 * `command` runs a program per trial.
 */
import { pathToFileURL } from 'node:url';
import { ObjectiveError } from '../errors.js';
import type { ObjectiveRef, Params } from '../space/index.js';
import { BENCHMARKS } from './benchmarks.js';
import { commandObjective } from './command.js';
import { learningCurves } from './curves.js';
import type { BenchmarkProblem, Objective, PoolNeeds } from './types.js';

/** Built-ins implemented in their own module, loaded only when used (tfjs is heavy). */
const MODULE_BUILTINS: Readonly<Record<string, string>> = {
  compression: './compression/index.js',
};

/** Built-ins that report intermediate values at no cost (for measuring early stopping). */
const SYNTHETIC_BUILTINS: Readonly<Record<string, Objective>> = {
  'learning-curves': learningCurves,
};

export const BUILTIN_OBJECTIVES: readonly string[] = [...Object.keys(BENCHMARKS), ...Object.keys(SYNTHETIC_BUILTINS), ...Object.keys(MODULE_BUILTINS)];

/**
 * What an objective needs from the pool (main thread, before the pool starts). Built-ins that
 * depend on a backend answer from their own small module, loaded only when used; benchmark
 * problems and user modules take any number of threads.
 */
export async function poolNeeds(ref: ObjectiveRef): Promise<PoolNeeds> {
  if (ref.builtin === 'compression') {
    const { compressionNeeds } = await import('./compression/needs.js');
    return compressionNeeds(ref.options);
  }
  return { maxThreads: Infinity };
}

export function benchmarkObjective(problem: BenchmarkProblem): Objective {
  return async (params: Params) => {
    const x = problem.bounds.map((_, i) => {
      const v = params[`x${i}`];
      if (typeof v !== 'number') throw new ObjectiveError(`${problem.name} needs a numeric parameter x${i}, got ${JSON.stringify(v)}`);
      return v;
    });
    const values = problem.evaluate(x);
    return Object.fromEntries(problem.objectives.map((name, i) => [name, values[i]!]));
  };
}

const cache = new Map<string, Promise<Objective>>();

export function loadObjective(ref: ObjectiveRef): Promise<Objective> {
  if (ref.command) return Promise.resolve(commandObjective(ref.command));
  const key = ref.builtin ? `builtin:${ref.builtin}` : `module:${ref.module}`;
  let loaded = cache.get(key);
  if (!loaded) {
    loaded = resolveObjective(ref);
    cache.set(key, loaded);
    loaded.catch(() => cache.delete(key));
  }
  return loaded;
}

/**
 * The module namespace of a module objective or a module built-in (for what it declares beside
 * its default); a command objective declares nothing this way.
 */
export async function objectiveModule(ref: ObjectiveRef): Promise<unknown> {
  if (ref.command) return {};
  if (ref.builtin !== undefined) {
    const path = MODULE_BUILTINS[ref.builtin];
    return path ? import(path) : {};
  }
  return import(pathToFileURL(ref.module!).href);
}

async function resolveObjective(ref: ObjectiveRef): Promise<Objective> {
  if (ref.builtin !== undefined) {
    const problem = BENCHMARKS[ref.builtin];
    if (problem) return benchmarkObjective(problem);
    const synthetic = SYNTHETIC_BUILTINS[ref.builtin];
    if (synthetic) return synthetic;
    const path = MODULE_BUILTINS[ref.builtin];
    if (!path) throw new ObjectiveError(`unknown built-in objective '${ref.builtin}'; known: ${BUILTIN_OBJECTIVES.join(', ')}`);
    return defaultExport(await import(path), `built-in '${ref.builtin}'`);
  }
  let mod: unknown;
  try {
    mod = await import(pathToFileURL(ref.module!).href);
  } catch (err) {
    throw new ObjectiveError(`cannot load objective module ${ref.module}: ${(err as Error).message}`, { cause: err });
  }
  return defaultExport(mod, ref.module!);
}

function defaultExport(mod: unknown, where: string): Objective {
  const fn = (mod as { default?: unknown }).default;
  if (typeof fn !== 'function') {
    throw new ObjectiveError(`${where}: the default export must be an async function (params, ctx) => metrics, got ${typeof fn}`);
  }
  return fn as Objective;
}

/**
 * The declared hypervolume reference point (metric → value) of a built-in benchmark objective, or
 * undefined for any other objective. The composition side hands it to the Pareto analysis.
 */
export function declaredReference(ref: ObjectiveRef): Readonly<Record<string, number>> | undefined {
  if (ref.builtin === undefined || !Object.prototype.hasOwnProperty.call(BENCHMARKS, ref.builtin)) return undefined;
  const problem = BENCHMARKS[ref.builtin]!;
  if (!problem.refPoint) return undefined;
  return Object.fromEntries(problem.objectives.map((name, i) => [name, problem.refPoint![i]!]));
}
