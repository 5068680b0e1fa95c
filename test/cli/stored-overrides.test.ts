import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { StorageError, UsageError } from '../../src/errors.js';
import { PRUNER_ATTR, SAMPLER_ATTR, samplerOverride, studyPruner, withStoredOverrides } from '../../src/cli/inputs.js';
import { parseSpace } from '../../src/space/index.js';
import type { StudyRecord } from '../../src/study/index.js';

const TEXT = `name: s
objective: { builtin: zdt1 }
params:
  x0: { type: float, low: 0, high: 1 }
  x1: { type: float, low: 0, high: 1 }
metrics: { f1: minimize, f2: minimize }
budget: { trials: 8 }
sampler: { name: gp, initial: 6 }
pruner: { name: asha, reductionFactor: 2 }
`;
const space = parseSpace(TEXT, 's.yaml');
const study = (attrs: Record<string, string>): StudyRecord => ({ name: 's', spaceFile: 's.yaml', spaceText: TEXT, spaceHash: space.hash, directions: space.metrics, seed: 1, createdAt: '2026-01-01T00:00:00.000Z', attrs });

test('without stored overrides the space file decides; --trials and --pruner kept with the study replace it', () => {
  assert.equal(withStoredOverrides(space, study({})).pruner, { name: 'asha', minResource: 1, reductionFactor: 2 });
  assert.equal(studyPruner(study({}))!.name, 'asha');
  const stored = study({ 'budget.trials': '20', [PRUNER_ATTR]: JSON.stringify({ name: 'hyperband', minResource: 1, maxResource: 9, reductionFactor: 3 }) });
  const over = withStoredOverrides(space, stored);
  assert.equal(over.pruner, { name: 'hyperband', minResource: 1, maxResource: 9, reductionFactor: 3 });
  assert.is(over.budget.trials, 20);
  assert.is(studyPruner(stored)!.name, 'hyperband');
});

test('a damaged pruner attribute: one line naming the study, the attribute and the field; listings show it as unknown', () => {
  assert.throws(() => withStoredOverrides(space, study({ [PRUNER_ATTR]: '{"name":' })), (e: Error) => e instanceof StorageError && /^study 's': attribute pruner: not JSON/.test(e.message));
  assert.throws(
    () => withStoredOverrides(space, study({ [PRUNER_ATTR]: '{"name":"asha","reductionFactor":1}' })),
    (e: Error) => e instanceof UsageError && /^study 's': attribute pruner: pruner\.reductionFactor: reductionFactor >= 2/.test(e.message),
  );
  assert.is(studyPruner(study({ [PRUNER_ATTR]: 'nope' })), null);
});

test('--sampler kept with the study replaces the file\'s; the same name keeps the file\'s options; a damaged one is refused naming the attribute', () => {
  assert.equal(withStoredOverrides(space, study({})).sampler, { name: 'gp', options: {}, initial: 6 });
  assert.equal(withStoredOverrides(space, study({ [SAMPLER_ATTR]: 'sobol' })).sampler, { name: 'sobol', options: {} });
  assert.equal(withStoredOverrides(space, study({ [SAMPLER_ATTR]: 'gp' })).sampler, { name: 'gp', options: {}, initial: 6 });
  assert.equal(samplerOverride(space.sampler, 'random'), { name: 'random', options: {} });
  assert.throws(
    () => withStoredOverrides(space, study({ [SAMPLER_ATTR]: 'tpe' })),
    (e: Error) => e instanceof StorageError && /^study 's': attribute sampler: one of random, sobol, gp, got "tpe"/.test(e.message),
  );
});

test.run();
