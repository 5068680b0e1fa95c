/**
 * Reading search-space files (YAML or JSON) into a validated, immutable Space.
 * Every failure is a SpaceError naming the file, the field and what was expected.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, extname, resolve } from 'node:path';
import { isPair, isScalar, parseDocument, visit } from 'yaml';
import type { z } from 'zod';
import { ExpressionError, SpaceError, UsageError } from '../errors.js';
import { parseExpression } from './expression.js';
import { checkParams } from './encode.js';
import { prunerSchema, spaceFileSchema, type SpaceFile } from './schema.js';
import { COMMAND_PLACEHOLDERS, placeholders, splitCommand } from './command.js';
import type { CommandSpec, Constraint, ObjectiveRef, ParamSpec, PrunerConfig, SamplerConfig, Space } from './types.js';

/** The sampler a space gets when its file names none. */
export const DEFAULT_SAMPLER: SamplerConfig = { name: 'gp', options: {} };

/** The pruner a space gets when its file names none: every trial runs to its end. */
export const DEFAULT_PRUNER: PrunerConfig = Object.freeze({ name: 'none' });

/**
 * A pruner block given outside a space file (the CLI's `--pruner NAME`), checked by the same
 * schema; `where` names the option in the error.
 */
export function parsePruner(value: unknown, where: string): PrunerConfig {
  const result = prunerSchema.safeParse(value);
  if (result.success) return deepFreeze(result.data as PrunerConfig);
  const issue = result.error.issues[0]!;
  const field = ['pruner', ...issue.path.map(String)].join('.');
  const message = issue.code === 'invalid_type' && issue.input === undefined ? `required (${issue.expected})` : issue.message;
  throw new UsageError(`${where}: ${field}: ${message} (give it in the space file's pruner block)`);
}

/** The sha256 a study keeps of its space file's exact text. */
export function spaceHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function loadSpace(file: string): Space {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SpaceError(file, '', code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'a file, got a folder' : `cannot read file (${code ?? String(err)})`);
  }
  let text: string;
  try {
    if (bytes.includes(0)) throw new Error('NUL byte');
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SpaceError(file, '', `a text file (YAML or JSON), got binary data (${bytes.length} bytes)`);
  }
  return parseSpace(text, file);
}

/** Parse a space from its text; `file` decides the format (.json or YAML) and names errors. */
export function parseSpace(text: string, file: string): Space {
  const raw = parseText(text, file);
  const result = spaceFileSchema.safeParse(raw);
  if (!result.success) throw firstIssue(result.error, file, raw);
  return buildSpace(result.data, text, file);
}

function parseText(text: string, file: string): unknown {
  if (extname(file).toLowerCase() === '.json') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new SpaceError(file, '', `valid JSON (${(err as Error).message})`);
    }
    // JSON.parse keeps the last of two equal keys without a word; read as YAML (a superset of
    // JSON), the same text is checked for them as a .yaml file is.
    checkKeys(text, file, 'JSON');
    return value;
  }
  return checkKeys(text, file, 'YAML');
}

/**
 * Parses YAML refusing duplicate keys, and keys such as `__proto__` that a plain object would take
 * as its prototype instead of keeping (so a parameter would silently vanish).
 */
function checkKeys(text: string, file: string, format: 'JSON' | 'YAML'): unknown {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    const line = text.slice(0, error.pos[0]).split('\n').length;
    if (error.code === 'DUPLICATE_KEY') {
      const key = /^\s*"?([^":\n]*)/.exec(text.slice(error.pos[0]))?.[1]?.trim() ?? '';
      throw new SpaceError(file, '', `valid ${format} without duplicate keys, got '${key}' twice (line ${line})`);
    }
    if (format === 'JSON') return undefined; // valid JSON that YAML dislikes: not this check's business
    throw new SpaceError(file, '', `valid YAML at line ${line} (${error.message.split('\n')[0]})`);
  }
  visit(doc, {
    Pair(_, pair, path) {
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      if (typeof key === 'string' && RESERVED_KEYS.includes(key)) {
        const field = [...path.filter(isPair).map((p) => String(isScalar(p.key) ? p.key.value : p.key)), key].join('.');
        throw new SpaceError(file, field, `a name that is not ${RESERVED_KEYS.join(', ')}`);
      }
    },
  });
  return doc.toJS();
}

const RESERVED_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

function firstIssue(error: z.ZodError, file: string, raw: unknown): SpaceError {
  const issue = error.issues[0]!;
  const field = issue.path.map(String).join('.');
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    return new SpaceError(file, [...issue.path, issue.keys[0]].map(String).join('.'), 'unknown field');
  }
  if (issue.code === 'invalid_type') {
    const got = valueAt(raw, issue.path);
    const expected = issue.expected === 'int' ? 'an integer' : issue.expected;
    message = got === undefined ? `required (${expected})` : `expected ${expected}, got ${JSON.stringify(got)}`;
  } else if (issue.code === 'invalid_key') {
    const key = issue.path[issue.path.length - 1];
    const field = issue.path.length > 1 ? String(issue.path[0]) : '';
    const what = field === 'metrics' ? 'a metric name' : field === 'objective' ? 'an environment variable name' : 'a parameter name';
    return new SpaceError(file, issue.path.map(String).join('.'), `${what} (letters, digits and _, not starting with a digit; not __proto__, constructor or prototype), got ${JSON.stringify(key)}`);
  } else if (issue.code === 'invalid_value' && 'values' in issue) {
    message = `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(valueAt(raw, issue.path))}`;
  }
  return new SpaceError(file, field, message);
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = raw;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

const COMPARISON = /^(.*?)(<=|>=|<|>)(.*)$/s;

function parseConstraint(text: string, file: string, field: string): Constraint {
  const m = COMPARISON.exec(text);
  if (!m || m[1]!.trim() === '' || m[3]!.trim() === '') {
    throw new SpaceError(file, field, `a comparison such as "accuracy >= 0.9", got ${JSON.stringify(text)}`);
  }
  const [lhs, op, rhs] = [m[1]!.trim(), m[2] as Constraint['op'], m[3]!.trim()];
  checkExpression(lhs, file, field);
  checkExpression(rhs, file, field);
  return { text, lhs, op, rhs };
}

function checkExpression(text: string, file: string, field: string): void {
  try {
    parseExpression(text);
  } catch (err) {
    if (err instanceof ExpressionError) throw new SpaceError(file, field, err.message);
    throw err;
  }
}

function buildSpace(data: SpaceFile, text: string, file: string): Space {
  const constraints = data.constraints.map((c, i) => parseConstraint(c, file, `constraints.${i}`));
  if (data.balance) checkExpression(data.balance.efficiency, file, 'balance.efficiency');
  if (data.balance?.repeats !== undefined && data.balance.repeats >= data.budget.trials) {
    throw new SpaceError(file, 'balance.repeats', `fewer than budget.trials (${data.budget.trials}): repeats are counted in the budget, got ${data.balance.repeats}`);
  }
  const objective = buildObjective(data, file);
  const sampler: SamplerConfig = data.sampler
    ? { name: data.sampler.name, options: data.sampler.options, ...(data.sampler.initial === undefined ? {} : { initial: data.sampler.initial }) }
    : DEFAULT_SAMPLER;
  const budget = {
    trials: data.budget.trials,
    workers: data.budget.workers ?? availableParallelism(),
    ...(data.budget.gpuWorkers === undefined ? {} : { gpuWorkers: data.budget.gpuWorkers }),
    ...(data.budget.timeout === undefined ? {} : { timeoutMs: data.budget.timeout }),
    ...(data.budget.trialTimeout === undefined ? {} : { trialTimeoutMs: data.budget.trialTimeout }),
    ...(data.budget.retries === undefined ? {} : { retries: data.budget.retries }),
    ...(data.budget.workerMemory === undefined ? {} : { workerMemory: data.budget.workerMemory }),
    ...(data.budget.leaseGrace === undefined ? {} : { leaseGraceMs: data.budget.leaseGrace }),
  };
  const partial = { params: data.params as Record<string, ParamSpec> } as Space;
  const enqueue = data.enqueue.map((given, i) => {
    const checked = checkParams(partial, given);
    if (!checked.ok) throw new SpaceError(file, ['enqueue', i, checked.field].filter((x) => x !== '').join('.'), checked.error);
    return checked.params;
  });
  const space: Space = {
    name: data.name ?? basename(file, extname(file)),
    file,
    objective,
    params: data.params as Record<string, ParamSpec>,
    metrics: data.metrics,
    constraints,
    ...(data.balance ? { balance: data.balance } : {}),
    budget,
    sampler,
    pruner: (data.pruner as PrunerConfig | undefined) ?? DEFAULT_PRUNER,
    ...(data.seed === undefined ? {} : { seed: data.seed }),
    enqueue,
    text,
    hash: spaceHash(text),
  };
  return deepFreeze(space);
}

/** How long a stopped command gets to exit after SIGTERM before SIGKILL, unless `grace` says. */
export const DEFAULT_COMMAND_GRACE_MS = 5000;

function buildObjective(data: SpaceFile, file: string): ObjectiveRef {
  const o = data.objective;
  if (o.module !== undefined) return { module: resolve(dirname(file), o.module), options: o.options };
  if (o.builtin !== undefined) return { builtin: o.builtin, options: o.options };
  let argv: string[];
  try {
    argv = typeof o.command === 'string' ? splitCommand(o.command) : [...o.command!];
  } catch (err) {
    throw new SpaceError(file, 'objective.command', (err as Error).message);
  }
  if (argv.length === 0 || argv[0] === '') throw new SpaceError(file, 'objective.command', 'a program name first, got an empty command');
  const known = new Set<string>([...Object.keys(data.params), ...COMMAND_PLACEHOLDERS]);
  for (const arg of argv) {
    const unknown = placeholders(arg).find((name) => !known.has(name));
    if (unknown !== undefined) {
      throw new SpaceError(file, 'objective.command', `placeholder {${unknown}} is not a parameter (known: ${[...known].join(', ')})`);
    }
  }
  const command: CommandSpec = {
    argv,
    cwd: resolve(dirname(file), o.cwd ?? '.'),
    env: o.env ?? {},
    graceMs: o.grace ?? DEFAULT_COMMAND_GRACE_MS,
    metrics: o.metrics ?? [],
  };
  return { command, options: o.options };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
