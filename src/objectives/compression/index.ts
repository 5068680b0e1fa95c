/**
 * The built-in `compression` objective: train, distill, prune and quantize an MNIST network in a
 * worker thread. The default export is the Objective; the rest is for tests, benchmarks and tools.
 */
import { loadBackend } from '../../engine/index.js';
import type { Objective } from '../types.js';
import { KNOBS, parseOptions } from './options.js';
import { compressionTrial } from './trial.js';

const objective: Objective = (params, ctx) => compressionTrial(params, ctx);
export default objective;

/** What the trial declares for pre-flight (src/objectives/inspect.ts): the metrics it returns, the knobs it takes. */
export const metrics: readonly string[] = ['accuracy', 'accuracy_se', 'loss', 'params', 'nonzero_params', 'sparsity', 'size_bits', 'macs', 'latency_ms', 'train_seconds', 'teacher_accuracy', 'teacher_seconds'];
export const parameters: readonly string[] = KNOBS;

/** Pre-flight: the options are valid and a backend asked for by name loads in this thread. */
export async function checkOptions(options: Readonly<Record<string, unknown>>): Promise<void> {
  const parsed = parseOptions(options);
  if (parsed.backend !== 'auto') await loadBackend(parsed.backend);
}

export { compressionTrial, plannedSize, teacherRequest, type TrialContext } from './trial.js';
export { resolveSettings, parseOptions, DEFAULT_TEACHER, type CompressionOptions, type TrialSettings } from './options.js';
export { loadDigits, referenceDigits, splitDigits, type DigitPool, type DigitSet, type Split } from './data.js';
export { buildModel, forward, layerSpecs, paramCount, macCount, disposeModel, type Model, type ModelSpec, type Family } from './models.js';
export { distillationLoss, distills, type DistillSettings } from './distill.js';
export { magnitudeMask, magnitudeMasks, measuredSparsity, scheduledSparsity } from './prune.js';
export { quantizeTensor, fakeQuantize, channelScales } from './quantize.js';
export { sizeBits, layerSizeBits, evaluate, latencyMs, logitsOf } from './metrics.js';
export { ensureTeacher, teacherKey, clearTeacherCache, type Teacher, type TeacherRequest } from './teacher.js';
export { trainPhase } from './train.js';
export { learningRateAt, LR_SCHEDULES, type LrSchedule } from './schedule.js';
export { fileSystemHandler } from './fs-io.js';
export { onceUnderLock } from './lock.js';
export { onceInStudy } from './shared-once.js';
