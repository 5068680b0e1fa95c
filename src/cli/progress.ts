/**
 * The live progress line during `run`: done/total, running, best so far, elapsed, ETA. On a
 * terminal it rewrites one line; otherwise (logs, CI) it prints one line per finished trial.
 */
import type { Space } from '../space/index.js';
import { formatDuration, formatMetric } from '../format/index.js';
import type { LoopProgress, Trial } from '../study/index.js';

/**
 * The best value of each metric so far, e.g. `f=0.398 (#12)` for one metric or
 * `accuracy ↑0.91 size_bits ↓7 KiB (56.98 kbit)` for several; `–` before any trial completes.
 */
export function bestSoFar(space: Space, trials: readonly Trial[]): string {
  const names = Object.keys(space.metrics);
  const complete = trials.filter((t) => t.state === 'complete' && t.metrics);
  if (complete.length === 0) return '–';
  if (names.length === 1) {
    const m = names[0]!;
    const sign = space.metrics[m] === 'maximize' ? 1 : -1;
    let best = complete[0]!;
    for (const t of complete) if (sign * t.metrics![m]! > sign * best.metrics![m]!) best = t;
    return `${m}=${formatMetric(m, best.metrics![m])} (#${best.number})`;
  }
  return names
    .map((m) => {
      const sign = space.metrics[m] === 'maximize' ? 1 : -1;
      const v = complete.reduce((acc, t) => (sign * t.metrics![m]! > sign * acc ? t.metrics![m]! : acc), complete[0]!.metrics![m]!);
      return `${m} ${space.metrics[m] === 'maximize' ? '↑' : '↓'}${formatMetric(m, v)}`;
    })
    .join(' ');
}

export function progressLine(p: LoopProgress, best: string, extra = ''): string {
  const eta = p.etaMs === null ? '–' : formatDuration(p.etaMs);
  const failed = p.failed > 0 ? ` · ${p.failed} failed` : '';
  const pruned = p.pruned > 0 ? ` · ${p.pruned} pruned` : '';
  return `[${p.done}/${p.total}] running ${p.running}${pruned}${failed} · best ${best} · ${formatDuration(p.elapsedMs)} elapsed · ETA ${eta}${extra}`;
}

export class ProgressPrinter {
  readonly #tty: boolean;
  #last = '';
  constructor(readonly stream: NodeJS.WriteStream = process.stderr) {
    this.#tty = Boolean(stream.isTTY);
  }
  update(line: string, finishedTrial: boolean): void {
    if (this.#tty) {
      const width = this.stream.columns ?? 120;
      const shown = line.length > width - 1 ? `${line.slice(0, width - 2)}…` : line;
      this.stream.write(`\r\x1b[2K${shown}`);
      this.#last = shown;
    } else if (finishedTrial) {
      this.stream.write(`${line}\n`);
    }
  }
  /** Print a message above the progress line. */
  note(message: string): void {
    if (this.#tty && this.#last) this.stream.write('\r\x1b[2K');
    this.stream.write(`${message}\n`);
    if (this.#tty && this.#last) this.stream.write(this.#last);
  }
  done(): void {
    if (this.#tty && this.#last) this.stream.write('\n');
    this.#last = '';
  }
}
