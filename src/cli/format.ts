/** Plain-text tables for the terminal (values are formatted by src/format, like everywhere else). */
import { formatNumber } from '../format/index.js';

/** A table cell: strings as they are, numbers through formatNumber, missing values blank. */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'number' ? formatNumber(value) : String(value);
}

/** Render rows as an aligned table; numeric columns right-aligned. */
export function table(headers: readonly string[], rows: readonly (readonly unknown[])[], numericColumns?: readonly boolean[]): string {
  const cells = rows.map((r) => r.map(cell));
  const numeric = numericColumns ?? headers.map((_, j) => rows.length > 0 && rows.every((r) => typeof r[j] === 'number' || r[j] === null || r[j] === undefined));
  const widths = headers.map((h, j) => Math.max(h.length, ...cells.map((r) => (r[j] ?? '').length)));
  const line = (r: readonly string[]): string =>
    r.map((c, j) => (numeric[j] ? c.padStart(widths[j]!) : c.padEnd(widths[j]!))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
