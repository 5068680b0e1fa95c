export type * from './types.js';
export { paretoFront, spaceObjectives, type ParetoOptions } from './pareto.js';
export { dominates, constrainedDominates, nonDominatedIndices, nonDominatedPoints, paretoFilter, toMinimization, type ConstrainedPoint } from './dominance.js';
export { hypervolume, hypervolume2d, hypervolume3d, hypervolumeExact, hypervolumeMonteCarlo, wfgLimit } from './hypervolume.js';
export { kneeIndex, type KneeInput } from './knee.js';
export { acquisitionReferencePoint, chooseReferencePoint, extremesReferencePoint, declaredReferencePoint, inferReferencePoint, REFERENCE_TRIALS } from './reference.js';
export { compileConstraints, constraintSlack, constraintViolation, slackMeets, totalViolation, type CompiledConstraint } from './violation.js';
export { crowdingDistances, frontIndices, rankPoints, type RankedPoint } from './sorting.js';
