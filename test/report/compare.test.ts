import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildComparePage, compareStudies, sharedObjectives } from '../../src/report/index.js';
import { hypervolume2d } from '../../src/pareto/index.js';
import { syntheticCompression, syntheticZdt1 } from './synthetic.js';

const study = (seed: number, name: string) => {
  const s = syntheticZdt1(30, seed);
  return { ...s, study: { ...s.study, name } };
};

test('fronts and hypervolume histories of two studies against one common reference point', () => {
  const a = study(5, 'zdt1-a');
  const b = study(9, 'zdt1-b');
  const c = compareStudies([a, b]);
  assert.equal(c.objectives.map((o) => o.name), ['f1', 'f2']);
  assert.ok(c.referencePoint !== null);
  for (const { result } of c.studies) {
    assert.equal(result.referencePoint!.point, c.referencePoint, 'every study measured against the same point');
    const front = result.front.map((t) => [t.metrics!.f1!, t.metrics!.f2!]);
    assert.ok(Math.abs(result.hypervolume.value - hypervolume2d(front, c.referencePoint!)) < 1e-12);
    assert.is(result.history.length, 30);
  }
  const html = buildComparePage([a, b], new Date('2026-01-01T00:00:00Z'));
  assert.match(html, /<title>zdt1-a vs zdt1-b · sweetspot comparison<\/title>/);
  assert.is((html.match(/<path class="hv-line"/g) ?? []).length, 2);
  assert.is((html.match(/class="pt front-pt" data-study="1"/g) ?? []).length, c.studies[1]!.result.front.length);
  assert.not.match(html, /<script/);
});

test('comparing needs two studies and two shared objectives, and says which metrics each has', () => {
  assert.throws(() => compareStudies([study(5, 'a')]), /at least two studies, got 1/);
  const zdt = study(5, 'z');
  const comp = syntheticCompression(10);
  assert.equal(sharedObjectives([zdt, comp]), []);
  assert.throws(() => compareStudies([zdt, comp]), /two objectives shared by every study.*z: f1 minimize, f2 minimize; .*accuracy maximize/);
});

test.run();
