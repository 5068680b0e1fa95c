import { parseSpace, type Params, type Space } from '../../src/space/index.js';
import type { Trial, TrialState } from '../../src/study/index.js';

export function makeTrial(number: number, metrics: Record<string, number> | null, state: TrialState = 'complete', params: Params = {}): Trial {
  return {
    study: 't',
    number,
    state,
    params,
    metrics,
    attrs: {},
    intermediate: [],
    error: null,
    worker: 0,
    startedAt: null,
    finishedAt: null,
  };
}

export function makeSpace(yaml: string): Space {
  return parseSpace(yaml, 'test.yaml');
}
