/**
 * `sweetspot importance <study>`: which parameters matter for each metric (and E), by out-of-bag
 * permutation importance on a random forest. The computation is src/analysis's, the same one the
 * report draws; this file only prints it.
 */
import { computeImportance, type ImportanceResult } from '../../analysis/index.js';
import { UsageError } from '../../errors.js';
import { table } from '../format.js';
import { printJson, requireStudy, storedSpace, withStorage, type GlobalArgs } from '../session.js';

export async function importanceCommand(args: GlobalArgs & { study: string; metric?: string }): Promise<void> {
  const { space, trials } = await withStorage(args.storage, async (storage) => {
    const study = await requireStudy(storage, args.study, args.storage);
    return { space: storedSpace(study), trials: await storage.getTrials(study.name) };
  });
  const known = [...Object.keys(space.metrics), ...(space.balance ? ['E'] : [])];
  if (args.metric !== undefined && !known.includes(args.metric)) {
    throw new UsageError(`--metric: one of ${known.join(', ')} (the study's metrics${space.balance ? ' and E' : ''}), got '${args.metric}'`);
  }
  const all = computeImportance(space, trials);
  const result: ImportanceResult =
    args.metric === undefined
      ? all
      : { ...all, targets: all.targets.filter((t) => t.metric === args.metric), skipped: all.skipped.filter((s) => s.metric === args.metric) };
  if (args.json) return printJson(result);
  process.stdout.write(`${describeImportance(args.study, Object.keys(space.params), result).join('\n')}\n`);
}

/** The importance table (a row per parameter, a column per metric) with each forest's fit and the skipped metrics. */
export function describeImportance(study: string, params: readonly string[], result: ImportanceResult): string[] {
  const lines = [`Parameter importance in '${study}' (share of each metric's variance lost when the parameter is shuffled, ± 1 standard error)`];
  if (result.targets.length > 0) {
    const rows = params.map((param, j) => [
      param,
      ...result.targets.map((t) => `${t.scores[j]!.importance.toFixed(2)} ± ${t.scores[j]!.stderr.toFixed(2)}`),
    ]);
    lines.push(table(['parameter', ...result.targets.map((t) => t.metric)], rows));
    for (const t of result.targets) {
      lines.push(`${t.metric}: ${t.n} trials, out-of-bag R² ${t.oobR2.toFixed(2)}${t.transform === 'log10' ? ', modelled as log10' : ''}`);
    }
  }
  for (const s of result.skipped) lines.push(`${s.metric}: not computed: ${s.reason}`);
  return lines;
}
