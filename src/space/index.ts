export type * from './types.js';
export { PRUNER_NAMES, SAMPLER_NAMES } from './types.js';
export { loadSpace, parseSpace, parsePruner, spaceHash, DEFAULT_PRUNER, DEFAULT_SAMPLER, DEFAULT_COMMAND_GRACE_MS } from './parse.js';
export { splitCommand, substitute, COMMAND_PLACEHOLDERS } from './command.js';
export { encode, decode, encodeValue, decodeValue, cardinality, isValidValue, checkParams, paramsKey } from './encode.js';
export { FeatureMap, MAX_GRID, type FeatureDim } from './features.js';
export { parseExpression, evaluateExpression, evaluate, expressionNames, EXPRESSION_FUNCTIONS, type Expr } from './expression.js';
export { parseDuration, parseSize } from './duration.js';
export { STUDY_NAME, STUDY_NAME_RULE } from './schema.js';
