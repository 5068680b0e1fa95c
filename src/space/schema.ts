/**
 * The raw shape of a search-space file, as a zod schema. zod checks types and unknown keys; the
 * rules that span fields (low <= high, log needs low > 0, ...) are refinements here too, so every
 * problem is reported with the path of the field that broke it.
 */
import { z } from 'zod';
import { parseDuration, parseSize } from './duration.js';
import { PRUNER_NAMES, SAMPLER_NAMES } from './types.js';

const finite = z.number().refine(Number.isFinite, 'a finite number');
const choiceValue = z.union([z.string(), finite, z.boolean()]);
const unique = (xs: readonly unknown[]) => new Set(xs.map((x) => JSON.stringify(x))).size === xs.length;

const intParam = z
  .strictObject({
    type: z.literal('int'),
    low: z.number().int('an integer'),
    high: z.number().int('an integer'),
    step: z.number().int('an integer').min(1, 'step >= 1').default(1),
    log: z.boolean().default(false),
  })
  .refine((p) => p.low <= p.high, { message: 'low <= high must hold', path: ['high'] })
  .refine((p) => !p.log || p.low > 0, { message: 'log: true needs low > 0', path: ['low'] })
  .refine((p) => !p.log || p.step === 1, { message: 'log: true needs step 1', path: ['step'] })
  .refine((p) => (p.high - p.low) % p.step === 0, { message: 'high - low must be a multiple of step', path: ['step'] });

const floatParam = z
  .strictObject({ type: z.literal('float'), low: finite, high: finite, log: z.boolean().default(false) })
  .refine((p) => p.low <= p.high, { message: 'low <= high must hold', path: ['high'] })
  .refine((p) => !p.log || p.low > 0, { message: 'log: true needs low > 0', path: ['low'] });

const choiceParam = <T extends 'categorical' | 'ordinal'>(type: T) =>
  z.strictObject({
    type: z.literal(type),
    choices: z.array(choiceValue).min(1, 'at least one choice').refine(unique, 'choices must be distinct'),
  });

export const paramSchema = z.discriminatedUnion('type', [intParam, floatParam, choiceParam('categorical'), choiceParam('ordinal')], {
  error: (issue) =>
    issue.code === 'invalid_union' ? 'type must be one of int, float, categorical, ordinal' : undefined,
});

const duration = z
  .union([z.string(), z.number()])
  .transform((v, ctx) => {
    const ms = parseDuration(v);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `a duration such as 90, 30s, 20m, 8h or 1h30m, got ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return ms;
  });

const objective = z
  .strictObject({
    builtin: z.string().min(1).optional(),
    module: z.string().min(1).optional(),
    /** An argv array, or one string split like a shell splits words (see command.ts). */
    command: z.union([z.string().min(1, 'a non-empty command'), z.array(z.string()).min(1, 'at least the program name')], {
      error: () => 'a command line string or a list of arguments',
    }).optional(),
    /** Working folder of a command (relative to the space file; default: the space file's folder). */
    cwd: z.string().min(1).optional(),
    /** Extra environment variables of a command. */
    env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'), z.union([z.string(), finite]).transform(String)).optional(),
    /** How long a command gets between SIGTERM and SIGKILL when its trial is stopped. */
    grace: duration.optional(),
    /**
     * Metrics a command prints beyond the objectives under `metrics:` (e.g. latency_ms for an
     * efficiency): a program cannot be asked before the sweep, so the space says. Lazy: `name`
     * is defined below.
     */
    metrics: z.lazy(() => z.array(name('metric'))).optional(),
    options: z.record(z.string(), z.unknown()).default({}),
  })
  .refine((o) => [o.builtin, o.module, o.command].filter((x) => x !== undefined).length === 1, {
    message: 'exactly one of builtin, module or command',
  })
  .refine((o) => o.command !== undefined || (o.cwd === undefined && o.env === undefined && o.grace === undefined && o.metrics === undefined), {
    message: 'cwd, env, grace and metrics apply only to a command objective',
  });

const sampler = z.union(
  [
  z.enum(SAMPLER_NAMES).transform((name) => ({ name, initial: undefined as number | undefined, options: {} as Record<string, unknown> })),
  z
    .looseObject({ name: z.enum(SAMPLER_NAMES), initial: z.number().int().min(0).optional() })
    .transform(({ name, initial, ...options }) => ({ name, initial, options: options as Record<string, unknown> })),
  ],
  { error: () => 'one of random, sobol, gp, or a block { name, initial, ... }' },
);

/**
 * The study name rule, for `name:` and `--study`: the name becomes a folder under runs/ and a file
 * under reports/, so it cannot climb out of them ("..", "/") or be too long for a file name.
 */
export const STUDY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
export const STUDY_NAME_RULE = 'letters, digits, ".", "_" and "-", starting with a letter or digit, at most 100 characters';

/** Names that would reach an object's prototype machinery rather than a key of its own. */
const RESERVED_NAMES: readonly string[] = ['__proto__', 'constructor', 'prototype'];
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const name = (what: string) => z.string().refine((k) => NAME.test(k) && !RESERVED_NAMES.includes(k), `a ${what} name (letters, digits, _; not ${RESERVED_NAMES.join(', ')})`);

const step = z.number().int('an integer');
const resources = { minResource: step.min(1, 'minResource >= 1').default(1), reductionFactor: step.min(2, 'reductionFactor >= 2').default(3) };
const maxAboveMin = { message: 'maxResource > minResource must hold', path: ['maxResource'] };

/** `pruner: asha` or `pruner: { name: asha, ...options }`; every option checked here, with its path. */
export const prunerSchema = z.preprocess(
  (v) => (typeof v === 'string' ? { name: v } : v),
  z.discriminatedUnion(
    'name',
    [
      z.strictObject({ name: z.literal('none') }),
      z
        .strictObject({ name: z.literal('asha'), ...resources, maxResource: step.min(1, 'maxResource >= 1').optional() })
        .refine((p) => p.maxResource === undefined || p.maxResource > p.minResource, maxAboveMin),
      z
        .strictObject({ name: z.literal('hyperband'), ...resources, maxResource: step.min(1, 'maxResource >= 1') })
        .refine((p) => p.maxResource > p.minResource, maxAboveMin),
      z.strictObject({
        name: z.literal('median'),
        startupTrials: step.min(0, 'startupTrials >= 0').default(5),
        warmupSteps: step.min(0, 'warmupSteps >= 0').default(0),
        interval: step.min(1, 'interval >= 1').default(1),
      }),
    ],
    { error: (issue) => (issue.code === 'invalid_union' ? `one of ${PRUNER_NAMES.join(', ')}` : undefined) },
  ),
);
export const spaceFileSchema = z.strictObject({
  name: z.string().regex(STUDY_NAME, STUDY_NAME_RULE).optional(),
  objective,
  params: z.record(name('parameter'), paramSchema).refine(
    (p) => Object.keys(p).length > 0,
    'at least one parameter',
  ),
  metrics: z
    .record(name('metric'), z.enum(['maximize', 'minimize']))
    .refine((m) => Object.keys(m).length > 0, 'at least one metric'),
  constraints: z.array(z.string()).default([]),
  balance: z
    .strictObject({
      size: z.string().default('size_bits'),
      efficiency: z.string().default('accuracy - 0.005 * log2(size_bits)'),
      /** Re-runs of the recommended configuration with new seeds, late in the budget (counted in it). */
      repeats: z.number().int().min(0, 'repeats >= 0').max(100, 'repeats <= 100').optional(),
    })
    .optional(),
  budget: z
    .strictObject({
      trials: z.number().int().min(1, 'trials >= 1').default(50),
      workers: z.number().int().min(1, 'workers >= 1').optional(),
      gpuWorkers: z.number().int().min(0, 'gpuWorkers >= 0').optional(),
      timeout: duration.optional(),
      trialTimeout: duration.optional(),
      /** Re-runs of a trial cut short by a crash or a stop (not by its objective). */
      retries: z.number().int().min(0, 'retries >= 0').optional(),
      /** Memory one worker thread may use, V8 heap and off-heap together: MiB, or `2GiB`, `512MB`. */
      workerMemory: z
        .union([z.string(), z.number()])
        .transform((v, ctx) => {
          const bytes = parseSize(v);
          if (bytes === undefined || bytes < 64 * 1024 ** 2) {
            ctx.addIssue({ code: 'custom', message: `a size of at least 64 MiB such as 512MiB, 2GiB or 1500 (MiB), got ${JSON.stringify(v)}` });
            return z.NEVER;
          }
          return bytes;
        })
        .optional(),
      /** How long a running trial's lease lasts without its process's heartbeat. */
      leaseGrace: duration.refine((ms) => ms >= 100, 'at least 100 ms').optional(),
    })
    .default({ trials: 50 }),
  sampler: sampler.optional(),
  pruner: prunerSchema.optional(),
  seed: z.number().int().min(0).optional(),
  /** Configurations to evaluate before the sampler's proposals (baselines, warm starts); checked against params in parse.ts. */
  enqueue: z.array(z.record(z.string(), z.unknown())).default([]),
});

export type SpaceFile = z.output<typeof spaceFileSchema>;
