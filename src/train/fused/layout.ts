/** Header fields of the fused kernel's memory (byte offsets): one table, mirrored in sgd64.wat. */
export const HEADER = {
  W: 0, ROWS: 4, COLS: 8, POS: 12, CODE: 16, TABLE: 20, XI: 24, XV: 28,
  ACC: 32, PRE: 36, OUT: 40, DELTA: 44, N_POST: 48, ACT_AT: 52,
  ACC_FMT: 56, MAC_CTR: 60, UNITS: 64,
  DELTA_FMT: 68, DELTA_CTR: 72, DELTA_K: 76, DELTA_MODE: 80,
  HAS_PRODUCT: 84, PRODUCT_FMT: 88, UPDATE_SHIFT: 92, UPDATE_MODE: 96, W_FMT: 100, UPDATE_CTR: 104,
  X_BITS: 108, DERIV_KIND: 112, TARGET: 120, SLOPE: 128, SLOPE_FRAC: 136, STATS: 140,
  W_BOUND: 144, ACC_MAG: 152, DELTA_SCALE: 160, ACTIVE: 168, CODE_WIDTH: 172, WF_DELTA: 176, XVF: 180, OFFSETS: 184, LABELS: 188, HITS: 192, N_SAMPLES: 196, RNG_KIND: 200, RNG: 204, XD: 208, TABLEF_DELTA: 212,
} as const;
export const HEADER_BYTES = 256;

/** Format descriptor: lo i64, hi i64, width i32, signed i32, overflow i32. */
export const FORMAT_BYTES = 32;
/** Counter block: six i64 in EventCounters order. */
export const COUNTER_BYTES = 48;
export const COUNTER_KEYS = ['values', 'inexact', 'toZero', 'overflows', 'saturations', 'stochasticDraws'] as const;
/** Post unit: kind, k, rounding, format @16, counters @48, slope raw @96, slope frac @104. */
export const UNIT_BYTES = 128;
export const UNIT_KIND = { shift: 0, relu: 1, linear: 2, leaky_relu: 3 } as const;
export const DERIV_KIND = { one: 0, relu: 1, leaky: 2 } as const;
export const OVERFLOW_CODE = { WRAP: 0, SAT: 1, SAT_ZERO: 2, SAT_SYM: 3 } as const;
export const ROUNDING_CODE = {
  TRN: 0, TRN_ZERO: 1, TRN_INF: 2, TRN_AWAY: 3, RND: 4, RND_ZERO: 5, RND_MIN_INF: 6, RND_INF: 7, RND_CONV: 8, RND_CONV_ODD: 9,
  STOCH: 10,
} as const;
/** Stats block: hit i32 @0; the last step's sum @8, sum of squares @16, zero count @24; running sums @32/40/48 (f64). */
export const STATS_BYTES = 56;
/** Most steps one `run` call takes (the HITS buffer). */
export const RUN_CHUNK = 4096;
/**
 * Random source block (i32): xoshiro128** s0..s3 @0..12, block buf @16, avail @20; LFSR state @24,
 * width @28, block table address @32; jump tables address @36, their count @40.
 */
export const RNG_BYTES = 48;
/** The LFSR block table (rng-jump.ts): 4 x 256 i32. */
export const LFSR_TABLE_BYTES = 4096;
export const RNG_KIND = { xoshiro128ss: 1, lfsr: 2 } as const;
