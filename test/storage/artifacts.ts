/**
 * The artifact part of the Storage contract, run against every backend like `storageContract`:
 * one claim at a time per key (a lease), the claim renewed by its owner and taken over once
 * expired or released, the first bytes stored kept, artifacts per study and gone with their study.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { NotFoundError } from '../../src/errors.js';
import type { Storage } from '../../src/study/index.js';
import { newStudy } from './contract.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const bytes = (...values: number[]) => new Uint8Array(values);

export function artifactContract(label: string, open: () => Promise<Storage>, options: { sharedDatabase?: boolean } = {}): void {
  const test = suite(`artifact contract: ${label}`);

  test('one claim at a time: held while live, renewed by its owner, taken over once expired or released', async () => {
    const s = await open();
    const { name } = await s.createStudy(newStudy());
    assert.is(await s.getArtifact(name, 'teacher'), null);
    assert.is(await s.claimArtifact(name, 'teacher', 'A', 60_000), 'claimed');
    assert.is(await s.claimArtifact(name, 'teacher', 'B', 60_000), 'held');
    assert.is(await s.claimArtifact(name, 'teacher', 'A', 60_000), 'claimed', 'its owner renews it');
    assert.is(await s.claimArtifact(name, 'other-key', 'B', 60_000), 'claimed', 'claims are per key');
    await s.releaseArtifact(name, 'teacher', 'B');
    assert.is(await s.claimArtifact(name, 'teacher', 'B', 60_000), 'held', "releasing another owner's claim does nothing");
    await s.releaseArtifact(name, 'teacher', 'A');
    assert.is(await s.claimArtifact(name, 'teacher', 'B', 40), 'claimed', 'released: anyone may claim it');
    assert.is(await s.claimArtifact(name, 'teacher', 'A', 60_000), 'held');
    await sleep(60);
    assert.is(await s.claimArtifact(name, 'teacher', 'A', 60_000), 'claimed', 'expired: taken over');
    assert.is(await s.getArtifact(name, 'teacher'), null, 'a claim stores nothing');
    await s.close();
  });

  test('the first bytes stored win and never change; a stored artifact cannot be claimed', async () => {
    const s = await open();
    const { name } = await s.createStudy(newStudy());
    assert.is(await s.claimArtifact(name, 'w.bin', 'A', 60_000), 'claimed');
    const big = new Uint8Array(3 * 1024 * 1024).map((_, i) => (i * 31) % 256);
    assert.is(await s.putArtifact(name, 'w.bin', big), true);
    assert.equal(await s.getArtifact(name, 'w.bin'), big);
    assert.is(await s.putArtifact(name, 'w.bin', bytes(9)), false, 'a second put stores nothing');
    assert.equal((await s.getArtifact(name, 'w.bin'))!.byteLength, big.byteLength);
    assert.is(await s.claimArtifact(name, 'w.bin', 'B', 60_000), 'stored');
    // storing without a claim is allowed (a process that never needed to wait)
    assert.is(await s.putArtifact(name, 'empty', bytes()), true);
    assert.equal(await s.getArtifact(name, 'empty'), bytes(), 'zero bytes are an artifact, not a missing one');
    await s.close();
  });

  test('artifacts belong to their study: another study has its own, a deleted study takes them along', async () => {
    const s = await open();
    const a = (await s.createStudy(newStudy())).name;
    const b = (await s.createStudy(newStudy())).name;
    await s.putArtifact(a, 'k', bytes(1, 2));
    assert.is(await s.getArtifact(b, 'k'), null);
    assert.is(await s.claimArtifact(b, 'k', 'A', 60_000), 'claimed');
    await s.deleteStudy(a);
    const again = await s.createStudy({ ...newStudy(), name: a });
    assert.is(await s.getArtifact(again.name, 'k'), null);
    try {
      await s.getArtifact('no-such-study', 'k');
      assert.unreachable('an unknown study is refused');
    } catch (err) {
      assert.instance(err, NotFoundError);
    }
    await s.close();
  });

  if (options.sharedDatabase) {
    test('a second connection sees the claim and the stored bytes', async () => {
      const s1 = await open();
      const s2 = await open();
      const { name } = await s1.createStudy(newStudy());
      assert.is(await s1.claimArtifact(name, 'teacher', 'A', 60_000), 'claimed');
      assert.is(await s2.claimArtifact(name, 'teacher', 'B', 60_000), 'held');
      assert.is(await s1.putArtifact(name, 'teacher', bytes(7, 8, 9)), true);
      assert.equal(await s2.getArtifact(name, 'teacher'), bytes(7, 8, 9));
      assert.is(await s2.claimArtifact(name, 'teacher', 'B', 60_000), 'stored');
      await s1.close();
      await s2.close();
    });
  }

  test.run();
}
