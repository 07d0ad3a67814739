import { inputError } from '../core/errors.ts';
import { Xoshiro128ss } from '../core/random.ts';

/**
 * floor(x * n / 2^32) for a 32-bit draw x and 1 <= n <= 2^32, computed exactly in doubles:
 * with x = xh * 2^16 + xl, it equals floor((xh * n + floor(xl * n / 2^16)) / 2^16), every
 * intermediate below 2^49. (Lemire's multiply-shift map of a 32-bit draw onto 0..n-1; its
 * bias, under n / 2^32 per index, is accepted for reproducibility without rejection loops.)
 */
export function scaleDraw(x: number, n: number): number {
  const xh = Math.floor(x / 65536);
  const xl = x % 65536;
  return Math.floor((xh * n + Math.floor((xl * n) / 65536)) / 65536);
}

/**
 * In-place Fisher–Yates shuffle driven by xoshiro128** 32-bit outputs:
 * for i = n-1 down to 1: j = floor(next32() * (i+1) / 2^32); swap a[i], a[j].
 * Exactly n-1 draws for n >= 2, none otherwise.
 */
export function fisherYates<T extends { length: number; [i: number]: unknown }>(a: T, rng: Xoshiro128ss): T {
  for (let i = a.length - 1; i > 0; i--) {
    const j = scaleDraw(rng.next32(), i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}

/**
 * A seeded permutation of 0..count-1 (the training sample order): the identity shuffled by
 * fisherYates with new Xoshiro128ss(seed) (seed an integer 0..2^32-1; splitmix32 seeding as
 * in src/core/random.ts). Same count and seed, same order, on every platform.
 */
export function shuffledOrder(count: number, seed: number): Uint32Array {
  if (!Number.isInteger(count) || count < 0 || count > 0xffffffff) inputError(`sample count must be an integer 0..2^32-1, got ${count}`);
  const a = new Uint32Array(count);
  for (let i = 0; i < count; i++) a[i] = i;
  return fisherYates(a, new Xoshiro128ss(seed));
}
