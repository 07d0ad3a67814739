import { Lfsr } from '../../core/random.ts';

/**
 * The fused kernel's LFSR jump table: the state `width` clocks after state s, as 4 x 256 words
 * to XOR, one per byte of s. The map is linear over GF(2) (shift in the XOR of tapped stages),
 * so the table is built from the states that each single set bit leads to, clocked by the
 * reference Lfsr itself.
 */
export function lfsrJumpTable(width: number, taps: readonly number[]): Uint32Array {
  const basis = Array.from({ length: 32 }, (_, i) => {
    if (i >= width) return 0;
    const l = new Lfsr(width, taps, 2 ** i);
    l.bitsNumber(width);
    return l.stateWords()[0];
  });
  const table = new Uint32Array(4 * 256);
  for (let b = 0; b < 4; b++) {
    for (let v = 1; v < 256; v++) {
      const low = v & -v; // v = low + rest: XOR in the lowest set bit's image
      table[b * 256 + v] = (table[b * 256 + (v ^ low)] ^ basis[8 * b + Math.log2(low)]) >>> 0;
    }
  }
  return table;
}
