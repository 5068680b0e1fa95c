/** Study management from the command line: delete, rename, notes (issue 15 part 4). */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tempDir } from '../study/helpers.js';
import { cli } from './run-cli.js';

/** Two small studies (branin, 3 trials each) in one database. */
function twoStudies(): { dir: string; db: string } {
  const dir = tempDir();
  writeFileSync(
    join(dir, 'b.yaml'),
    'objective: { builtin: branin }\nparams:\n  x0: { type: float, low: -5, high: 10 }\n  x1: { type: float, low: 0, high: 15 }\nmetrics: { f: minimize }\nbudget: { trials: 3, workers: 1 }\nsampler: random\nseed: 1\n',
  );
  const db = join(dir, 'db.sqlite');
  for (const study of ['first', 'second']) assert.is(cli(['run', 'b.yaml', '--study', study, '--storage', db, '--no-report'], dir).code, 0);
  return { dir, db };
}

const names = (dir: string, db: string): string[] => JSON.parse(cli(['studies', '--storage', db, '--json'], dir).stdout).map((s: { name: string }) => s.name);

test('delete refuses without a terminal and without --yes, then deletes only that study with --yes', () => {
  const { dir, db } = twoStudies();
  const refused = cli(['delete', 'first', '--storage', db], dir);
  assert.is(refused.code, 2);
  assert.match(refused.stderr, /^sweetspot: delete: refusing to delete study 'first' \(3 trials\) without confirmation; there is no terminal to ask on, so pass --yes\n$/);
  assert.equal(names(dir, db), ['first', 'second']);
  const missing = cli(['delete', 'nope', '--yes', '--storage', db], dir);
  assert.is(missing.code, 1);
  assert.match(missing.stderr, /no study 'nope'.*studies there: first, second/);
  const done = cli(['delete', 'first', '--yes', '--storage', db], dir);
  assert.is(done.code, 0, done.stderr);
  assert.match(done.stdout, /deleted study 'first' \(3 trials\)/);
  assert.equal(names(dir, db), ['second']);
  assert.is(JSON.parse(cli(['trials', 'second', '--storage', db, '--json'], dir).stdout).length, 3);
});

test('rename follows the name rule, refuses a taken name and moves the study files', () => {
  const { dir, db } = twoStudies();
  const bad = cli(['rename', 'first', 'no spaces', '--storage', db], dir);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /rename: the new name must be letters, digits, "\.", "_" and "-", starting with a letter or digit, at most 100 characters, got "no spaces"/);
  const taken = cli(['rename', 'first', 'second', '--storage', db], dir);
  assert.is(taken.code, 2);
  assert.match(taken.stderr, /study 'second' already exists/);
  mkdirSync(join(dir, 'first', 'trials', '0'), { recursive: true });
  writeFileSync(join(dir, 'first', 'trials', '0', 'stderr.log'), 'kept');
  const ok = cli(['rename', 'first', 'baseline-v1', '--storage', db], dir);
  assert.is(ok.code, 0, ok.stderr);
  assert.equal(names(dir, db), ['baseline-v1', 'second']);
  assert.is(readFileSync(join(dir, 'baseline-v1', 'trials', '0', 'stderr.log'), 'utf8'), 'kept');
  assert.not.ok(existsSync(join(dir, 'first')));
  assert.match(cli(['status', 'baseline-v1', '--storage', db], dir).stdout, /trials\s+3\/3: 3 complete/);
});

test('notes on a study and a trial: set, show, in status and in the report; clear', () => {
  const { dir, db } = twoStudies();
  assert.is(cli(['notes', 'first', '--set', 'baseline before the lr fix', '--storage', db], dir).code, 0);
  assert.is(cli(['notes', 'first', '--trial', '2', '--set', 'looks diverged', '--storage', db], dir).code, 0);
  const missingTrial = cli(['notes', 'first', '--trial', '9', '--set', 'x', '--storage', db], dir);
  assert.is(missingTrial.code, 1);
  assert.match(missingTrial.stderr, /study 'first' has no trial 9/);
  assert.is(cli(['notes', 'first', '--set', 'x', '--clear', '--storage', db], dir).code, 2);
  const shown = cli(['notes', 'first', '--storage', db], dir);
  assert.is(shown.stdout, 'study: baseline before the lr fix\ntrial #2: looks diverged\n');
  assert.is(cli(['notes', 'first', '--trial', '2', '--storage', db], dir).stdout, 'looks diverged\n');
  const status = cli(['status', 'first', '--storage', db], dir).stdout;
  assert.match(status, /\nnote {7}baseline before the lr fix\n/);
  assert.not.match(status, /note:trial/);
  assert.is(cli(['report', 'first', '--out', 'r.html', '--storage', db], dir).code, 0);
  const html = readFileSync(join(dir, 'r.html'), 'utf8');
  assert.match(html, /id="study-note">baseline before the lr fix</);
  assert.match(html, /looks diverged/);
  assert.is(cli(['notes', 'first', '--trial', '2', '--clear', '--storage', db], dir).code, 0);
  assert.is(cli(['notes', 'first', '--storage', db], dir).stdout, 'study: baseline before the lr fix\n');
  assert.is(cli(['notes', 'second', '--storage', db], dir).stdout, 'study: (no note)\n');
});

test.run();
