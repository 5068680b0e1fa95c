/** Non-dominated filtering for minimization (small sets: O(n² m)). */

/** True when a ≤ b in every objective and < in at least one. */
export function dominates(a: readonly number[], b: readonly number[]): boolean {
  let strict = false;
  for (let j = 0; j < a.length; j++) {
    if (a[j]! > b[j]!) return false;
    if (a[j]! < b[j]!) strict = true;
  }
  return strict;
}

/** The non-dominated rows of Y (`n × m`), duplicates kept once. */
export function paretoFront(Y: readonly (readonly number[])[]): number[][] {
  const out: number[][] = [];
  const seen = new Set<string>();
  for (let i = 0; i < Y.length; i++) {
    const yi = Y[i]!;
    if (Y.some((yj, j) => j !== i && dominates(yj, yi))) continue;
    const key = yi.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push([...yi]);
  }
  return out;
}
