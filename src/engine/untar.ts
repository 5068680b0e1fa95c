/**
 * A tiny reader for the ustar archives that @sparticuz/chromium ships (brotli-compressed): regular
 * files and folders, GNU long names, pax headers skipped. Enough for those archives, and a bad or
 * hostile entry (absolute path, `..`, a link) is refused rather than written outside the target.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { SweetspotError } from '../errors.js';

const BLOCK = 512;

function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length).toString('utf8');
  const end = raw.indexOf('\0');
  return end === -1 ? raw : raw.slice(0, end);
}

function octal(header: Buffer, start: number, length: number): number {
  const text = field(header, start, length).trim();
  return text === '' ? 0 : parseInt(text, 8);
}

/** Writes every file and folder of `archive` (an uncompressed tar) under `target`; returns the relative paths written. */
export function extractTar(archive: Buffer, target: string, what: string): string[] {
  const written: string[] = [];
  let offset = 0;
  let longName: string | undefined;
  while (offset + BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156] ?? 0);
    const body = archive.subarray(offset + BLOCK, offset + BLOCK + size);
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (!Number.isFinite(size) || body.length !== size) throw new SweetspotError(`${what}: truncated tar entry`);
    if (type === 'L') {
      longName = field(body, 0, body.length);
      continue;
    }
    if (type === 'x' || type === 'g') continue;
    const prefix = field(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    longName = undefined;
    const rel = normalize(name);
    if (rel.startsWith('/') || rel === '..' || rel.startsWith('../')) throw new SweetspotError(`${what}: refusing tar entry outside the target: ${name}`);
    const path = join(target, rel);
    if (type === '5') {
      mkdirSync(path, { recursive: true });
    } else if (type === '0' || type === '\0') {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, body);
      chmodSync(path, octal(header, 100, 8) & 0o777);
      written.push(rel);
    } else {
      throw new SweetspotError(`${what}: unsupported tar entry type '${type}' for ${name}`);
    }
  }
  return written;
}
