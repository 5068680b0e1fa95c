/**
 * The frontier as CSV: one row per frontier trial, by size ascending. Columns: trial, the size
 * metric, log2_size, efficiency, recommended, knee, then every parameter and every metric (union
 * over the rows, in first-seen order). RFC 4180 quoting: fields with a comma, quote or newline are
 * quoted and inner quotes doubled.
 */
import type { BalanceResult } from './types.js';

function field(v: unknown): string {
  if (v === undefined || v === null) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function frontierCsv(result: BalanceResult): string {
  const rows = result.points.filter((p) => p.onEnvelope).sort((a, b) => a.log2Size - b.log2Size || a.trial - b.trial);
  const paramNames: string[] = [];
  const metricNames: string[] = [];
  for (const r of rows) {
    for (const k of Object.keys(r.params)) if (!paramNames.includes(k)) paramNames.push(k);
    for (const k of Object.keys(r.metrics)) if (!metricNames.includes(k)) metricNames.push(k);
  }
  const header = ['trial', result.sizeMetric, 'log2_size', 'efficiency', 'recommended', 'knee', ...paramNames.map((n) => `param_${n}`), ...metricNames.map((n) => `metric_${n}`)];
  const lines = [header.map(field).join(',')];
  for (const r of rows) {
    lines.push(
      [
        r.trial,
        r.size,
        r.log2Size,
        r.e,
        result.recommended?.trial === r.trial ? 1 : 0,
        result.knee?.trial === r.trial ? 1 : 0,
        ...paramNames.map((n) => r.params[n]),
        ...metricNames.map((n) => r.metrics[n]),
      ]
        .map(field)
        .join(','),
    );
  }
  return lines.join('\n') + '\n';
}
