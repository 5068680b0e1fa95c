/**
 * The built-in `compression` objective: train, distill, prune and quantize an MNIST network in a
 * worker thread. The default export is the Objective; the rest is for tests, benchmarks and tools.
 */
import type { Objective } from '../types.js';
import { compressionTrial } from './trial.js';

const objective: Objective = (params, ctx) => compressionTrial(params, ctx);
export default objective;

export { compressionTrial, type TrialContext } from './trial.js';
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
