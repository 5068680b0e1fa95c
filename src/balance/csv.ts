/**
 * The frontier as CSV: one row per frontier trial, by size ascending. Columns: trial, the size
 * metric, log2_size, efficiency, recommended, knee, then every parameter and every metric (union
 * over the rows, in first-seen order). Quoting is src/format's, shared with the trial export.
 */
import { csv } from '../format/index.js';
import type { BalanceResult } from './types.js';

export function frontierCsv(result: BalanceResult): string {
  const rows = result.points.filter((p) => p.onEnvelope).sort((a, b) => a.log2Size - b.log2Size || a.trial - b.trial);
  const paramNames: string[] = [];
  const metricNames: string[] = [];
  for (const r of rows) {
    for (const k of Object.keys(r.params)) if (!paramNames.includes(k)) paramNames.push(k);
    for (const k of Object.keys(r.metrics)) if (!metricNames.includes(k)) metricNames.push(k);
  }
  const header = ['trial', result.sizeMetric, 'log2_size', 'efficiency', 'recommended', 'knee', ...paramNames.map((n) => `param_${n}`), ...metricNames.map((n) => `metric_${n}`)];
  return csv(
    header,
    rows.map((r) => [
        r.trial,
        r.size,
        r.log2Size,
        r.e,
        result.recommended?.trial === r.trial ? 1 : 0,
        result.knee?.trial === r.trial ? 1 : 0,
        ...paramNames.map((n) => r.params[n]),
        ...metricNames.map((n) => r.metrics[n]),
      ]),
  );
}
