import type { ParamValue } from './types.ts';

const rank = (v: ParamValue) => (v === null ? 3 : typeof v === 'boolean' ? 2 : typeof v === 'string' ? 1 : 0);

/**
 * A total order on parameter values: numbers ascending, then strings (code-unit order, no
 * locale), then booleans, then null. Pictures sort by it so that they never depend on the order
 * lines arrive in.
 */
export function compareParam(a: ParamValue, b: ParamValue): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Layer names in natural order (L2 before L10), locale-free. */
export function compareNatural(a: string, b: string): number {
  const pa = a.match(/\d+|\D+/g) ?? [];
  const pb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === y) continue;
    const nx = /^\d/.test(x) && /^\d/.test(y);
    if (nx && Number(x) !== Number(y)) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length || (a < b ? -1 : a > b ? 1 : 0);
}
