import { Lfsr, xoshiro128Advance } from '../../core/random.ts';

/**
 * Tables that let the fused kernel move a STOCH bit stream forward without generating it. Both
 * sources are read in blocks (an LFSR's `width`-bit state, xoshiro128**'s 32-bit outputs) and
 * their state transitions are linear over GF(2), so k blocks later the state is T^k s: the XOR
 * of T^k's images of s's set bits. A STOCH update draws for every weight, but most draws are for
 * zero products, so the kernel jumps over them by the powers T^(2^p) instead of stepping.
 *
 * A map is held as the images of the state's basis bits: image b at [b * words, (b + 1) * words).
 */
export interface BlockSource {
  /** 32-bit words of state: 1 (LFSR) or 4 (xoshiro128**). */
  readonly words: 1 | 4;
  /** Bits of state (an LFSR's width); the rest are always zero. */
  readonly bits: number;
  /** The state one block later, in place. */
  advance(s: Uint32Array): void;
  /** Cache key. */
  readonly key: string;
}

export function lfsrSource(width: number, taps: readonly number[]): BlockSource {
  return {
    words: 1, bits: width, key: `lfsr ${width} ${taps.join(',')}`,
    // the reference LFSR, clocked through one block (the map is only ever taken of non-zero states)
    advance: (s) => { const l = new Lfsr(width, taps, s[0]); l.bitsNumber(width); s[0] = l.stateWords()[0]; },
  };
}

export const xoshiroSource: BlockSource = { words: 4, bits: 128, key: 'xoshiro128', advance: xoshiro128Advance };

/** Blocks below 2^JUMP_MIN_POWER are stepped: a jump costs about as much as 32 blocks. */
export const JUMP_MIN_POWER = 5;

/** T's basis images. */
function stepMap(src: BlockSource): Uint32Array {
  const { words } = src;
  const map = new Uint32Array(32 * words * words);
  const s = new Uint32Array(words);
  for (let b = 0; b < src.bits; b++) {
    s.fill(0);
    s[b >>> 5] = (1 << (b & 31)) >>> 0;
    src.advance(s);
    map.set(s, b * words);
  }
  return map;
}

/** out = map(v). */
function apply(map: Uint32Array, words: number, v: Uint32Array, out: Uint32Array): void {
  out.fill(0);
  for (let b = 0; b < 32 * words; b++) {
    if ((v[b >>> 5] >>> (b & 31)) & 1) for (let w = 0; w < words; w++) out[w] ^= map[b * words + w];
  }
}

/** map ∘ map. */
function square(map: Uint32Array, words: number): Uint32Array {
  const out = new Uint32Array(map.length);
  const v = new Uint32Array(words);
  const img = new Uint32Array(words);
  for (let b = 0; b < 32 * words; b++) {
    v.set(map.subarray(b * words, (b + 1) * words));
    apply(map, words, v, img);
    out.set(img, b * words);
  }
  return out;
}

/**
 * The kernel's table of one map, by nibbles of the state: entry (q, v), 4 words (16 bytes) at
 * word (q * 16 + v) * 4, is the image of nibble q holding v.
 */
function nibbleTable(map: Uint32Array, words: number): Uint32Array {
  const t = new Uint32Array(8 * words * 16 * 4);
  for (let q = 0; q < 8 * words; q++) {
    for (let v = 1; v < 16; v++) {
      const low = v & -v; // v = low + rest: XOR in the lowest set bit's image
      const b = 4 * q + Math.log2(low);
      for (let w = 0; w < words; w++) t[(q * 16 + v) * 4 + w] = (t[(q * 16 + (v ^ low)) * 4 + w] ^ map[b * words + w]) >>> 0;
    }
  }
  return t;
}

/** Bytes of one power's table in kernel memory. */
export const jumpPowerBytes = (src: BlockSource): number => 8 * src.words * 16 * 16;

const cache = new Map<string, Uint32Array>();

/**
 * The nibble tables of T^(2^p) for p = JUMP_MIN_POWER .. JUMP_MIN_POWER + powers - 1, one after
 * the other (jumpPowerBytes each). Cached: the maps depend on the source's kind, not its seed.
 */
export function jumpTables(src: BlockSource, powers: number): Uint32Array {
  const key = `${src.key} ${powers}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const per = jumpPowerBytes(src) / 4;
  const out = new Uint32Array(per * powers);
  let map = stepMap(src);
  for (let p = 0; p < JUMP_MIN_POWER + powers; p++) {
    if (p > 0) map = square(map, src.words); // T^(2^p)
    if (p >= JUMP_MIN_POWER) out.set(nibbleTable(map, src.words), (p - JUMP_MIN_POWER) * per);
  }
  if (cache.size > 16) cache.clear();
  cache.set(key, out);
  return out;
}

/** Powers a skip of up to maxBits bits in blocks of blockBits needs. */
export function jumpPowersFor(maxBits: number, blockBits: number): number {
  const blocks = Math.ceil(maxBits / blockBits) + 1;
  return Math.max(0, Math.ceil(Math.log2(blocks + 1)) - JUMP_MIN_POWER);
}

/**
 * The LFSR's one-block table for the kernel's hot path: T(s) as 4 x 256 words to XOR, one per
 * byte of s (four loads instead of the eight nibble loads of a jump table).
 */
export function lfsrBlockTable(width: number, taps: readonly number[]): Uint32Array {
  const map = stepMap(lfsrSource(width, taps));
  const table = new Uint32Array(4 * 256);
  for (let b = 0; b < 4; b++) {
    for (let v = 1; v < 256; v++) {
      const low = v & -v;
      table[b * 256 + v] = (table[b * 256 + (v ^ low)] ^ map[8 * b + Math.log2(low)]) >>> 0;
    }
  }
  return table;
}
