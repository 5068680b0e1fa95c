/**
 * bench:scale — several `sweetspot worker` processes on one study: 1, 2 and 4 processes of 2
 * worker threads each, a fixed-cost objective that sleeps SLEEP_MS per trial (no CPU, so a
 * 2-core machine can measure the orchestration of 8 slots), on each storage backend reachable
 * here, in one run. Optuna on the same database server and objective is the peer where it runs.
 *
 * Figures come from the trials' stored timestamps, not from process lifetimes, so process
 * start-up is not counted as trial throughput:
 * - trials/s: trials finished while every process was running trials (from the last process's
 *   first start to the first process's last finish), over that window;
 * - efficiency: trials/s at P processes over P × trials/s at 1 process, same backend;
 * - overhead per trial: per worker slot, each trial's duration beyond the sleep plus the gap
 *   before that slot's next trial (storage writes, the sampler, the pool's hand-off), median.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSpace } from '../src/space/index.js';
import { openStorage } from '../src/storage/index.js';
import { markdownTable, writeBenchReport } from './common.js';
import { scaleBackends, type ScaleBackend } from './scale-backends.js';
import { optunaPeer, type TimedTrial } from './scale-optuna.js';

/** Load before any of this bench's processes start: the table says what else shared the cores. */
const LOAD_BEFORE = loadavg()[0]!;
const SLEEP_MS = Number(process.env.SLEEP_MS ?? 200);
const THREADS = 2;
const PROCESSES = (process.env.PROCESSES ?? '1,2,4').split(',').map(Number);
/** Trials per worker slot in each run (the run's budget is P × THREADS × this). */
const TRIALS_PER_SLOT = Number(process.env.TRIALS_PER_SLOT ?? 30);
const MAIN = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const OBJECTIVE = fileURLToPath(new URL('./fixtures/sleep-objective.js', import.meta.url));

export interface ScaleFigures {
  readonly complete: number;
  readonly distinctParams: number;
  readonly wallS: number;
  readonly rate: number;
  readonly overheadMs: number;
  readonly overheadMeanMs: number;
}

/** The figures above from trials with start, finish and a slot (process + thread). */
export function figures(trials: readonly TimedTrial[], wallS: number, sleepMs: number): ScaleFigures {
  const byProcess = new Map<string, TimedTrial[]>();
  const bySlot = new Map<string, TimedTrial[]>();
  for (const t of trials) {
    (byProcess.get(t.process) ?? byProcess.set(t.process, []).get(t.process)!).push(t);
    (bySlot.get(t.slot) ?? bySlot.set(t.slot, []).get(t.slot)!).push(t);
  }
  const from = Math.max(...[...byProcess.values()].map((ts) => Math.min(...ts.map((t) => t.start))));
  const to = Math.min(...[...byProcess.values()].map((ts) => Math.max(...ts.map((t) => t.end))));
  const inWindow = trials.filter((t) => t.end > from && t.end <= to).length;
  const perTrial: number[] = [];
  for (const ts of bySlot.values()) {
    ts.sort((a, b) => a.start - b.start);
    for (let i = 0; i + 1 < ts.length; i++) perTrial.push(ts[i]!.end - ts[i]!.start - sleepMs + (ts[i + 1]!.start - ts[i]!.end));
  }
  perTrial.sort((a, b) => a - b);
  return {
    complete: trials.length,
    distinctParams: new Set(trials.map((t) => t.params)).size,
    wallS,
    rate: to > from ? (inWindow / (to - from)) * 1000 : NaN,
    overheadMs: perTrial.length > 0 ? perTrial[Math.floor(perTrial.length / 2)]! : NaN,
    overheadMeanMs: perTrial.length > 0 ? perTrial.reduce((a, b) => a + b, 0) / perTrial.length : NaN,
  };
}

function spaceText(trials: number): string {
  return `name: scale
objective:
  module: ${JSON.stringify(OBJECTIVE)}
  options: { sleepMs: ${SLEEP_MS} }
params: { x: { type: float, low: -1, high: 1 }, y: { type: int, low: 0, high: 10 } }
metrics: { f: minimize }
budget: { trials: ${trials}, workers: ${THREADS}, leaseGrace: 2s }
sampler: random
seed: 1
`;
}

function runWorker(location: string, cwd: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, 'worker', 'scale', '--storage', location, '--workers', String(THREADS)], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

async function sweetspotRun(backend: ScaleBackend, processes: number, dir: string): Promise<ScaleFigures> {
  const trials = processes * THREADS * TRIALS_PER_SLOT;
  const tag = `p${processes}`;
  const spaceFile = join(dir, `${tag}.yaml`);
  writeFileSync(spaceFile, spaceText(trials));
  const space = loadSpace(spaceFile);
  const location = await backend.location(tag, dir);
  const storage = await openStorage(location, { create: true });
  await storage.createStudy({ name: 'scale', spaceFile, spaceText: space.text, spaceHash: space.hash, directions: space.metrics, seed: 1 });
  await storage.close();
  const t0 = performance.now();
  const ended = await Promise.all(Array.from({ length: processes }, () => runWorker(location, dir)));
  const wallS = (performance.now() - t0) / 1000;
  for (const e of ended) if (e.code !== 0) throw new Error(`${backend.label}, ${processes} processes: a worker exited ${e.code}: ${e.stderr.trim().split('\n').pop()}`);
  const read = await openStorage(location, { create: false });
  const done = (await read.getTrials('scale', ['complete'])).map((t) => ({
    start: Date.parse(t.startedAt!),
    end: Date.parse(t.finishedAt!),
    process: t.owner!,
    slot: `${t.owner}#${t.worker}`,
    params: JSON.stringify(t.params),
  }));
  await read.close();
  return figures(done, wallS, SLEEP_MS);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sweetspot-scale-'));
  const rows: (string | number)[][] = [];
  const notes: string[] = [];
  try {
    for (const backend of await scaleBackends()) {
      if (backend.skip) {
        notes.push(`${backend.label}: not measured: ${backend.skip}`);
        continue;
      }
      const peers: { name: string; run: (p: number) => Promise<ScaleFigures | string> }[] = [
        { name: 'sweetspot', run: (p) => sweetspotRun(backend, p, dir) },
        ...(backend.optuna ? [{ name: 'Optuna 3.1', run: async (p: number) => optunaPeer(await backend.location(`optuna_p${p}`, dir), p, THREADS, p * THREADS * TRIALS_PER_SLOT, SLEEP_MS, dir, figures) }] : []),
      ];
      for (const peer of peers) {
        let single: number | undefined;
        for (const p of PROCESSES) {
          process.stdout.write(`${peer.name} on ${backend.label}, ${p} process(es)…\n`);
          const f = await peer.run(p);
          if (typeof f === 'string') {
            notes.push(`${peer.name} on ${backend.label}: not measured: ${f}`);
            break;
          }
          if (p === 1) single = f.rate;
          const ideal = (p * THREADS * 1000) / SLEEP_MS;
          rows.push([
            peer.name,
            backend.label,
            p,
            p * THREADS,
            `${f.complete} (${f.distinctParams === f.complete ? 'all distinct' : `${f.complete - f.distinctParams} repeated`})`,
            f.rate,
            `${((f.rate / ideal) * 100).toFixed(1)}%`,
            single === undefined ? '—' : `${((f.rate / (p * single)) * 100).toFixed(1)}%`,
            f.overheadMs,
            f.overheadMeanMs,
            f.wallS,
          ]);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const table = markdownTable(
    ['system', 'storage', 'processes', 'slots', 'trials complete', 'trials/s (all processes in)', 'of ideal (slots / sleep)', 'scaling efficiency vs 1 process', 'overhead per trial, ms (median)', 'mean', 'wall s (with process start)'],
    rows,
  );
  writeBenchReport('scale', `bench:scale — worker processes on one study, ${SLEEP_MS} ms sleeping trials, ${THREADS} threads per process`, table, [
    `Each run: a fresh database, a study of P × ${THREADS} × ${TRIALS_PER_SLOT} trials (random sampler), P \`sweetspot worker\` processes started at once (\`--workers ${THREADS}\`).`,
    'trials/s counts the trials finished while every process was running trials, from the stored timestamps (ms); process start-up is outside it and in the wall column.',
    'overhead per trial: per worker slot, trial duration beyond the sleep plus the gap before the slot\'s next trial (store the result, re-read what other processes did, propose, conditional start, pool hand-off); median and mean over all trials (the mean carries the stalls of a loaded machine).',
    `${cpus().length} cores; 1-minute load average ${LOAD_BEFORE.toFixed(1)} when the run started and ${loadavg()[0]!.toFixed(1)} when it ended (a load of several times the core count means other work shared the cores and the efficiencies are the machine's, not sweetspot's). The objective sleeps, so 8 slots fit, but every process's orchestration, the PostgreSQL server and the Optuna peer share these cores.`,
    ...notes,
  ]);
}

await main();
