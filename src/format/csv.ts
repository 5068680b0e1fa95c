/**
 * CSV as RFC 4180 says, one quoter for every CSV sweetspot writes (trial export, frontier): empty
 * for missing and non-finite numbers (NaN, ±Infinity: what spreadsheets read as blank), JSON for
 * objects and arrays, quotes around fields with a comma, quote or line break, inner quotes doubled.
 */

export function csvField(value: unknown): string {
  let s: string;
  if (value === null || value === undefined) s = '';
  else if (typeof value === 'number') s = Number.isFinite(value) ? String(value) : '';
  else if (typeof value === 'object') s = JSON.stringify(value);
  else s = String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A header row and data rows as CSV text, ending with a line break. */
export function csv(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [headers, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}
