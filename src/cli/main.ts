/**
 * The `sweetspot` command line. Every failure a user can cause ends as one line on stderr naming
 * what was wrong, and exit code 1 (2 for command-line usage errors).
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ExitStatus, oneLine, SweetspotError, UsageError } from '../errors.js';
import { PRUNER_NAMES, SAMPLER_NAMES } from '../space/index.js';
import { DEFAULT_STORAGE } from '../storage/index.js';
import { TRIAL_STATES } from '../study/index.js';
import { analysisExtras, balanceCommand, paretoCommand, reportCommand } from './commands/analysis.js';
import { doctorCommand } from './commands/doctor.js';
import { importanceCommand } from './commands/importance.js';
import { exportCommand, statusCommand, studiesCommand, trialsCommand } from './commands/inspect.js';
import { askCommand, enqueueCommand, tellCommand } from './commands/queue.js';
import { deleteCommand, notesCommand, renameCommand } from './commands/manage.js';
import { resumeCommand, runCommand, workerCommand } from './commands/run.js';

/** `--report PATH` → PATH, `--no-report` → false, absent → undefined (the default path). */
function reportOption(value: unknown): string | false | undefined {
  if (value === false) return false;
  return typeof value === 'string' ? value : undefined;
}

export function buildCli(argv: string[]) {
  const budgetOptions = {
    trials: { type: 'number', requiresArg: true, describe: 'total trials for the study (overrides budget.trials)' },
    workers: { type: 'number', requiresArg: true, describe: 'trials run in parallel, one worker thread each (overrides budget.workers)' },
    timeout: { type: 'string', requiresArg: true, describe: 'stop launching trials after this long, e.g. 8h' },
    'trial-timeout': { type: 'string', requiresArg: true, describe: 'stop a trial that runs longer than this, e.g. 20m' },
    'gpu-workers': { type: 'number', requiresArg: true, describe: 'GPU worker threads, one GPU device each, beside --workers (overrides budget.gpuWorkers)' },
    backend: { type: 'string', requiresArg: true, describe: 'tfjs backend for the compression objective: auto|tensorflow-gpu|webgpu|tensorflow|wasm|cpu' },
  } as const;
  return yargs(argv)
    .scriptName('sweetspot')
    .usage('$0 <command> [options]\n\nFinds the balance point between a model\'s size and its efficiency.')
    .option('storage', { type: 'string', requiresArg: true, default: DEFAULT_STORAGE, describe: 'study database: a SQLite file path', global: true })
    .option('json', { type: 'boolean', default: false, describe: 'machine-readable output', global: true })
    .command(
      'run <space>',
      'run a new study from a search-space file',
      (y) =>
        y
          .positional('space', { type: 'string', demandOption: true, describe: 'search-space file (.yaml, .yml or .json)' })
          .options(budgetOptions)
          .option('study', { type: 'string', requiresArg: true, describe: 'study name (default: the space name, made unique)' })
          .option('seed', { type: 'number', requiresArg: true, describe: 'random seed (default: the file\'s, else drawn and recorded)' })
          .option('sampler', { choices: SAMPLER_NAMES, describe: 'override the space file\'s sampler (kept with the study)' })
          .option('pruner', { choices: PRUNER_NAMES, describe: 'early stopping (overrides the space file\'s pruner and is kept with the study; default none)' })
          .option('report', { type: 'string', describe: 'HTML report rewritten as trials finish (default reports/<study>.html); --no-report for none' }),
      (a) => runCommand({ ...a, space: a.space, trialTimeout: a['trial-timeout'], gpuWorkers: a['gpu-workers'], report: reportOption(a.report) }),
    )
    .command(
      'resume <study>',
      'continue an interrupted study up to its budget',
      (y) =>
        y
          .positional('study', { type: 'string', demandOption: true, describe: 'name of the study to continue (see `sweetspot studies`); its stored space is used, and the file must not have changed' })
          .options(budgetOptions)
          .option('sampler', { choices: SAMPLER_NAMES, describe: 'sampler from now on (replaces the study\'s sampler and is kept with it)' })
          .option('pruner', { choices: PRUNER_NAMES, describe: 'early stopping from now on (replaces the study\'s pruner and is kept with it)' })
          .option('report', { type: 'string', describe: 'HTML report path (default reports/<study>.html); --no-report for none' }),
      (a) => resumeCommand({ ...a, study: a.study, trialTimeout: a['trial-timeout'], gpuWorkers: a['gpu-workers'], report: reportOption(a.report) }),
    )
    .command(
      'worker <study>',
      'join an existing study (from this or another machine) and run its trials until its budget is used',
      (y) => {
        const { trials: _trials, ...joinOptions } = budgetOptions;
        return y
          .positional('study', { type: 'string', demandOption: true, describe: 'name of the study to join; its stored space, seed and budget are used' })
          .options(joinOptions)
          .option('report', { type: 'string', describe: 'also rewrite an HTML report here as trials finish (default: none; `sweetspot report` makes one from any machine)' });
      },
      (a) => workerCommand({ ...a, study: a.study, trialTimeout: a['trial-timeout'], gpuWorkers: a['gpu-workers'], report: reportOption(a.report) }),
    )
    .command('studies', 'list the studies in the database', (y) => y, (a) => studiesCommand(a))
    .command(
      'status [study]',
      'progress of one study, or all studies',
      (y) => y.positional('study', { type: 'string' }),
      (a) => statusCommand(a),
    )
    .command(
      'trials <study>',
      'list a study\'s trials',
      (y) =>
        y
          .positional('study', { type: 'string', demandOption: true })
          .option('state', { type: 'string', describe: `only trials in this state: ${TRIAL_STATES.join(', ')}` })
          .option('limit', { type: 'number', describe: 'only the last N trials' }),
      (a) => trialsCommand({ ...a, study: a.study }),
    )
    .command(
      'export <study>',
      'export a study as JSON or CSV',
      (y) =>
        y
          .positional('study', { type: 'string', demandOption: true })
          .option('format', { choices: ['json', 'csv'] as const, default: 'json' as const, describe: 'json: the study, its space, every trial, the Pareto front and the balance point; csv: one row per trial (params, metrics, attributes)' })
          .option('out', { type: 'string', describe: 'write to this file instead of stdout' }),
      (a) => exportCommand({ ...a, study: a.study }, analysisExtras),
    )
    .command('pareto <study>', 'the Pareto frontier of a study, with hypervolume and knee', (y) => y.positional('study', { type: 'string', demandOption: true }), (a) => paretoCommand({ ...a, study: a.study }))
    .command(
      'balance <study>',
      'the balance point S* with its 90% interval and the recommended configuration; writes the frontier CSV',
      (y) => y.positional('study', { type: 'string', demandOption: true }).option('csv', { type: 'string', describe: 'frontier CSV path (default reports/<study>/frontier.csv)' }),
      (a) => balanceCommand({ ...a, study: a.study }),
    )
    .command(
      'report <study>',
      'write the self-contained HTML trade-off report',
      (y) =>
        y
          .positional('study', { type: 'string', demandOption: true })
          .option('out', { type: 'string', describe: 'output file (default reports/<study>.html)' })
          .option('svg', { type: 'boolean', default: false, describe: 'also write each chart as SVG under reports/<study>/' })
          .option('compare', { type: 'string', array: true, describe: 'compare with these studies: fronts and hypervolume histories in one page (default reports/compare-A-B.html)' }),
      (a) => reportCommand({ ...a, study: a.study }),
    )
    .command(
      'delete <study>',
      'delete a study with its trials (asks first; --yes to skip the question)',
      (y) => y.positional('study', { type: 'string', demandOption: true }).option('yes', { type: 'boolean', default: false, describe: 'delete without asking (needed when not on a terminal)' }),
      (a) => deleteCommand({ ...a, study: a.study }),
    )
    .command(
      'rename <study> <to>',
      'rename a study (and move its files under runs/)',
      (y) => y.positional('study', { type: 'string', demandOption: true }).positional('to', { type: 'string', demandOption: true, describe: 'the new name: letters, digits, ".", "_" and "-"' }),
      (a) => renameCommand({ ...a, study: a.study, to: a.to }),
    )
    .command(
      'notes <study>',
      'show the notes of a study and its trials, or set one with --set (shown by status and in the report)',
      (y) =>
        y
          .positional('study', { type: 'string', demandOption: true })
          .option('trial', { type: 'number', describe: 'the note of this trial number instead of the study' })
          .option('set', { type: 'string', describe: 'set the note to this text' })
          .option('clear', { type: 'boolean', default: false, describe: 'remove the note' }),
      (a) => notesCommand({ ...a, study: a.study }),
    )
    .command(
      'importance <study>',
      'which parameters matter for each metric (random-forest permutation importance, as in the report)',
      (y) => y.positional('study', { type: 'string', demandOption: true }).option('metric', { type: 'string', describe: 'only this metric (or E)' }),
      (a) => importanceCommand({ ...a, study: a.study }),
    )
    .command(
      'enqueue <study>',
      'queue configurations to evaluate before the sampler\'s proposals (counted in the budget)',
      (y) =>
        y
          .positional('study', { type: 'string', demandOption: true })
          .option('params', { type: 'string', requiresArg: true, describe: 'a configuration as JSON, e.g. \'{"width":32,"bits":8}\', or an array of them' })
          .option('file', { type: 'string', requiresArg: true, describe: 'a JSON file with a configuration or an array of them' }),
      (a) => enqueueCommand({ ...a, study: a.study }),
    )
    .command(
      'ask <study>',
      'start one trial for an objective run elsewhere: prints its number and parameters as JSON',
      (y) => y.positional('study', { type: 'string', demandOption: true }).option('lease', { type: 'string', requiresArg: true, describe: 'how long the trial stays yours without a tell (default 24h)' }),
      (a) => askCommand({ ...a, study: a.study }),
    )
    .command(
      'tell <study> <number>',
      'finish an asked trial with its metrics (--metrics JSON) or as failed (--failed REASON)',
      (y) =>
        y
          .positional('study', { type: 'string', demandOption: true })
          .positional('number', { type: 'number', demandOption: true })
          .option('metrics', { type: 'string', requiresArg: true, describe: 'the metrics as JSON, e.g. \'{"accuracy":0.97,"size_bits":81920}\'' })
          .option('failed', { type: 'string', requiresArg: true, describe: 'the trial failed, for this reason' }),
      (a) => tellCommand({ ...a, study: a.study, number: a.number }),
    )
    .command('doctor', 'which TensorFlow.js backends load here, and why not', (y) => y, (a) => doctorCommand(a))
    .demandCommand(1, 'name a command; see --help')
    .strict()
    .recommendCommands()
    .help()
    .version()
    .fail((msg, err) => {
      // yargs's own parse errors (YError) are usage errors; anything else came from a command.
      if (err && err.name !== 'YError') throw err;
      throw new UsageError(usageMessage(msg ?? err?.message ?? 'invalid command line'));
    });
}

/** yargs's wording, made to name the option first like every other sweetspot message. */
function usageMessage(msg: string): string {
  const missing = /^Not enough arguments following: (\S+)$/.exec(msg);
  return missing ? `--${missing[1]}: needs a value` : msg.replace(/\s*\n\s*/g, ' ');
}

export async function main(argv: string[] = hideBin(process.argv)): Promise<number> {
  try {
    await buildCli(argv).parseAsync();
    return 0;
  } catch (err) {
    process.stderr.write(`sweetspot: ${oneLine(err)}\n`);
    if (err instanceof ExitStatus) return err.code;
    if (process.env.SWEETSPOT_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    if (err instanceof UsageError) return 2;
    if (!(err instanceof SweetspotError) && !process.env.SWEETSPOT_DEBUG) {
      process.stderr.write('sweetspot: (unexpected error; set SWEETSPOT_DEBUG=1 for the stack)\n');
    }
    return 1;
  }
}

const code = await main();
process.exitCode = code;
