/** Tempered exploration while trials are pending (src/acquisition/tempered.ts). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PENDING_SD_SCALE, PENDING_TEMPER_FROM, temperedForPending, type MarginalScore } from '../../src/acquisition/index.js';

test('from PENDING_TEMPER_FROM pending points the objectives’ deviations are scaled, the constraints’ are not', () => {
  const seen: number[][] = [];
  const score: MarginalScore = (mu, sd) => {
    seen.push(Array.from(sd));
    return mu[0]!;
  };
  assert.is(temperedForPending(score, 2, PENDING_TEMPER_FROM - 1), score);
  assert.is(temperedForPending(null, 2, 10), null);
  const tempered = temperedForPending(score, 2, PENDING_TEMPER_FROM)!;
  assert.is(tempered(Float64Array.from([3, 4, 5]), Float64Array.from([1, 2, 3])), 3);
  assert.equal(seen[0], [PENDING_SD_SCALE, 2 * PENDING_SD_SCALE, 3]);
  assert.ok(PENDING_SD_SCALE > 0 && PENDING_SD_SCALE < 1);
});

test('a single objective (EI) is never tempered, however many points are pending', () => {
  const score: MarginalScore = (mu, sd) => mu[0]! + sd[0]!;
  assert.is(temperedForPending(score, 1, PENDING_TEMPER_FROM + 5), score);
});

test.run();
