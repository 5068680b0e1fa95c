export type * from './types.js';
export { BENCHMARKS, zdt1, zdt2, dtlz2, branin_currin, branin, hartmann6 } from './benchmarks.js';
export { loadObjective, benchmarkObjective, declaredReference, poolNeeds, BUILTIN_OBJECTIVES } from './registry.js';
export { commandObjective } from './command.js';
export { inspectObjective, type ObjectiveInspection } from './inspect.js';
export { curveFacts, learningCurves, type CurveFacts } from './curves.js';
