import { describe, expect, it } from 'vitest';
import { FxInputError } from '../../src/core/errors.ts';
import {
  findOverflowMode,
  findQuantMode,
  OVERFLOW_MODE_NAMES,
  OVERFLOW_MODES,
  parseOverflowMode,
  parseQuantMode,
  QUANT_MODE_NAMES,
  QUANT_MODES,
} from '../../src/core/modes.ts';

/** The mode table of SEMANTICS.md, written out independently of modes.ts. */
const SEMANTICS_QUANT: Record<string, string[]> = {
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
};
const SEMANTICS_OVERFLOW = ['SAT', 'SAT_ZERO', 'SAT_SYM', 'WRAP', 'WRAP_SM'];

/** Spellings a user may write for one name: any case, with or without AP_/SC_, padded. */
const variants = (s: string) => [
  s,
  s.toLowerCase(),
  s.toUpperCase(),
  s.replace(/(^|_)([a-z])/gi, (_m, p: string, c: string) => p + c.toUpperCase()),
  `AP_${s.toUpperCase()}`,
  `ap_${s.toLowerCase()}`,
  `SC_${s.toUpperCase()}`,
  `sc_${s}`,
  `Sc_${s}`,
  `  ${s}\t`,
];

describe('mode tables', () => {
  it('quantization modes and aliases are exactly the SEMANTICS.md table', () => {
    expect(Object.fromEntries(Object.entries(QUANT_MODES).map(([k, v]) => [k, [...v]]))).toEqual(SEMANTICS_QUANT);
    expect([...QUANT_MODE_NAMES].sort()).toEqual(Object.keys(SEMANTICS_QUANT).sort());
  });
  it('overflow modes are the five of SEMANTICS.md', () => {
    expect([...OVERFLOW_MODE_NAMES].sort()).toEqual([...SEMANTICS_OVERFLOW].sort());
    expect(Object.keys(OVERFLOW_MODES).sort()).toEqual([...SEMANTICS_OVERFLOW].sort());
  });
});

describe('parseQuantMode / findQuantMode', () => {
  const all = Object.entries(SEMANTICS_QUANT).flatMap(([mode, aliases]) => [mode, ...aliases].map((name) => [name, mode] as const));
  it.each(all)('%s -> %s in every spelling', (name, mode) => {
    for (const v of variants(name)) {
      expect(findQuantMode(v), v).toBe(mode);
      expect(parseQuantMode(v), v).toBe(mode);
    }
  });
  it('every alias listed in modes.ts resolves to its mode', () => {
    for (const [mode, aliases] of Object.entries(QUANT_MODES)) for (const a of aliases) expect(parseQuantMode(a)).toBe(mode);
  });
  it.each(['RND_FOO', '', 'AP_', 'XX_RND', 'SAT', 'round', 'rnd conv', 'ap_sc_rnd'])('rejects %j', (s) => {
    expect(findQuantMode(s)).toBeUndefined();
    expect(() => parseQuantMode(s)).toThrow(FxInputError);
    expect(() => parseQuantMode(s)).toThrow(`unknown rounding mode '${s}'`);
    expect(() => parseQuantMode(s)).toThrow(/one of TRN, .*STOCH/);
  });
  it('prefixes the location', () => {
    expect(() => parseQuantMode('nope', 'cfg.yaml:7')).toThrow(/^cfg\.yaml:7: unknown rounding mode 'nope'/);
  });
});

describe('parseOverflowMode / findOverflowMode', () => {
  const all: (readonly [string, string])[] = [
    ...SEMANTICS_OVERFLOW.map((m) => [m, m] as const),
    ...Object.entries(OVERFLOW_MODES).flatMap(([mode, aliases]) => aliases.map((a) => [a, mode] as const)),
  ];
  it('knows the aliases saturate, saturate_symmetric, wraparound', () => {
    expect(all.filter(([a, m]) => a !== m)).toEqual([
      ['saturate', 'SAT'],
      ['saturate_symmetric', 'SAT_SYM'],
      ['wraparound', 'WRAP'],
    ]);
  });
  it.each(all)('%s -> %s in every spelling', (name, mode) => {
    for (const v of variants(name)) {
      expect(findOverflowMode(v), v).toBe(mode);
      expect(parseOverflowMode(v), v).toBe(mode);
    }
  });
  it.each(['SATURATION', '', 'RND', 'wrap-sm', 'AP_WRAP_X'])('rejects %j', (s) => {
    expect(findOverflowMode(s)).toBeUndefined();
    expect(() => parseOverflowMode(s)).toThrow(FxInputError);
    expect(() => parseOverflowMode(s)).toThrow(`unknown overflow mode '${s}' (one of SAT, SAT_ZERO, SAT_SYM, WRAP, WRAP_SM)`);
  });
});
