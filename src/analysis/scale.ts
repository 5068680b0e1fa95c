/**
 * Which scale a quantity reads on: shared by the importance forests (which model a metric spanning
 * decades on log10) and the report's axes, so a metric is never logged in one and linear in the other
 * for the same reason.
 */

/** Whether values are better shown or modelled on a log scale: all positive and max/min above `ratio`. */
export function wantsLog(values: readonly number[], ratio = 100): boolean {
  const v = values.filter(Number.isFinite);
  if (v.length < 2 || v.some((x) => x <= 0)) return false;
  return Math.max(...v) / Math.min(...v) > ratio;
}
