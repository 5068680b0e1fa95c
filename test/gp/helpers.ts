/** Deterministic test inputs (a local generator keeps the GP tests independent of src/math). */
export function lcg(seed: number): { random(): number; normal(): number } {
  let s = seed >>> 0 || 1;
  const random = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
  return { random, normal: () => Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random()) };
}

export function randomMatrix(n: number, d: number, seed: number): number[][] {
  const r = lcg(seed);
  return Array.from({ length: n }, () => Array.from({ length: d }, () => r.random()));
}
