/**
 * Exact rationals for activation oracles: the tests compute f(x) on real values written as
 * n/d, independently of the kernels' raw-integer arithmetic, and compare with raw * 2^-frac.
 */
export interface Q {
  n: bigint;
  /** > 0 */
  d: bigint;
}

const p2 = (k: number) => 1n << BigInt(k);
const gcd = (a: bigint, b: bigint): bigint => {
  a = a < 0n ? -a : a;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
};

export function q(n: bigint, d = 1n): Q {
  if (d < 0n) { n = -n; d = -d; }
  const g = gcd(n, d) || 1n;
  return { n: n / g, d: d / g };
}

/** The real value raw * 2^-frac. */
export const fromRaw = (raw: bigint, frac: number): Q => (frac >= 0 ? q(raw, p2(frac)) : q(raw * p2(-frac)));
export const fromDecimal = (s: string): Q => {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(s.trim());
  if (!m) throw new Error(`not a plain decimal: ${s}`);
  const frac = m[3] ?? '';
  const n = BigInt((m[1] === '-' ? '-' : '') + ((m[2] || '0') + frac));
  return q(n, 10n ** BigInt(frac.length));
};

export const add = (a: Q, b: Q): Q => q(a.n * b.d + b.n * a.d, a.d * b.d);
export const mul = (a: Q, b: Q): Q => q(a.n * b.n, a.d * b.d);
export const cmp = (a: Q, b: Q): number => {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
};
export const eq = (a: Q, b: Q): boolean => cmp(a, b) === 0;
export const max = (a: Q, b: Q): Q => (cmp(a, b) >= 0 ? a : b);
export const min = (a: Q, b: Q): Q => (cmp(a, b) <= 0 ? a : b);
export const clamp = (x: Q, lo: Q, hi: Q): Q => min(max(x, lo), hi);
export const ZERO = q(0n);
export const ONE = q(1n);
export const HALF = q(1n, 2n);
export const pow2q = (k: number): Q => (k >= 0 ? q(p2(k)) : q(1n, p2(-k)));
export const show = (a: Q): string => `${a.n}/${a.d}`;
