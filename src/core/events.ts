/** What a unit counts as it runs; a run reports these per unit. */
export interface EventCounters {
  /** values processed */
  values: number;
  /** quantizations that dropped non-zero bits (inexact) */
  inexact: number;
  /** non-zero values that quantized to zero */
  toZero: number;
  /** values outside the target range before the overflow mode was applied */
  overflows: number;
  /** overflows resolved by a SAT* mode (clamped or zeroed) */
  saturations: number;
  /** stochastic rounding draws */
  stochasticDraws: number;
}

export const newCounters = (): EventCounters => ({ values: 0, inexact: 0, toZero: 0, overflows: 0, saturations: 0, stochasticDraws: 0 });

export function addCounters(into: EventCounters, from: EventCounters): EventCounters {
  for (const k of Object.keys(into) as (keyof EventCounters)[]) into[k] += from[k];
  return into;
}

export function resetCounters(c: EventCounters): void {
  for (const k of Object.keys(c) as (keyof EventCounters)[]) c[k] = 0;
}
