/**
 * The Optuna peer of bench:scale: the same sleeping objective and process counts on the same
 * database server, P Python processes of `study.optimize(n_jobs=threads)` stopped by
 * MaxTrialsCallback at the same budget (Optuna has no joint budget in storage; a process stops
 * after the trials it has in flight, so it may overshoot by a few). /usr/bin/python3 with Debian's
 * python3-optuna 3.1 and python3-psycopg2.
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScaleFigures } from './scale.js';

/** A finished trial as bench:scale measures it. */
export interface TimedTrial {
  readonly start: number;
  readonly end: number;
  /** The process that ran it, and its slot (process + thread). */
  readonly process: string;
  readonly slot: string;
  /** Its parameters as JSON, to count repeats. */
  readonly params: string;
}

const SCRIPT = `
import json, os, sys, threading, time
import optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)
mode, url = sys.argv[1], sys.argv[2]
if mode == "create":
    optuna.create_study(study_name="scale", storage=url)
elif mode == "work":
    total, sleep_ms, threads = int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
    study = optuna.load_study(study_name="scale", storage=url, sampler=optuna.samplers.RandomSampler())
    def objective(t):
        t.set_user_attr("slot", "%d-%d" % (os.getpid(), threading.get_ident()))
        x = t.suggest_float("x", -1, 1)
        y = t.suggest_int("y", 0, 10)
        time.sleep(sleep_ms / 1000)
        return x * x + y
    study.optimize(objective, n_jobs=threads, callbacks=[optuna.study.MaxTrialsCallback(total, states=None)])
elif mode == "dump":
    study = optuna.load_study(study_name="scale", storage=url)
    done = study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.COMPLETE,))
    print(json.dumps([{"start": t.datetime_start.timestamp() * 1000, "end": t.datetime_complete.timestamp() * 1000,
                       "slot": t.user_attrs.get("slot", "?"), "params": json.dumps(t.params, sort_keys=True)} for t in done]))
`;

function python(script: string, args: readonly string[]): { ok: boolean; out: string; err: string } {
  const r = spawnSync('/usr/bin/python3', [script, ...args], { encoding: 'utf8', timeout: 600_000, maxBuffer: 64 * 1024 * 1024 });
  return { ok: r.status === 0, out: r.stdout ?? '', err: (r.stderr || r.error?.message || '').trim().split('\n').slice(-1)[0] ?? '' };
}

/** Figures for Optuna at `processes` processes, or why it could not run. */
export async function optunaPeer(url: string, processes: number, threads: number, trials: number, sleepMs: number, dir: string, figures: (t: readonly TimedTrial[], wallS: number, sleepMs: number) => ScaleFigures): Promise<ScaleFigures | string> {
  const script = join(dir, 'optuna_scale.py');
  writeFileSync(script, SCRIPT);
  // SQLAlchemy knows PostgreSQL as postgresql:// only.
  url = url.replace(/^postgres:\/\//, 'postgresql://');
  const created = python(script, ['create', url]);
  if (!created.ok) return `optuna/psycopg2 did not run: ${created.err}`;
  const t0 = performance.now();
  const codes = await Promise.all(
    Array.from({ length: processes }, () =>
      new Promise<number | null>((resolve) => {
        const child = spawn('/usr/bin/python3', [script, 'work', url, String(trials), String(sleepMs), String(threads)], { stdio: 'ignore' });
        child.on('exit', resolve);
      }),
    ),
  );
  const wallS = (performance.now() - t0) / 1000;
  if (codes.some((c) => c !== 0)) return `an Optuna process exited ${codes.find((c) => c !== 0)}`;
  const dumped = python(script, ['dump', url]);
  if (!dumped.ok) return `reading Optuna's trials failed: ${dumped.err}`;
  const rows = JSON.parse(dumped.out) as { start: number; end: number; slot: string; params: string }[];
  return figures(rows.map((r) => ({ ...r, process: r.slot.split('-')[0]! })), wallS, sleepMs);
}
