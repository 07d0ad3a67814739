import { inputError } from './errors.ts';

/**
 * Every quantization and overflow mode, enumerated once. The parsers below accept
 * names case-insensitively, with or without an AP_/SC_ prefix, plus the aliases listed.
 */
export const QUANT_MODES = {
  TRN: ['floor'],
  TRN_ZERO: ['trunc', 'toward_zero'],
  TRN_INF: ['ceil'],
  TRN_AWAY: ['away_from_zero'],
  RND: ['half_up'],
  RND_ZERO: ['half_toward_zero'],
  RND_MIN_INF: ['half_down'],
  RND_INF: ['half_away'],
  RND_CONV: ['half_even', 'convergent'],
  RND_CONV_ODD: ['half_odd'],
  STOCH: ['stochastic'],
} as const satisfies Record<string, readonly string[]>;

export const OVERFLOW_MODES = {
  SAT: ['saturate'],
  SAT_ZERO: [],
  SAT_SYM: ['saturate_symmetric'],
  WRAP: ['wraparound'],
  WRAP_SM: [],
} as const satisfies Record<string, readonly string[]>;

export type QuantMode = keyof typeof QUANT_MODES;
export type OverflowMode = keyof typeof OVERFLOW_MODES;

export const QUANT_MODE_NAMES = Object.keys(QUANT_MODES) as QuantMode[];
export const OVERFLOW_MODE_NAMES = Object.keys(OVERFLOW_MODES) as OverflowMode[];

function lookupTable<M extends string>(table: Record<M, readonly string[]>): Map<string, M> {
  const map = new Map<string, M>();
  for (const [name, aliases] of Object.entries(table) as [M, readonly string[]][]) {
    map.set(name.toLowerCase(), name);
    for (const alias of aliases) map.set(alias.toLowerCase(), name);
  }
  return map;
}
const QUANT_LOOKUP = lookupTable(QUANT_MODES);
const OVERFLOW_LOOKUP = lookupTable(OVERFLOW_MODES);

const normalize = (s: string) => s.trim().toLowerCase().replace(/^(ap|sc)_/, '');

export function findQuantMode(s: string): QuantMode | undefined {
  return QUANT_LOOKUP.get(normalize(s));
}
export function findOverflowMode(s: string): OverflowMode | undefined {
  return OVERFLOW_LOOKUP.get(normalize(s));
}

export function parseQuantMode(s: string, where?: string): QuantMode {
  return findQuantMode(s) ?? inputError(`unknown rounding mode '${s}' (one of ${QUANT_MODE_NAMES.join(', ')})`, where);
}
export function parseOverflowMode(s: string, where?: string): OverflowMode {
  return findOverflowMode(s) ?? inputError(`unknown overflow mode '${s}' (one of ${OVERFLOW_MODE_NAMES.join(', ')})`, where);
}
