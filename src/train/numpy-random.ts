import { mersenne } from 'pure-rand/generator/mersenne';

/**
 * numpy's legacy `RandomState(seed)` (MT19937 via pure-rand, which matches numpy's raw 32-bit
 * outputs), for the two draws the study makes: `permutation(n)` and `normal(loc, scale)`.
 * With the same seed, fxsim draws the same sample order and initial weights as
 * `np.random.seed(seed); np.random.permutation(n); np.random.normal(...)`.
 * Floats appear only in `normal` (numpy's polar method: sqrt and log), whose result is then
 * rounded to an integer with `rint`. V8's Math.log and glibc's log differ by up to 2 ulp on some
 * inputs, so a raw normal double can differ from numpy's in its last bits; a rounded weight could
 * change only if a draw fell within 2 ulp of a half-integer (about 1e-13 per draw). The tests
 * compare 1.25M rounded draws with numpy: all equal.
 */
export class NumpyRandomState {
  private readonly mt: { next(): number };
  private gauss: number | undefined;

  constructor(readonly seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`numpy seed must be 0..2^32-1, got ${seed}`);
    this.mt = mersenne(seed) as unknown as { next(): number };
  }

  next32(): number {
    return this.mt.next() >>> 0;
  }

  /** numpy legacy_double: 53 random bits in [0, 1). */
  nextDouble(): number {
    const a = this.next32() >>> 5;
    const b = this.next32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** numpy legacy_gauss (polar Box–Muller, caching the second value). */
  standardNormal(): number {
    if (this.gauss !== undefined) {
      const g = this.gauss;
      this.gauss = undefined;
      return g;
    }
    let x1: number, x2: number, r2: number;
    do {
      x1 = 2 * this.nextDouble() - 1;
      x2 = 2 * this.nextDouble() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    this.gauss = f * x1;
    return f * x2;
  }

  normal(loc: number, scale: number): number {
    return loc + scale * this.standardNormal();
  }

  /** numpy legacy random_interval: uniform integer in [0, max] by masked rejection. */
  interval(max: number): number {
    if (max === 0) return 0;
    if (max > 0xffffffff) throw new RangeError('interval above 2^32-1 is not needed here');
    let mask = max;
    mask |= mask >>> 1; mask |= mask >>> 2; mask |= mask >>> 4; mask |= mask >>> 8; mask |= mask >>> 16;
    mask >>>= 0;
    let v: number;
    do v = (this.next32() & mask) >>> 0; while (v > max);
    return v;
  }

  /** np.random.permutation(n): Fisher–Yates from the end, as numpy's legacy shuffle. */
  permutation(n: number): Int32Array {
    const a = new Int32Array(n);
    for (let i = 0; i < n; i++) a[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.interval(i);
      const t = a[i]; a[i] = a[j]; a[j] = t;
    }
    return a;
  }
}

/** np.rint: round half to even, on an exactly known double. */
export function rint(x: number): number {
  const f = Math.floor(x);
  const d = x - f; // exact for |x| < 2^52
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}
