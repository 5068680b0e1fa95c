import { parseSpace, type Params, type Space } from '../../src/space/index.js';
import type { Trial, TrialState } from '../../src/study/index.js';
import { trialRecord } from '../../bench/common.js';

export function makeTrial(number: number, metrics: Record<string, number> | null, state: TrialState = 'complete', params: Params = {}): Trial {
  return trialRecord('t', number, state, params, metrics);
}

export function makeSpace(yaml: string): Space {
  return parseSpace(yaml, 'test.yaml');
}
