/**
 * How a run stops on a signal. SIGINT (Ctrl-C), SIGTERM (a scheduler, `kill`) and SIGHUP (the
 * terminal closed) all mean the same: the first launches nothing more and gives running trials a
 * grace period, then aborts them (they go back to `waiting` for the next resume); a second aborts
 * at once. The exit code then says which signal ended the run (128 + its number, as a shell does).
 */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** 128 + the signal number: what a shell reports for a process ended by that signal. */
export const SIGNAL_EXIT_CODES: Readonly<Record<StopSignal, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/** How long running trials may take to finish after the first signal, before they are aborted. */
export const STOP_GRACE_MS = 30_000;

export class SignalStop {
  /** Aborted by the first signal: launch nothing more. */
  readonly stop = new AbortController();
  /** Aborted by the second signal or when the grace period ends: stop running trials too. */
  readonly abort = new AbortController();
  #received: StopSignal | null = null;
  #grace: NodeJS.Timeout | undefined;
  readonly #handlers = new Map<StopSignal, () => void>();

  constructor(
    private readonly note: (message: string) => void,
    private readonly graceMs: number = STOP_GRACE_MS,
  ) {}

  /** The first signal received, null if none. */
  get received(): StopSignal | null {
    return this.#received;
  }

  install(): this {
    for (const signal of STOP_SIGNALS) {
      const handler = (): void => this.#onSignal(signal);
      this.#handlers.set(signal, handler);
      process.on(signal, handler);
    }
    return this;
  }

  uninstall(): void {
    for (const [signal, handler] of this.#handlers) process.off(signal, handler);
    this.#handlers.clear();
    clearTimeout(this.#grace);
  }

  #onSignal(signal: StopSignal): void {
    if (!this.stop.signal.aborted) {
      this.#received = signal;
      this.stop.abort(new Error(`stopped by ${signal}`));
      this.note(`${signal}: launching no new trials; running ones get ${Math.round(this.graceMs / 1000)} s to finish (signal again to stop them now)`);
      this.#grace = setTimeout(() => this.#abortRunning(`${signal}: grace period over`), this.graceMs);
      this.#grace.unref();
    } else {
      this.#abortRunning(`${signal} again`);
    }
  }

  #abortRunning(why: string): void {
    if (this.abort.signal.aborted) return;
    this.note(`${why}: stopping running trials; they will be re-run by 'sweetspot resume'`);
    this.abort.abort(new Error(`interrupted by ${this.#received ?? 'a signal'}`));
  }
}
