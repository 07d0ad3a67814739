import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { FxInputError } from '../../src/core/errors.ts';
import { DEFAULT_LFSR_WIDTH, LFSR_TAPS, Lfsr, makeRandomSource, Xoshiro128ss, type RandomSource } from '../../src/core/random.ts';

// ------------------------------------------------------------------ LFSR

/** Clock until the state comes back; returns the period (or -1 past `limit` clocks). */
function period(l: Lfsr, limit: number): number {
  const s0 = l.state();
  for (let c = 1; c <= limit; c++) {
    l.bitsNumber(1);
    if (l.state() === s0) return c;
  }
  return -1;
}

/**
 * GF(2) primitivity, independent of the LFSR code: the feedback rule new = XOR of stage t
 * (t clocks old) has the reciprocal of Q(x) = 1 + sum over taps of x^t as characteristic
 * polynomial, and Q is primitive iff x has order exactly 2^n - 1 modulo Q.
 */
function tapsArePrimitive(n: number, taps: readonly number[]): boolean {
  let q = 1n;
  for (const t of taps) q ^= 1n << BigInt(t);
  const mulmod = (a: bigint, b: bigint): bigint => {
    let r = 0n;
    while (b) {
      if (b & 1n) r ^= a;
      b >>= 1n;
      a <<= 1n;
      if ((a >> BigInt(n)) & 1n) a ^= q;
    }
    return r;
  };
  const powmod = (e: bigint): bigint => {
    let r = 1n;
    let base = 2n; // the polynomial x
    while (e) {
      if (e & 1n) r = mulmod(r, base);
      base = mulmod(base, base);
      e >>= 1n;
    }
    return r;
  };
  const order = (1n << BigInt(n)) - 1n;
  if (powmod(order) !== 1n) return false;
  const primes: bigint[] = [];
  let m = order;
  for (let p = 2n; p * p <= m; p++) {
    if (m % p !== 0n) continue;
    primes.push(p);
    while (m % p === 0n) m /= p;
  }
  if (m > 1n) primes.push(m);
  return primes.every((p) => powmod(order / p) !== 1n);
}

describe('Lfsr', () => {
  it('the default taps are maximal length: period 2^n - 1 for every width 2..20 (by iteration)', () => {
    for (let n = 2; n <= 20; n++) {
      expect(period(new Lfsr(n), 2 ** n), `width ${n}`).toBe(2 ** n - 1);
    }
    // from another seed too
    expect(period(new Lfsr(16, undefined, 0xbeef), 2 ** 16)).toBe(2 ** 16 - 1);
  });

  it('the default taps are primitive polynomials for every width 2..32 (GF(2) check)', () => {
    for (let n = 2; n <= 32; n++) expect(tapsArePrimitive(n, LFSR_TAPS[n]), `width ${n}`).toBe(true);
    expect(Object.keys(LFSR_TAPS).map(Number)).toEqual(Array.from({ length: 31 }, (_, i) => i + 2));
    expect(DEFAULT_LFSR_WIDTH).toBe(32);
  });

  it('negative controls: non-primitive taps have a short period and fail the GF(2) check', () => {
    // x^4 + x^2 + 1 = (x^2 + x + 1)^2; x^8 + x^4 + 1 likewise reducible
    expect(period(new Lfsr(4, [4, 2]), 16)).toBeLessThan(15);
    expect(tapsArePrimitive(4, [4, 2])).toBe(false);
    expect(period(new Lfsr(8, [8, 4]), 256)).toBeLessThan(255);
    expect(tapsArePrimitive(8, [8, 4])).toBe(false);
    // x^4 + x + 1 (taps [4, 1]) is primitive: the check agrees with iteration
    expect(period(new Lfsr(4, [4, 1]), 16)).toBe(15);
    expect(tapsArePrimitive(4, [4, 1])).toBe(true);
  });

  it('width 4, taps [4,3], seed 1: the bit stream and states worked out by hand', () => {
    const l = new Lfsr(4, [4, 3], 1);
    expect(l.state()).toBe('1');
    const bits = Array.from({ length: 15 }, () => l.bitsNumber(1)).join('');
    expect(bits).toBe('000100110101111');
    expect(l.state()).toBe('1'); // back at the seed after 15 clocks
    const m = new Lfsr(4, [4, 3], 1);
    m.bitsNumber(3);
    expect(m.state()).toBe('9'); // 0001 -> 0010 -> 0100 -> 1001
    expect(m.bitsNumber(4)).toBe(0b1001);
    expect(m.drawn).toBe(7);
  });

  it('same seed gives the same bits; different seeds differ', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 32 }), fc.integer({ min: 1, max: 2 ** 31 }), (w, seed) => {
        fc.pre(seed % 2 ** w !== 0);
        const a = new Lfsr(w, undefined, seed);
        const b = new Lfsr(w, undefined, seed);
        expect(a.bits(100)).toBe(b.bits(100));
        expect(a.state()).toBe(b.state());
      }),
      { numRuns: 50 },
    );
    expect(new Lfsr(32, undefined, 1).bits(64)).not.toBe(new Lfsr(32, undefined, 2).bits(64));
  });

  it('rejects seed 0 (and any seed that is 0 mod 2^width), bad widths and bad taps', () => {
    const bad: [() => unknown, RegExp][] = [
      [() => new Lfsr(16, undefined, 0), /non-zero/],
      [() => new Lfsr(4, undefined, 16), /non-zero/],
      [() => new Lfsr(8, undefined, -1), /seed/],
      [() => new Lfsr(8, undefined, 1.5), /seed/],
      [() => new Lfsr(1), /width/],
      [() => new Lfsr(33), /width/],
      [() => new Lfsr(8, [7, 5]), /output stage 8/],
      [() => new Lfsr(8, [8, 9]), /tap 9/],
      [() => new Lfsr(8, [8, 0]), /tap 0/],
      [() => makeRandomSource({ kind: 'lfsr', seed: 0 }), /non-zero/],
    ];
    for (const [f, msg] of bad) {
      expect(f).toThrow(FxInputError);
      expect(f).toThrow(msg);
    }
  });

  it('state() is hex padded to the width', () => {
    expect(new Lfsr(32, undefined, 0xabc).state()).toBe('00000abc');
    expect(new Lfsr(9, undefined, 5).state()).toBe('005');
  });
});

// ------------------------------------------------------------------ bit-stream rule, both sources

const sources: [string, (seed: number) => RandomSource][] = [
  ['lfsr-32', (s) => new Lfsr(32, undefined, s)],
  ['lfsr-7', (s) => new Lfsr(7, undefined, (s % 127) + 1)],
  ['xoshiro128ss', (s) => new Xoshiro128ss(s)],
];

describe.each(sources)('%s bit stream', (_name, make) => {
  it('any split of draws gives the same stream, first bit drawn = MSB', () => {
    const arbSizes = fc.array(fc.integer({ min: 0, max: 53 }), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), arbSizes, (seed, sizes) => {
        const total = sizes.reduce((a, b) => a + b, 0);
        const one = make(seed);
        const bitByBit = Array.from({ length: total }, () => one.bitsNumber(1)).join('');
        const split = make(seed);
        const parts = sizes.map((k) => (k === 0 ? '' : split.bitsNumber(k).toString(2).padStart(k, '0'))).join('');
        expect(parts).toBe(bitByBit);
        expect(split.drawn).toBe(total);
        expect(split.state()).toBe(one.state());
      }),
      { numRuns: 60 },
    );
  });

  it('bits(k) for k > 32 is the concatenation of successive bitsNumber draws', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), fc.integer({ min: 33, max: 200 }), fc.integer({ min: 1, max: 32 }), (seed, k, chunk) => {
        const big = make(seed).bits(k);
        const small = make(seed);
        let expected = 0n;
        for (let done = 0; done < k; done += chunk) {
          const n = Math.min(chunk, k - done);
          expected = (expected << BigInt(n)) | BigInt(small.bitsNumber(n));
        }
        expect(big).toBe(expected);
        expect(big < 1n << BigInt(k)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('bits(0) and bitsNumber(0) draw nothing', () => {
    const a = make(5);
    expect(a.bits(0)).toBe(0n);
    expect(a.bitsNumber(0)).toBe(0);
    expect(a.drawn).toBe(0);
  });
});

// ------------------------------------------------------------------ xoshiro128**

/** First 16 next32() outputs; produced by test/core/fixtures/xoshiro128ss.c (see below). */
const XOSHIRO_EXPECTED: Record<number, number[]> = {
  1: [
    2442144158, 3238099751, 3819917871, 2104621829, 2021136066, 4223536128, 1515984730, 2298887649, 1445082595, 3688943618, 2160875214,
    3324748392, 2623305997, 1948320246, 1148926009, 3148779566,
  ],
  12345: [
    518667457, 440444462, 4232892992, 3757857622, 3939018813, 1334683535, 3795058715, 2092637810, 2829112157, 779180383, 1068479152,
    3202811106, 1044426279, 2898963813, 1772173500, 690092826,
  ],
};

/** A third, BigInt transcription of the published algorithm, for the first outputs even without a compiler. */
function xoshiroBig(seed: number, count: number): number[] {
  const M = 0xffffffffn;
  const mul = (a: bigint, b: bigint) => (a * b) & M;
  const rotl = (x: bigint, k: bigint) => ((x << k) | (x >> (32n - k))) & M;
  const s: bigint[] = [];
  let z = BigInt(seed);
  for (let i = 0; i < 4; i++) {
    z = (z + 0x9e3779b9n) & M;
    let x = z;
    x = mul(x ^ (x >> 16n), 0x85ebca6bn);
    x = mul(x ^ (x >> 13n), 0xc2b2ae35n);
    s.push(x ^ (x >> 16n));
  }
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    out.push(Number(mul(rotl(mul(s[1], 5n), 7n), 9n)));
    const t = (s[1] << 9n) & M;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11n);
  }
  return out;
}

const hasCC = spawnSync('cc', ['--version'], { stdio: 'ignore' }).status === 0;
let tmp: string | undefined;
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('Xoshiro128ss', () => {
  it.each(Object.keys(XOSHIRO_EXPECTED).map(Number))('seed %d: first 16 outputs match the committed numbers', (seed) => {
    const x = new Xoshiro128ss(seed);
    expect(Array.from({ length: 16 }, () => x.next32())).toEqual(XOSHIRO_EXPECTED[seed]);
  });

  it('the committed numbers agree with a BigInt transcription of the published algorithm', () => {
    for (const seed of [1, 12345]) expect(xoshiroBig(seed, 16)).toEqual(XOSHIRO_EXPECTED[seed]);
    const x = new Xoshiro128ss(0xdeadbeef);
    expect(Array.from({ length: 64 }, () => x.next32())).toEqual(xoshiroBig(0xdeadbeef, 64));
  });

  it.skipIf(!hasCC)('the C reference (compiled with cc) agrees with next32() and the committed numbers', () => {
    tmp = mkdtempSync(join(tmpdir(), 'fxsim-xoshiro-'));
    const exe = join(tmp, 'xoshiro128ss');
    const src = fileURLToPath(new URL('./fixtures/xoshiro128ss.c', import.meta.url));
    execFileSync('cc', ['-O2', '-std=c99', '-o', exe, src]);
    for (const seed of [1, 12345, 0, 4294967295, 777]) {
      const c = execFileSync(exe, [String(seed), '300'], { encoding: 'utf8' }).trim().split('\n').map(Number);
      const x = new Xoshiro128ss(seed);
      expect(Array.from({ length: 300 }, () => x.next32()), `seed ${seed}`).toEqual(c);
      if (XOSHIRO_EXPECTED[seed]) expect(c.slice(0, 16)).toEqual(XOSHIRO_EXPECTED[seed]);
    }
  });

  it('the bit stream is the 32-bit outputs, most significant bit first', () => {
    const words = new Xoshiro128ss(12345);
    const w0 = words.next32();
    const w1 = words.next32();
    const a = new Xoshiro128ss(12345);
    expect(a.bitsNumber(32)).toBe(w0);
    const b = new Xoshiro128ss(12345);
    expect(b.bitsNumber(1)).toBe(w0 >>> 31);
    expect(b.bitsNumber(53)).toBe((w0 & 0x7fffffff) * 2 ** 22 + (w1 >>> 10));
    const c = new Xoshiro128ss(12345);
    expect(c.bits(64)).toBe((BigInt(w0) << 32n) | BigInt(w1));
  });

  it('seeds: 0..2^32-1 accepted, others rejected; state() shows the words and unread bits', () => {
    expect(() => new Xoshiro128ss(0)).not.toThrow();
    expect(() => new Xoshiro128ss(0xffffffff)).not.toThrow();
    for (const s of [-1, 2 ** 32, 1.5]) {
      expect(() => new Xoshiro128ss(s)).toThrow(FxInputError);
      expect(() => new Xoshiro128ss(s)).toThrow(/seed/);
    }
    const x = new Xoshiro128ss(1);
    expect(x.state()).toMatch(/^[0-9a-f]{32}:0$/);
    x.bitsNumber(5);
    expect(x.state()).toMatch(/^[0-9a-f]{32}:27$/);
  });
});

describe('makeRandomSource', () => {
  it('builds each kind with the documented defaults', () => {
    const l = makeRandomSource({ kind: 'lfsr' });
    expect(l).toBeInstanceOf(Lfsr);
    expect(l.kind).toBe('lfsr');
    expect(l.bits(96)).toBe(new Lfsr(32, LFSR_TAPS[32], 1).bits(96));
    const l2 = makeRandomSource({ kind: 'lfsr', width: 12, taps: [12, 6, 4, 1], seed: 99 });
    expect(l2.bits(40)).toBe(new Lfsr(12, undefined, 99).bits(40));
    const x = makeRandomSource({ kind: 'xoshiro128ss' });
    expect(x.kind).toBe('xoshiro128ss');
    expect(x.bitsNumber(32)).toBe(XOSHIRO_EXPECTED[1][0]);
    expect(makeRandomSource({ kind: 'xoshiro128ss', seed: 12345 }).bitsNumber(32)).toBe(XOSHIRO_EXPECTED[12345][0]);
  });
});
