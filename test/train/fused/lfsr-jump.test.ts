import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Lfsr, LFSR_TAPS } from '../../../src/core/random.ts';
import { lfsrJumpTable } from '../../../src/train/fused/lfsr-jump.ts';

/** The table's image of s: the XOR of one word per byte, as the kernel reads it. */
function jump(table: Uint32Array, s: number): number {
  return (table[s & 255] ^ table[256 + ((s >>> 8) & 255)] ^ table[512 + ((s >>> 16) & 255)] ^ table[768 + (s >>> 24)]) >>> 0;
}

describe('lfsrJumpTable', () => {
  it('is the state `width` clocks later, for any width, taps and state', () => {
    const arb = fc.integer({ min: 2, max: 32 }).chain((w) => fc.record({
      w: fc.constant(w),
      taps: fc.oneof(fc.constant(LFSR_TAPS[w]), fc.uniqueArray(fc.integer({ min: 1, max: w - 1 }), { maxLength: 5 }).map((t) => [w, ...t])),
      s: fc.integer({ min: 1, max: 2 ** w - 1 }),
      blocks: fc.integer({ min: 1, max: 4 }),
    }));
    fc.assert(
      fc.property(arb, ({ w, taps, s, blocks }) => {
        const table = lfsrJumpTable(w, taps);
        const serial = new Lfsr(w, taps, s);
        let st = s;
        for (let b = 0; b < blocks; b++) {
          // a block is the state, emitted MSB first; then the state jumps
          expect(serial.bitsNumber(w)).toBe(st);
          st = jump(table, st);
          expect(serial.stateWords()[0]).toBe(st);
        }
      }),
      { numRuns: 400 },
    );
  });
});
