/**
 * Shared by the benchmarks (and the tests' trial fixtures): where tables go, how external reference
 * scripts are found, and the bare trial records an in-process ask/tell loop keeps.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { availableParallelism, cpus } from 'node:os';
import type { Params } from '../src/space/index.js';
import type { Metrics, Trial, TrialState } from '../src/study/index.js';

export const REPO = process.cwd();
/** ../shared/reference beside the checkout, as laid out for sessions and CI. */
export const REFERENCE_DIR = resolve(REPO, '..', 'shared', 'reference');

export function machineLine(): string {
  return `${cpus()[0]?.model ?? 'cpu'} · ${availableParallelism()} cores · node ${process.version} · ${new Date().toISOString()}`;
}

/** Print a markdown table and write it (with a title and notes) to reports/bench/<name>.md. */
export function writeBenchReport(name: string, title: string, table: string, notes: readonly string[] = []): string {
  const dir = join(REPO, 'reports', 'bench');
  mkdirSync(dir, { recursive: true });
  const text = [`# ${title}`, '', machineLine(), '', table, '', ...notes.map((n) => `- ${n}`), ''].join('\n');
  const file = join(dir, `${name}.md`);
  writeFileSync(file, text);
  process.stdout.write(`${text}\nwritten to ${file}\n`);
  return file;
}

export function markdownTable(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const fmt = (v: string | number) => (typeof v === 'number' ? String(Number(v.toPrecision(4))) : v);
  return [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(fmt).join(' | ')} |`)].join('\n');
}

/** Run /usr/bin/python3 with a script; null (with a note printed) when python or the script is missing. */
export function runPython(script: string, args: readonly string[], timeoutMs = 600_000): string | null {
  if (!existsSync(script)) {
    process.stdout.write(`note: ${script} not found; skipping the reference run\n`);
    return null;
  }
  const r = spawnSync('/usr/bin/python3', [script, ...args], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    process.stdout.write(`note: ${script} failed (${r.status}): ${(r.stderr || r.error?.message || '').split('\n').slice(-3).join(' ')}\n`);
    return null;
  }
  return r.stdout;
}

/**
 * A trial as an in-process ask/tell loop holds it: no storage, so no attributes, learning curve,
 * error or timestamps.
 */
export function trialRecord(study: string, number: number, state: TrialState, params: Params, metrics: Metrics | null, worker = 0): Trial {
  return { study, number, state, params, metrics, attrs: {}, intermediate: [], error: null, worker, attempt: 1, interrupted: false, owner: null, startedAt: null, finishedAt: null };
}
