export type { ReportInput, ReportModel, Chart, ParetoView, BalanceView, TrialView } from './types.js';
export { buildReport, prepareReport } from './build.js';
export { writeReport, writeReportSvgs, writeFileAtomic, defaultSvgDir, type PreparedReport } from './write.js';
export { formatRunSummary, type RunSummaryOptions } from './summary.js';
export { computeImportance, permutationImportance, IMPORTANCE_METHOD, IMPORTANCE_TREES, MIN_IMPORTANCE_TRIALS, type ImportanceResult, type ImportanceTarget, type ParamImportance } from './importance.js';
export { fitForest, predictForest, predictTree, type Forest, type ForestOptions } from './forest.js';
