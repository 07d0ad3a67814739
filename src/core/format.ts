import { inputError } from './errors.ts';

/**
 * A fixed-point format `(signed, W, F)`: a raw two's-complement (or unsigned) integer r of W bits
 * whose real value is r * 2^-F. F may be negative or larger than W, as in SystemC.
 */
export interface Format {
  readonly signed: boolean;
  readonly width: number;
  readonly frac: number;
}

/** Widths past this are legal but slow; the contract requires at least 128. */
export const MAX_WIDTH = 4096;
/**
 * Bound on fraction bits and on every shift amount (|frac|, |by|, |lr_shift|): far past any
 * register, and small enough that a shift's BigInt stays cheap (2^1e9 would not).
 */
export const MAX_SHIFT = 4 * MAX_WIDTH;

export function makeFormat(signed: boolean, width: number, frac: number): Format {
  if (!Number.isInteger(width) || width < 1) inputError(`format width must be an integer >= 1, got ${width}`);
  if (width > MAX_WIDTH) inputError(`format width ${width} exceeds the supported maximum ${MAX_WIDTH}`);
  if (!Number.isInteger(frac)) inputError(`format frac must be an integer, got ${frac}`);
  if (Math.abs(frac) > MAX_SHIFT) inputError(`format frac ${frac} is outside the supported -${MAX_SHIFT}..${MAX_SHIFT}`);
  return Object.freeze({ signed, width, frac });
}

export const minRaw = (f: Format): bigint => (f.signed ? -(1n << BigInt(f.width - 1)) : 0n);
export const maxRaw = (f: Format): bigint => (f.signed ? (1n << BigInt(f.width - 1)) - 1n : (1n << BigInt(f.width)) - 1n);
/** Integer bits including the sign bit: the `I` of `fixed<W,I>`. */
export const intBits = (f: Format): number => f.width - f.frac;

export function sameFormat(a: Format, b: Format): boolean {
  return a.signed === b.signed && a.width === b.width && a.frac === b.frac;
}

/** `fixed<16,6>` / `ufixed<8,8>`: the SystemC spelling, which every user reads. */
export function formatName(f: Format): string {
  return `${f.signed ? '' : 'u'}fixed<${f.width},${intBits(f)}>`;
}

/** Largest magnitude a raw value of this format can have, as a bigint. */
export function maxMagnitude(f: Format): bigint {
  const lo = minRaw(f);
  const hi = maxRaw(f);
  return -lo > hi ? -lo : hi;
}

/** Interpret a W-bit pattern (0 <= bits < 2^W) as a raw value: sign extension. */
export function fromBits(bits: bigint, f: Format): bigint {
  const w = BigInt(f.width);
  const masked = bits & ((1n << w) - 1n);
  return f.signed && masked >> (w - 1n) ? masked - (1n << w) : masked;
}

/** The W-bit two's-complement pattern of an in-range raw value. */
export function toBits(raw: bigint, f: Format): bigint {
  return raw & ((1n << BigInt(f.width)) - 1n);
}

export function inRange(raw: bigint, f: Format): boolean {
  return raw >= minRaw(f) && raw <= maxRaw(f);
}
