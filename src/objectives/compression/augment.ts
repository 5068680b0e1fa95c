/**
 * Data augmentation: a random shift and a small rotation per digit (the design article's fourth
 * technique). `strength` in [0, 1] scales both: at 1, shifts up to ±3 pixels and rotations up to
 * ±15°. Applied on the CPU to each batch before it becomes a tensor; bilinear resampling.
 */
import type { Rng } from '../../math/index.js';
import { IMAGE_SIZE, PIXELS } from './data.js';

export const MAX_SHIFT_PX = 3;
export const MAX_ROTATION_DEG = 15;

/**
 * Augment `pixels` (`n × 784`) in place with draws from `rand`; strength 0 leaves them untouched.
 */
export function augmentBatch(pixels: Float32Array, strength: number, rand: Rng): void {
  if (strength <= 0) return;
  const n = pixels.length / PIXELS;
  const src = new Float32Array(PIXELS);
  const c = (IMAGE_SIZE - 1) / 2;
  for (let i = 0; i < n; i++) {
    const img = pixels.subarray(i * PIXELS, (i + 1) * PIXELS);
    src.set(img);
    const angle = ((rand.uniform() * 2 - 1) * MAX_ROTATION_DEG * strength * Math.PI) / 180;
    const dx = (rand.uniform() * 2 - 1) * MAX_SHIFT_PX * strength;
    const dy = (rand.uniform() * 2 - 1) * MAX_SHIFT_PX * strength;
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    for (let y = 0; y < IMAGE_SIZE; y++) {
      for (let x = 0; x < IMAGE_SIZE; x++) {
        // Inverse map: where in the source does output pixel (x, y) come from?
        const ux = x - c - dx;
        const uy = y - c - dy;
        const sx = cos * ux + sin * uy + c;
        const sy = -sin * ux + cos * uy + c;
        img[y * IMAGE_SIZE + x] = bilinear(src, sx, sy);
      }
    }
  }
}

function bilinear(src: Float32Array, x: number, y: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const at = (xx: number, yy: number) =>
    xx < 0 || yy < 0 || xx >= IMAGE_SIZE || yy >= IMAGE_SIZE ? 0 : src[yy * IMAGE_SIZE + xx]!;
  return (
    at(x0, y0) * (1 - fx) * (1 - fy) + at(x0 + 1, y0) * fx * (1 - fy) + at(x0, y0 + 1) * (1 - fx) * fy + at(x0 + 1, y0 + 1) * fx * fy
  );
}
