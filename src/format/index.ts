/** Text formatting shared by the CLI, the report and the CSV files: one definition per rule. */
export { MISSING, formatNumber, formatBytes, formatSize, formatMetric, formatTick, formatParam, formatParams, isSizeInBits, plural } from './number.js';
export { formatDuration } from './duration.js';
export { csv, csvField } from './csv.js';
