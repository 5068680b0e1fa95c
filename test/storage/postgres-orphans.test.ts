/**
 * A test process killed with SIGKILL cannot stop its embedded PostgreSQL server; the next one to
 * start a server finds it (its folder names an owner that is gone), stops it and removes its folder.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { alive, reapOrphanedServers } from '../support/postgres.js';

const SUPPORT = fileURLToPath(new URL('../support/postgres.js', import.meta.url));

test('the server of a SIGKILLed test process is stopped and its folder removed by the next one; live owners are left alone', async () => {
  // A child that starts an embedded server (never an external one), prints its folder, and waits.
  const script = `
    import { readdirSync, readFileSync } from 'node:fs';
    import { tmpdir } from 'node:os';
    import { join } from 'node:path';
    const { postgresDatabase } = await import(${JSON.stringify(SUPPORT)});
    await postgresDatabase('orphan');
    const mine = readdirSync(tmpdir()).filter((n) => n.startsWith('sweetspot-pg-')).map((n) => join(tmpdir(), n))
      .find((d) => { try { return readFileSync(join(d, 'owner'), 'utf8') === String(process.pid); } catch { return false; } });
    process.stdout.write('READY ' + mine + '\\n');
    setInterval(() => {}, 1000);
  `;
  const env = { ...process.env };
  delete env.SWEETSPOT_TEST_PG_URL;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const dir = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /READY (\S+)\n/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`child exited ${code} before its server was ready: ${out}`)));
  });
  const postmaster = Number(readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  assert.ok(alive(postmaster), 'the child started a server');
  // While its owner lives, the server is not touched.
  assert.not.ok(reapOrphanedServers().includes(dir), 'a live owner keeps its server');
  assert.ok(alive(postmaster));
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
  assert.ok(alive(postmaster), 'SIGKILL left the server running');
  assert.ok(reapOrphanedServers().includes(dir), 'the orphan is found');
  const deadline = Date.now() + 10_000;
  while (alive(postmaster) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.not.ok(alive(postmaster), 'and stopped');
});

test.run();
