/**
 * The compression trial's settings: the five knobs (width, depth, pruning, bits, temperature, and
 * augmentation, which a space may also search) come from the trial's params, falling back to
 * `objective.options`, then to the defaults here; everything else comes from options only.
 * Validated once, up front, with the option's name and value in each message.
 */
import { z } from 'zod';
import { ObjectiveError } from '../../errors.js';
import type { Params } from '../../space/index.js';
import { BACKEND_REQUESTS, type BackendRequest } from '../../engine/index.js';
import { parseTemperature } from './distill.js';
import { validateSpec, type Family, type ModelSpec } from './models.js';
import { validatePruning } from './prune.js';
import { validateBits } from './quantize.js';
import { LR_SCHEDULES } from './schedule.js';

const familySchema = z.enum(['mlp', 'cnn']);
const positiveInt = z.number().int().min(1);

const teacherSchema = z.strictObject({
  family: familySchema.optional(),
  width: positiveInt.optional(),
  depth: z.number().int().min(0).optional(),
  epochs: positiveInt.optional(),
  learningRate: z.number().positive().optional(),
  augmentation: z.number().min(0).max(1).optional(),
});

const optionsSchema = z.strictObject({
  family: familySchema.default('cnn'),
  epochs: positiveInt.default(3),
  learningRate: z.number().positive().default(0.001),
  /** The student's main training phase: `constant` or `cosine` decay from learningRate to 0 (fine-tune phases stay constant). */
  lrSchedule: z.enum(LR_SCHEDULES).default('constant'),
  batchSize: positiveInt.default(64),
  /** Digits per forward pass when evaluating (accuracy, loss, the teacher's logits). */
  evalBatchSize: positiveInt.default(500),
  alpha: z.number().min(0).max(1).default(0.7),
  trainSamples: positiveInt.default(8000),
  testSamples: positiveInt.default(2000),
  /** Seeds the train/test split; shared by every trial and the teacher of a study. */
  splitSeed: z.number().int().min(0).default(0),
  /** Fine-tuning epochs over which pruning ramps up (0: prune at once, no fine-tuning). */
  pruneEpochs: z.number().int().min(0).default(1),
  /** Quantization-aware fine-tuning epochs after pruning (0: post-training quantization only). */
  qatEpochs: z.number().int().min(0).default(0),
  teacher: teacherSchema.default({}),
  backend: z.enum(BACKEND_REQUESTS as [BackendRequest, ...BackendRequest[]]).default('auto'),
  latencyBatch: positiveInt.default(100),
  latencyRepeats: positiveInt.default(7),
  // Knob defaults, used when the space does not search them.
  width: positiveInt.optional(),
  depth: z.number().int().min(0).optional(),
  pruning: z.number().optional(),
  bits: z.union([z.number(), z.string()]).optional(),
  temperature: z.union([z.number(), z.string(), z.boolean()]).optional(),
  augmentation: z.number().min(0).max(1).default(0),
});

export type CompressionOptions = z.output<typeof optionsSchema>;

export interface TeacherSettings {
  readonly spec: ModelSpec;
  readonly epochs: number;
  readonly learningRate: number;
  readonly augmentation: number;
}

export interface TrialSettings {
  readonly options: CompressionOptions;
  readonly student: ModelSpec;
  readonly pruning: number;
  readonly bits: number;
  readonly temperature: number;
  readonly augmentation: number;
  readonly teacher: TeacherSettings;
}

export const KNOBS = ['width', 'depth', 'pruning', 'bits', 'temperature', 'augmentation'] as const;

export const DEFAULT_WIDTH: Readonly<Record<Family, number>> = { cnn: 32, mlp: 128 };
export const DEFAULT_DEPTH: Readonly<Record<Family, number>> = { cnn: 1, mlp: 2 };
/** Default teachers: the reference networks of shared/reference/torch_train_bench.py. */
export const DEFAULT_TEACHER: Readonly<Record<Family, ModelSpec>> = {
  cnn: { family: 'cnn', width: 32, depth: 2 },
  mlp: { family: 'mlp', width: 256, depth: 2 },
};

export function parseOptions(raw: Readonly<Record<string, unknown>>): CompressionOptions {
  const parsed = optionsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || '(options)';
    const value = issue.path.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k as string], raw);
    throw new ObjectiveError(`compression option ${field}: ${issue.message}, got ${JSON.stringify(value)}`);
  }
  return parsed.data;
}

/** Merge params over options and validate everything a trial needs. */
export function resolveSettings(params: Params, rawOptions: Readonly<Record<string, unknown>>): TrialSettings {
  const unknown = Object.keys(params).filter((k) => !(KNOBS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw new ObjectiveError(`the compression trial's parameters are ${KNOBS.join(', ')}; unknown: ${unknown.join(', ')}`);
  }
  const options = parseOptions(rawOptions);
  const knob = (k: (typeof KNOBS)[number]): unknown => params[k] ?? options[k];
  const num = (k: (typeof KNOBS)[number], fallback: number): number => {
    const v = knob(k) ?? fallback;
    const n = typeof v === 'string' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n)) throw new ObjectiveError(`${k} must be a number, got ${JSON.stringify(v)}`);
    return n;
  };
  const family = options.family;
  const student: ModelSpec = { family, width: num('width', DEFAULT_WIDTH[family]), depth: num('depth', DEFAULT_DEPTH[family]) };
  validateSpec(student);
  const pruning = num('pruning', 0);
  validatePruning(pruning);
  const bits = num('bits', 32);
  validateBits(bits);
  const augmentation = num('augmentation', 0);
  if (augmentation < 0 || augmentation > 1) throw new ObjectiveError(`augmentation must be a strength in [0, 1], got ${augmentation}`);
  const temperature = parseTemperature(knob('temperature'));
  const t = options.teacher;
  const tFamily = t.family ?? family;
  const base = DEFAULT_TEACHER[tFamily];
  const teacher: TeacherSettings = {
    spec: { family: tFamily, width: t.width ?? base.width, depth: t.depth ?? base.depth },
    epochs: t.epochs ?? options.epochs,
    learningRate: t.learningRate ?? options.learningRate,
    augmentation: t.augmentation ?? 0,
  };
  validateSpec(teacher.spec);
  return { options, student, pruning, bits, temperature, augmentation, teacher };
}
