import type { Axis, ParamValue, Results } from './types.ts';

/** Axes with more than one value: the ones a picture shows (the others are constants). */
export function variedAxes(results: Results): Axis[] {
  return results.axes.filter((a) => new Set(a.values.map((v) => JSON.stringify(v))).size > 1);
}

/** The last dotted segment of each key (training.lr_shift -> lr_shift), the full key where two would collide. */
export function shortKeys(keys: readonly string[]): Map<string, string> {
  const last = (k: string) => k.slice(k.lastIndexOf('.') + 1);
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(last(k), (counts.get(last(k)) ?? 0) + 1);
  return new Map(keys.map((k) => [k, counts.get(last(k))! > 1 ? k : last(k)]));
}

/**
 * An axis title: the learning-rate shift reads "learning rate 2^-y" (y the letter of the picture
 * axis it is on), the fraction bits "fraction bits F"; any other key is shown as it is. The
 * picture names the keys themselves in its subtitle.
 */
export function axisTitle(key: string, letter: string): string {
  const last = key.slice(key.lastIndexOf('.') + 1);
  if (/^(lr_?shift|learning_rate_shift)$/i.test(last)) return `learning rate 2^-${letter}`;
  if (/^(F|frac|fraction|fraction_bits|frac_bits)$/.test(last)) return `fraction bits ${last === 'F' ? 'F' : ''}`.trim();
  return key;
}

export const formatParam = (v: ParamValue): string => (v === null ? 'null' : String(v));

/** The parameter keys whose value (or absence) differs between runs, in paramKeys order. */
function distinguishingKeys(results: Results): string[] {
  return results.paramKeys.filter((k) => new Set(results.runs.map((r) => (k in r.params ? JSON.stringify(r.params[k]) : '-'))).size > 1);
}

/**
 * A legend label per point: "F=20, lr_shift=10", the parameters that differ between runs (a
 * point without one of them leaves it out); the results' title when nothing differs. Labels
 * that would still coincide get " (point N)".
 */
export function pointLabels(results: Results, points: readonly number[]): Map<number, string> {
  const keys = distinguishingKeys(results);
  const short = shortKeys(keys);
  const paramsOf = new Map(results.runs.map((r) => [r.point, r.params] as const));
  const base = points.map((p) => {
    const params = paramsOf.get(p) ?? {};
    const parts = keys.filter((k) => k in params).map((k) => `${short.get(k)}=${formatParam(params[k])}`);
    return parts.length ? parts.join(', ') : results.title;
  });
  return new Map(points.map((p, i) => [p, base.filter((b) => b === base[i]).length > 1 ? `${base[i]} (point ${p})` : base[i]]));
}
