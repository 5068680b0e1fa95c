/**
 * Study management: `delete`, `rename` and `notes`. Each changes the database in one call, after
 * every check has passed, so that a refused command leaves everything as it was.
 */
import { existsSync, renameSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { NotFoundError, UsageError } from '../../errors.js';
import { plural } from '../../format/index.js';
import { STUDY_NAME, STUDY_NAME_RULE } from '../../space/index.js';
import { STUDY_NOTE_KEY, trialNoteKey, trialNotes, type Storage } from '../../study/index.js';
import { printJson, requireStudy, studyDirFor, withStorage, type GlobalArgs } from '../session.js';
import { redactLocation } from '../../storage/index.js';

export interface DeleteArgs extends GlobalArgs {
  readonly study: string;
  readonly yes: boolean;
}

/** Asks on the terminal; true only for an explicit yes. */
async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export async function deleteCommand(args: DeleteArgs, ask: (question: string) => Promise<boolean> = confirm): Promise<void> {
  await withStorage(args.storage, async (storage) => {
    const study = await requireStudy(storage, args.study, args.storage);
    const count = (await storage.getTrials(study.name)).length;
    if (!args.yes) {
      if (!process.stdin.isTTY) {
        throw new UsageError(`delete: refusing to delete study '${study.name}' (${plural(count, 'trial')}) without confirmation; there is no terminal to ask on, so pass --yes`);
      }
      if (!(await ask(`Delete study '${study.name}' and its ${plural(count, 'trial')} from ${redactLocation(args.storage)}? [y/N] `))) {
        process.stderr.write('not deleted\n');
        return;
      }
    }
    await storage.deleteStudy(study.name);
    const dir = studyDirFor(args.storage, study.name);
    if (args.json) return printJson({ deleted: study.name, trials: count });
    process.stdout.write(`deleted study '${study.name}' (${plural(count, 'trial')})${existsSync(dir) ? `; its files in ${dir} were kept` : ''}\n`);
  });
}

export async function renameCommand(args: GlobalArgs & { study: string; to: string }): Promise<void> {
  if (!STUDY_NAME.test(args.to)) throw new UsageError(`rename: the new name must be ${STUDY_NAME_RULE}, got ${JSON.stringify(args.to)}`);
  await withStorage(args.storage, async (storage) => {
    const study = await requireStudy(storage, args.study, args.storage);
    if (await storage.getStudy(args.to)) throw new UsageError(`rename: study '${args.to}' already exists in ${redactLocation(args.storage)}; pick another name`);
    const from = studyDirFor(args.storage, study.name);
    const to = studyDirFor(args.storage, args.to);
    if (existsSync(from) && existsSync(to)) throw new UsageError(`rename: ${to} exists already, so the study's files in ${from} cannot move there; move it away first`);
    await storage.renameStudy(study.name, args.to);
    // The trial folders (artifacts, logs, a cached teacher) follow the study.
    if (existsSync(from)) renameSync(from, to);
    if (args.json) return printJson({ renamed: study.name, to: args.to });
    process.stdout.write(`renamed study '${study.name}' to '${args.to}'${existsSync(to) ? ` (files moved to ${to})` : ''}\n`);
  });
}

export interface NotesArgs extends GlobalArgs {
  readonly study: string;
  readonly trial?: number;
  /** New note text; absent: show the notes. */
  readonly set?: string;
  readonly clear: boolean;
}

async function checkTrial(storage: Storage, study: string, trial: number): Promise<void> {
  if (!Number.isInteger(trial) || trial < 0) throw new UsageError(`notes: --trial must be a trial number (an integer >= 0), got ${trial}`);
  if (!(await storage.getTrial(study, trial))) throw new NotFoundError(`study '${study}' has no trial ${trial}; see 'sweetspot trials ${study}'`);
}

export async function notesCommand(args: NotesArgs): Promise<void> {
  if (args.set !== undefined && args.clear) throw new UsageError('notes: --set and --clear cannot be used together');
  if (args.set !== undefined && args.set.trim() === '') throw new UsageError('notes: --set needs some text; use --clear to remove a note');
  await withStorage(args.storage, async (storage) => {
    const study = await requireStudy(storage, args.study, args.storage);
    if (args.trial !== undefined) await checkTrial(storage, study.name, args.trial);
    const key = args.trial === undefined ? STUDY_NOTE_KEY : trialNoteKey(args.trial);
    const what = args.trial === undefined ? `study '${study.name}'` : `trial #${args.trial} of '${study.name}'`;
    if (args.set !== undefined) {
      await storage.setStudyAttr(study.name, key, args.set);
      return void process.stdout.write(`note set on ${what}\n`);
    }
    if (args.clear) {
      await storage.deleteStudyAttr(study.name, key);
      return void process.stdout.write(`note cleared on ${what}\n`);
    }
    const trials = [...trialNotes(study.attrs)].sort((a, b) => a[0] - b[0]);
    if (args.json) {
      return printJson({ study: study.attrs[STUDY_NOTE_KEY] ?? null, trials: Object.fromEntries(args.trial === undefined ? trials : trials.filter(([n]) => n === args.trial)) });
    }
    if (args.trial !== undefined) {
      return void process.stdout.write(`${study.attrs[key] ?? `(no note on ${what})`}\n`);
    }
    const lines = [`study: ${study.attrs[STUDY_NOTE_KEY] ?? '(no note)'}`, ...trials.map(([n, note]) => `trial #${n}: ${note}`)];
    process.stdout.write(`${lines.join('\n')}\n`);
  });
}
