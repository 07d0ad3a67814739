import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Lfsr, LFSR_TAPS, Xoshiro128ss } from '../../../src/core/random.ts';
import { JUMP_MIN_POWER, jumpPowersFor, jumpTables, lfsrBlockTable, lfsrSource, xoshiroSource, type BlockSource } from '../../../src/train/fused/rng-jump.ts';

/** The table's image of s: the XOR of one word per byte, as the kernel reads it. */
function blockStep(table: Uint32Array, s: number): number {
  return (table[s & 255] ^ table[256 + ((s >>> 8) & 255)] ^ table[512 + ((s >>> 16) & 255)] ^ table[768 + (s >>> 24)]) >>> 0;
}

/** One power's nibble table applied to a state, as the kernel's $jumpPow reads it. */
function jumpPow(tables: Uint32Array, power: number, words: number, s: Uint32Array): void {
  const per = 8 * words * 16 * 4;
  const acc = new Uint32Array(4);
  for (let q = 0; q < 8 * words; q++) {
    const v = (s[q >>> 3] >>> ((q & 7) * 4)) & 15;
    for (let w = 0; w < 4; w++) acc[w] ^= tables[power * per + (q * 16 + v) * 4 + w];
  }
  s.set(acc.subarray(0, words));
}

const arbLfsr = fc.integer({ min: 2, max: 32 }).chain((w) => fc.record({
  w: fc.constant(w),
  taps: fc.oneof(fc.constant(LFSR_TAPS[w]), fc.uniqueArray(fc.integer({ min: 1, max: w - 1 }), { maxLength: 5 }).map((t) => [w, ...t])),
  s: fc.integer({ min: 1, max: 2 ** w - 1 }),
}));

describe('lfsrBlockTable', () => {
  it('is the state `width` clocks later, for any width, taps and state', () => {
    fc.assert(
      fc.property(arbLfsr, fc.integer({ min: 1, max: 4 }), ({ w, taps, s }, blocks) => {
        const table = lfsrBlockTable(w, taps);
        const serial = new Lfsr(w, taps, s);
        let st = s;
        for (let b = 0; b < blocks; b++) {
          // a block is the state, emitted MSB first; then the state moves on
          expect(serial.bitsNumber(w)).toBe(st);
          st = blockStep(table, st);
          expect(serial.stateWords()[0]).toBe(st);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('jumpTables', () => {
  /** The state after stepping `blocks` blocks, and after jumping them by the tables. */
  function both(src: BlockSource, start: Uint32Array, blocks: number, powers: number): [Uint32Array, Uint32Array] {
    const stepped = Uint32Array.from(start);
    for (let b = 0; b < blocks; b++) src.advance(stepped);
    const jumped = Uint32Array.from(start);
    const tables = jumpTables(src, powers);
    for (let b = 0; b < blocks % 2 ** JUMP_MIN_POWER; b++) src.advance(jumped);
    for (let p = 0; p < powers; p++) if ((blocks >>> (p + JUMP_MIN_POWER)) & 1) jumpPow(tables, p, src.words, jumped);
    return [stepped, jumped];
  }

  it('an LFSR: jumping m blocks lands where stepping does', () => {
    fc.assert(
      fc.property(arbLfsr, fc.integer({ min: 0, max: 3000 }), ({ w, taps, s }, m) => {
        const [stepped, jumped] = both(lfsrSource(w, taps), Uint32Array.of(s), m, 7);
        expect(jumped).toEqual(stepped);
      }),
      { numRuns: 150 },
    );
  });

  it('xoshiro128**: jumping m outputs lands where drawing them does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 3000 }), (seed, m) => {
        const start = Uint32Array.from(new Xoshiro128ss(seed).stateWords().slice(0, 4));
        const [stepped, jumped] = both(xoshiroSource, start, m, 7);
        expect(jumped).toEqual(stepped);
        // and stepping is the reference's own stream: m outputs drawn, then the next one agrees
        const ref = new Xoshiro128ss(seed);
        for (let b = 0; b < m; b++) ref.next32();
        expect(Uint32Array.from(ref.stateWords().slice(0, 4))).toEqual(stepped);
      }),
      { numRuns: 60 },
    );
  });

  it('jumpPowersFor covers the longest skip', () => {
    for (const [bits, block] of [[1, 32], [7840 * 30, 32], [7840 * 63, 2], [2 ** 31 - 1, 32]]) {
      const powers = jumpPowersFor(bits, block);
      expect(Math.ceil(bits / block)).toBeLessThan(2 ** (powers + JUMP_MIN_POWER));
    }
  });
});
