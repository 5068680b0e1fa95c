// An example user objective: a closed-form stand-in for "train a network of this shape" that runs
// in microseconds, so the whole pipeline (sampler, pool, storage, balance, report) can be tried
// without TensorFlow.js. Accuracy saturates with the number of nonzero weights and drops when the
// bit width is too small; size is nonzero weights × bits.
//
// The contract: the default export is async (params, ctx) => metrics. ctx.trial, ctx.seed,
// ctx.signal (AbortSignal), ctx.report(step, metrics), ctx.workdir, ctx.studyDir, ctx.options.

/** Deterministic noise from the trial seed (mulberry32). */
function noise(seed) {
  let t = (seed >>> 0) + 0x6d2b79f5;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
}

export default async function analyticTradeoff(params, ctx) {
  const { width, depth, pruning, bits } = params;
  const weights = 784 * width + (depth - 1) * width * width + width * 10;
  const nonzero = Math.max(1, Math.round(weights * (1 - pruning)));
  const capacity = 1 - Math.exp(-nonzero / (ctx.options.halfCapacity ?? 4000));
  const quantizationLoss = 0.4 * Math.pow(2, -bits);
  const epochs = ctx.options.epochs ?? 3;
  let accuracy = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    accuracy = (0.1 + 0.88 * capacity * (1 - Math.exp(-epoch))) - quantizationLoss + 0.004 * noise(ctx.seed + epoch);
    ctx.report(epoch, { accuracy });
  }
  return { accuracy, size_bits: nonzero * bits, params: weights, nonzero_params: nonzero };
}
