import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { preflight } from '../../src/cli/preflight.js';
import { SpaceError } from '../../src/errors.js';
import { parseSpace } from '../../src/space/index.js';

// A command cannot be asked what it prints: its extra metrics come from objective.metrics.
const space = (objective: string): string => `
objective: ${objective}
params:
  width: { type: int, low: 4, high: 64 }
metrics: { accuracy: maximize, size_bits: minimize }
constraints: [ "accuracy >= 0.9" ]
balance: { size: size_bits, efficiency: "1000 / latency_ms" }
`;

test('a command objective may use the metrics it lists under objective.metrics', async () => {
  await preflight(parseSpace(space('{ command: "sh -c true", metrics: [latency_ms] }'), '/tmp/a.yaml'));
});

test('a command objective that does not list a metric it uses is refused, naming the field', async () => {
  try {
    await preflight(parseSpace(space('{ command: "sh -c true" }'), '/tmp/a.yaml'));
  } catch (err) {
    assert.instance(err, SpaceError);
    assert.is((err as SpaceError).field, 'balance.efficiency');
    assert.match((err as Error).message, /'latency_ms' is not a metric of this study.*objective\.metrics/);
    return;
  }
  assert.unreachable('expected a refusal');
});

test.run();
