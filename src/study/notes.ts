/**
 * Notes: free text a person attaches to a study or to one of its trials (`sweetspot notes`), shown
 * by `status` and in the report. They live among the study's attributes (as optuna-dashboard keeps
 * its notes among the study's system attributes), so a finished trial itself never changes.
 */
import type { Attrs } from './trial.js';

export const STUDY_NOTE_KEY = 'note';
const TRIAL_NOTE_PREFIX = 'note:trial:';

/** The study attribute that holds the note of trial `number`. */
export function trialNoteKey(number: number): string {
  return `${TRIAL_NOTE_PREFIX}${number}`;
}

/** Whether a study attribute is a note (and so not a fact to list beside the backend). */
export function isNoteKey(key: string): boolean {
  return key === STUDY_NOTE_KEY || key.startsWith(TRIAL_NOTE_PREFIX);
}

/** Trial number → note, from a study's attributes. */
export function trialNotes(attrs: Attrs): Map<number, string> {
  const notes = new Map<number, string>();
  for (const [key, value] of Object.entries(attrs)) {
    if (!key.startsWith(TRIAL_NOTE_PREFIX)) continue;
    const number = Number(key.slice(TRIAL_NOTE_PREFIX.length));
    if (Number.isInteger(number) && number >= 0) notes.set(number, value);
  }
  return notes;
}
