/** Durations as text, one form everywhere: "4.2s", "3m 07s", "2h 05m". */
import { MISSING } from './number.js';

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return MISSING;
  if (ms < 60_000) {
    const text = (ms / 1000).toPrecision(ms < 10_000 ? 2 : 3);
    return `${text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text}s`;
  }
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  return `${m}m ${String(s % 60).padStart(2, '0')}s`;
}
