export { computeImportance, permutationImportance, IMPORTANCE_METHOD, IMPORTANCE_TREES, MIN_IMPORTANCE_TRIALS, type ImportanceResult, type ImportanceTarget, type ParamImportance } from './importance.js';
export { fitForest, predictForest, predictTree, type Forest, type ForestOptions, type RegressionTree } from './forest.js';
export { wantsLog } from './scale.js';
