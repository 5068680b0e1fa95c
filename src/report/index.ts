export type { ReportInput, ReportModel, Chart, ParetoView, BalanceView, TrialView } from './types.js';
export { buildReport, prepareReport } from './build.js';
export { writeReport, writeReportSvgs, writeFileAtomic, defaultSvgDir, type PreparedReport } from './write.js';
export { formatReplicated, formatRunSummary, type RunSummaryOptions } from './summary.js';
export { buildComparePage, compareStudies, sharedObjectives, type CompareInput, type Comparison } from './compare.js';
export { LiveReport, type LiveReportOptions } from './live.js';
