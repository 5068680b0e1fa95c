/** The tar reader behind the @sparticuz/chromium unpacking: files, folders, long names, and entries outside the target refused. */
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { extractTar } from '../../src/engine/untar.js';
import { unpackedArchive } from '../../src/engine/chromium-package.js';

function entry(name: string, body: string, type = '0', mode = 0o644): Buffer {
  const header = Buffer.alloc(512);
  header.write(name.slice(0, 100), 0);
  header.write(mode.toString(8).padStart(7, '0'), 100);
  header.write(Buffer.byteLength(body).toString(8).padStart(11, '0'), 124);
  header.write(type, 156);
  header.write('ustar', 257);
  const data = Buffer.alloc(Math.ceil(Buffer.byteLength(body) / 512) * 512);
  data.write(body);
  return Buffer.concat([header, data]);
}

const end = Buffer.alloc(1024);

test('files, folders, modes and GNU long names come out as written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sweetspot-untar-'));
  try {
    const long = `deep/${'x'.repeat(120)}.txt`;
    const tar = Buffer.concat([entry('d/', '', '5', 0o755), entry('d/run.sh', '#!/bin/sh\n', '0', 0o755), entry('././@LongLink', long, 'L'), entry('ignored', 'long body'), end]);
    assert.equal(extractTar(tar, dir, 'test.tar').sort(), ['d/run.sh', long].sort());
    assert.is(readFileSync(join(dir, 'd/run.sh'), 'utf8'), '#!/bin/sh\n');
    assert.is(statSync(join(dir, 'd/run.sh')).mode & 0o777, 0o755);
    assert.is(readFileSync(join(dir, long), 'utf8'), 'long body');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an entry leaving the target, a link or a truncated body is refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sweetspot-untar-'));
  try {
    assert.throws(() => extractTar(Buffer.concat([entry('../escape', 'x'), end]), dir, 'evil.tar'), /evil\.tar: refusing tar entry outside the target: \.\.\/escape/);
    assert.throws(() => extractTar(Buffer.concat([entry('/etc/x', 'x'), end]), dir, 'evil.tar'), /outside the target/);
    assert.throws(() => extractTar(Buffer.concat([entry('link', '', '2'), end]), dir, 'l.tar'), /unsupported tar entry type '2'/);
    assert.throws(() => extractTar(entry('cut', 'y'.repeat(600)).subarray(0, 700), dir, 'cut.tar'), /cut\.tar: truncated/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the packaged SwiftShader driver unpacks into node_modules/.cache', () => {
  const dir = unpackedArchive('swiftshader');
  assert.match(dir, /node_modules\/\.cache\/sweetspot-chromium-147\.0\.0\/swiftshader$/);
  for (const f of ['libvulkan.so.1', 'libvk_swiftshader.so', 'vk_swiftshader_icd.json']) assert.ok(existsSync(join(dir, f)), f);
  assert.is(unpackedArchive('swiftshader'), dir, 'a second call reuses the folder');
});

test.run();
