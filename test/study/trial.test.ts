import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildReport, formatRunSummary, prepareReport } from '../../src/report/index.js';
import { FINISHED_STATES, isFinished, isNoteKey, STUDY_NOTE_KEY, trialNoteKey, trialNotes, TRIAL_STATES } from '../../src/study/index.js';
import { syntheticCompression } from '../report/synthetic.js';

test('one list of trial states; finished ones are a subset', () => {
  assert.equal([...TRIAL_STATES], ['waiting', 'running', 'complete', 'pruned', 'failed']);
  assert.ok(FINISHED_STATES.every((s) => TRIAL_STATES.includes(s)));
  assert.equal(TRIAL_STATES.filter(isFinished), ['complete', 'pruned', 'failed']);
  assert.ok(Object.isFrozen(TRIAL_STATES));
});

test('the report counts and lists states from that list, in its order', () => {
  const input = syntheticCompression(60, { running: 2 });
  const { model } = prepareReport(input);
  assert.equal(Object.keys(model.counts), [...TRIAL_STATES]);
  const line = formatRunSummary(input, { model }).split('\n')[0]!;
  const listed = [...line.matchAll(/(\d+) (waiting|running|complete|pruned|failed)/g)].map((m) => m[2]);
  assert.equal(listed, TRIAL_STATES.filter((s) => model.counts[s] > 0));
  assert.ok(listed.includes('running') && listed.includes('failed'), line);
  assert.match(buildReport(input), /2 running/);
});

test('notes among study attributes: trial notes by number (trial 0 included), facts and malformed keys left out', () => {
  const attrs = { [STUDY_NOTE_KEY]: 'about the study', [trialNoteKey(0)]: 'first', [trialNoteKey(3)]: 'odd curve', 'note:trial:-1': 'negative', 'note:trial:x': 'not a number', backend: 'wasm' };
  assert.equal([...trialNotes(attrs)], [[0, 'first'], [3, 'odd curve']]);
  assert.equal(Object.keys(attrs).filter(isNoteKey), [STUDY_NOTE_KEY, trialNoteKey(0), trialNoteKey(3), 'note:trial:-1', 'note:trial:x']);
});

test.run();
