/**
 * Writing the report to disk. The report is rewritten after every finished trial while someone may
 * have it open or be copying it, so each file is written to a temporary file in the same folder,
 * flushed, and renamed over the target: a reader sees the old file or the new one, never half.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { SweetspotError } from '../errors.js';
import { prepareReport } from './build.js';
import { renderPage } from './html.js';
import { standaloneSvg } from './svg.js';
import type { ReportInput } from './types.js';

/** Write `text` to `path` atomically (temp file in the same folder + fsync + rename). Returns bytes written. */
export async function writeFileAtomic(path: string, text: string): Promise<number> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const data = Buffer.from(text, 'utf8');
  try {
    await mkdir(dir, { recursive: true });
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined); // the temp file may not exist; the original error matters
    throw new SweetspotError(`report: could not write ${path}: ${(err as Error).message}`, { cause: err });
  }
  return data.length;
}

/** The analysed study, as both the page and the SVG export render it. */
export type PreparedReport = ReturnType<typeof prepareReport>;

/**
 * Build the HTML report and write it atomically to `outPath`. Returns what it prepared too, so a
 * caller that also wants the SVGs or the terminal summary does not analyse the study again.
 */
export async function writeReport(input: ReportInput, outPath: string): Promise<{ path: string; bytes: number; prepared: PreparedReport }> {
  const prepared = prepareReport(input);
  const bytes = await writeFileAtomic(outPath, renderPage(prepared.model, prepared.charts));
  return { path: outPath, bytes, prepared };
}

/** Default folder of a study's SVG exports: reports/<study>/. */
export function defaultSvgDir(study: string): string {
  return join('reports', study);
}

/**
 * Write every chart as a standalone SVG (`pareto.svg`, `balance.svg`, `hypervolume.svg`,
 * `curves.svg`, `parallel.svg`, `importance.svg`) under `dir` (default reports/<study>/).
 */
export async function writeReportSvgs(
  input: ReportInput,
  dir: string = defaultSvgDir(input.study.name),
  prepared: PreparedReport = prepareReport(input),
): Promise<{ path: string; bytes: number }[]> {
  const { charts } = prepared;
  const out: { path: string; bytes: number }[] = [];
  for (const chart of charts) {
    const path = join(dir, `${chart.id.replace(/^chart-/, '')}.svg`);
    out.push({ path, bytes: await writeFileAtomic(path, standaloneSvg(chart.svg)) });
  }
  return out;
}
