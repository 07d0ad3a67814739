import { inputError } from './errors.ts';

/**
 * A seeded stream of random bits for stochastic rounding. Every source is a bit stream:
 * a draw of k bits takes the next k bits of the stream, the first bit drawn becoming the
 * most significant bit of u. That one rule is what an RTL team reproduces.
 */
export interface RandomSource {
  readonly kind: 'lfsr' | 'xoshiro128ss';
  /** The next k bits (k >= 0) as an unsigned integer. */
  bits(k: number): bigint;
  /** Same stream as bits(k), as a number; k <= 53. */
  bitsNumber(k: number): number;
  /** Bits drawn so far. */
  readonly drawn: number;
  /** Current state as hex words, for traces. */
  state(): string;
  /**
   * The state as unsigned words, enough to resume the stream (golden vectors record it):
   * lfsr: [state] (`width` bits); xoshiro128ss: [s0, s1, s2, s3, unread, avail], 32-bit words,
   * where `avail` (0..32) bits of the last 32-bit output are not yet drawn and `unread` holds
   * them (its low `avail` bits, the next one drawn being bit avail-1; 0 when avail is 0).
   */
  stateWords(): number[];
}

export type RandomConfig =
  | { kind: 'lfsr'; width?: number; taps?: number[]; seed?: number }
  | { kind: 'xoshiro128ss'; seed?: number };

/**
 * Maximal-length taps (Xilinx XAPP052, one polynomial per width). Tap t means stage t,
 * stage 1 being the least significant state bit and stage `width` the output.
 */
export const LFSR_TAPS: Readonly<Record<number, readonly number[]>> = {
  2: [2, 1], 3: [3, 2], 4: [4, 3], 5: [5, 3], 6: [6, 5], 7: [7, 6], 8: [8, 6, 5, 4], 9: [9, 5],
  10: [10, 7], 11: [11, 9], 12: [12, 6, 4, 1], 13: [13, 4, 3, 1], 14: [14, 5, 3, 1], 15: [15, 14],
  16: [16, 15, 13, 4], 17: [17, 14], 18: [18, 11], 19: [19, 6, 2, 1], 20: [20, 17], 21: [21, 19],
  22: [22, 21], 23: [23, 18], 24: [24, 23, 22, 17], 25: [25, 22], 26: [26, 6, 2, 1], 27: [27, 5, 2, 1],
  28: [28, 25], 29: [29, 27], 30: [30, 6, 4, 1], 31: [31, 28], 32: [32, 22, 2, 1],
};
export const DEFAULT_LFSR_WIDTH = 32;

/**
 * Fibonacci LFSR, XOR feedback, width 2..32. One clock: out = stage `width` (the state's MSB);
 * fb = XOR of the tapped stages; state = ((state << 1) | fb) mod 2^width.
 * The seed is the initial state and must be non-zero (all-zero is the lock-up state).
 */
export class Lfsr implements RandomSource {
  readonly kind = 'lfsr' as const;
  readonly width: number;
  readonly taps: readonly number[];
  private s: number;
  private readonly tapMask: number;
  private count = 0;

  constructor(width = DEFAULT_LFSR_WIDTH, taps?: readonly number[], seed = 1) {
    if (!Number.isInteger(width) || width < 2 || width > 32) inputError(`lfsr width must be an integer 2..32, got ${width}`);
    const t = taps ?? LFSR_TAPS[width];
    if (!t.includes(width)) inputError(`lfsr taps must include the output stage ${width}, got [${t.join(', ')}]`);
    for (const tap of t) if (!Number.isInteger(tap) || tap < 1 || tap > width) inputError(`lfsr tap ${tap} is outside 1..${width}`);
    const mask = 2 ** width - 1;
    if (!Number.isInteger(seed) || seed < 0) inputError(`lfsr seed must be a non-negative integer, got ${seed}`);
    const s = seed % (mask + 1);
    if (s === 0) inputError(`lfsr seed must be non-zero modulo 2^${width} (all-zero is the lock-up state)`);
    this.width = width;
    this.taps = t;
    this.s = s;
    this.tapMask = t.reduce((m, tap) => m | (1 << (tap - 1)), 0) >>> 0;
  }

  /** One clock; returns the output bit. */
  private clock(): number {
    const s = this.s;
    const out = (s >>> (this.width - 1)) & 1;
    let fb = (s & this.tapMask) >>> 0;
    fb ^= fb >>> 16; fb ^= fb >>> 8; fb ^= fb >>> 4; fb ^= fb >>> 2; fb ^= fb >>> 1;
    this.s = ((s * 2) % 2 ** this.width) + (fb & 1);
    return out;
  }

  bitsNumber(k: number): number {
    let u = 0;
    for (let i = 0; i < k; i++) u = u * 2 + this.clock();
    this.count += k;
    return u;
  }

  bits(k: number): bigint {
    let u = 0n;
    for (let done = 0; done < k; done += 32) {
      const n = Math.min(32, k - done);
      u = (u << BigInt(n)) | BigInt(this.bitsNumber(n));
    }
    return u;
  }

  get drawn(): number { return this.count; }
  state(): string { return this.s.toString(16).padStart(Math.ceil(this.width / 4), '0'); }
  stateWords(): number[] { return [this.s]; }
}

/**
 * xoshiro128** (Blackman & Vigna), state seeded from a 32-bit seed by four splitmix32 steps.
 * The bit stream is its 32-bit outputs, each taken most significant bit first.
 */
export class Xoshiro128ss implements RandomSource {
  readonly kind = 'xoshiro128ss' as const;
  private readonly st = new Uint32Array(4);
  private buf = 0;
  private avail = 0;
  private count = 0;

  constructor(seed = 1) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) inputError(`xoshiro128ss seed must be an integer 0..2^32-1, got ${seed}`);
    let z = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      z = (z + 0x9e3779b9) >>> 0;
      let x = z;
      x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
      x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
      this.st[i] = (x ^ (x >>> 16)) >>> 0;
    }
  }

  /** The next 32-bit output. */
  next32(): number {
    const s = this.st;
    const r = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    xoshiro128Advance(s);
    return r;
  }

  bitsNumber(k: number): number {
    let u = 0;
    let need = k;
    while (need > 0) {
      if (this.avail === 0) { this.buf = this.next32(); this.avail = 32; }
      const take = Math.min(need, this.avail);
      // top `take` of the `avail` unread low bits of buf
      const chunk = Math.floor(this.buf / 2 ** (this.avail - take)) % 2 ** take;
      u = u * 2 ** take + chunk;
      this.avail -= take;
      need -= take;
    }
    this.count += k;
    return u;
  }

  bits(k: number): bigint {
    let u = 0n;
    for (let done = 0; done < k; done += 32) {
      const n = Math.min(32, k - done);
      u = (u << BigInt(n)) | BigInt(this.bitsNumber(n));
    }
    return u;
  }

  get drawn(): number { return this.count; }
  state(): string {
    return Array.from(this.st, (w) => w.toString(16).padStart(8, '0')).join('') + `:${this.avail}`;
  }
  stateWords(): number[] {
    return [...this.st, this.buf % 2 ** this.avail, this.avail];
  }
}

/**
 * xoshiro128's state transition, in place: linear over GF(2) (only the ** output scrambler is
 * not), which is what lets the fused kernel jump the stream ahead by matrix powers.
 */
export function xoshiro128Advance(s: Uint32Array): void {
  const t = s[1] << 9;
  s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 11);
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

export function makeRandomSource(cfg: RandomConfig): RandomSource {
  return cfg.kind === 'lfsr' ? new Lfsr(cfg.width, cfg.taps, cfg.seed) : new Xoshiro128ss(cfg.seed);
}
