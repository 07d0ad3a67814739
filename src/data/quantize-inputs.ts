import { inputError } from '../core/errors.ts';
import { formatName, maxRaw, minRaw, type Format } from '../core/format.ts';
import type { QuantMode } from '../core/modes.ts';
import { rawToDecimal, roundRational } from '../core/decimal.ts';
import { rawAt, ratioText } from './ratio.ts';
import type { Split } from './types.ts';

export type DeterministicMode = Exclude<QuantMode, 'STOCH'>;

const SAFE = 2 ** 53;

// the rounding decision lives in the core; re-exported for the data module's callers
export { roundRational };

/** A number's text for a message, cut to about 24 characters: a cell of 1e400 has 401 digits. */
function cap(text: string): string {
  return text.length <= 24 ? text : `${text.slice(0, 20)}… (${text.length} characters)`;
}

/**
 * The raw input values of a split in `format`: for each source value v, round(real(v) * 2^F)
 * with `rounding` (decided on exact rationals; TRN is the study's floor), then checked against
 * the format's range. A value that does not fit is an FxInputError naming where it is (the
 * CSV file:line:col and column, else the split and the sample/feature position), the value as
 * written (cut when long) and the range the format holds (nothing wraps silently). The result
 * is a Float64Array when every result lies within +-2^53, else a bigint[]; both are row-major
 * count x features.
 *
 * Byte data (MNIST) goes through an exact 256-entry lookup table; other data computes each
 * distinct value once.
 */
export function quantizeInputs(split: Split, format: Format, rounding: QuantMode): Float64Array | bigint[] {
  if (rounding === 'STOCH') {
    inputError('input quantization needs a deterministic rounding mode (STOCH is not supported for dataset inputs)', split.source);
  }
  const mode = rounding;
  const { num, den } = split.scale;
  const F = format.frac;
  const lo = minRaw(format);
  const hi = maxRaw(format);
  const q = (v: bigint) => roundRational(v * num, den, F, mode);
  const holds = `${cap(rawToDecimal(lo, F))} to ${cap(rawToDecimal(hi, F))}`;
  const fail = (i: number, v: bigint, r: bigint): never => {
    const sample = Math.floor(i / split.features);
    const feature = i % split.features;
    const cell = split.origin?.value?.(sample, feature);
    const value = cell?.text ?? ratioText({ num: v * num, den });
    const at = cell ? `column ${cell.column}` : `sample ${sample}, feature ${feature}`;
    const byte = split.raw instanceof Uint8Array ? ` (byte ${v})` : '';
    return inputError(
      `${at}: value ${cap(value)}${byte} does not fit the input format ${formatName(format)} (${holds}): ` +
        `it quantizes to raw ${cap(r.toString())}, outside [${lo}, ${hi}]`,
      cell?.where ?? split.source,
    );
  };
  const raw = split.raw;

  if (raw instanceof Uint8Array) {
    const exact: bigint[] = [];
    const lut = new Float64Array(256);
    const bad = new Uint8Array(256);
    let safe = true;
    let anyBad = false;
    for (let v = 0; v < 256; v++) {
      const r = q(BigInt(v));
      exact.push(r);
      if (r < lo || r > hi) {
        bad[v] = 1;
        anyBad = true;
      } else if (r > BigInt(SAFE) || r < -BigInt(SAFE)) safe = false;
      else lut[v] = Number(r);
    }
    const n = raw.length;
    if (!safe) {
      // some entry is beyond 2^53: a Float64Array is still exact if no such value occurs
      const present = new Uint8Array(256);
      for (let i = 0; i < n; i++) present[raw[i]] = 1;
      safe = exact.every((r, v) => !present[v] || bad[v] || (r <= BigInt(SAFE) && r >= -BigInt(SAFE)));
    }
    if (safe) {
      const out = new Float64Array(n);
      if (!anyBad) {
        for (let i = 0; i < n; i++) out[i] = lut[raw[i]];
        return out;
      }
      for (let i = 0; i < n; i++) {
        const v = raw[i];
        if (bad[v]) fail(i, BigInt(v), exact[v]);
        out[i] = lut[v];
      }
      return out;
    }
    const out = new Array<bigint>(n);
    for (let i = 0; i < n; i++) {
      const v = raw[i];
      if (bad[v]) fail(i, BigInt(v), exact[v]);
      out[i] = exact[v];
    }
    return out;
  }

  // decimal numerators: each distinct value once
  const cache = new Map<number | bigint, bigint>();
  let safe = true;
  for (let i = 0; i < raw.length; i++) {
    const key = raw[i];
    let r = cache.get(key);
    if (r === undefined) {
      const v = rawAt(raw, i);
      r = q(v);
      if (r < lo || r > hi) fail(i, v, r);
      if (r > BigInt(SAFE) || r < -BigInt(SAFE)) safe = false;
      cache.set(key, r);
    }
  }
  if (safe) {
    const out = new Float64Array(raw.length);
    for (let i = 0; i < raw.length; i++) out[i] = Number(cache.get(raw[i])!);
    return out;
  }
  return Array.from({ length: raw.length }, (_, i) => cache.get(raw[i])!);
}
