import { inputError } from '../core/errors.ts';
import { observedBits } from '../core/exact.ts';
import type { Format } from '../core/format.ts';
import type { QuantMode } from '../core/modes.ts';
import { quantizeInputs } from '../data/quantize-inputs.ts';
import type { Dataset, Split } from '../data/types.ts';
import type { Nonzeros } from '../units/mac.ts';
import type { RawVec } from '../units/vec.ts';

/** Training or test samples already quantized to the input format, one at a time. */
export interface SampleSource {
  readonly count: number;
  readonly features: number;
  readonly classes: number;
  /** A bound |x| <= 2^bits over every sample (Infinity when values may exceed 2^53). */
  readonly bits: number;
  label(i: number): number;
  /** Raw input vector of sample i (may reuse an internal buffer: copy it to keep it). */
  input(i: number): RawVec;
  /** Non-zero positions of sample i, when precomputed. */
  nonzeros?(i: number): Nonzeros;
  /** Every sample's non-zero inputs at once (built on first call), for the fused kernel. */
  csr?(): SampleCsr;
}

/**
 * Sample i's non-zero inputs are positions[k] with raw value table[codes[k]], for k in
 * offsets[i] .. offsets[i + 1], positions ascending (the fused kernel's STOCH update walks them
 * in the reference's draw order): byte data keeps its codes and a 256-entry table; other data
 * indexes its flat value array.
 */
export interface SampleCsr {
  offsets: Int32Array;
  positions: Int32Array;
  codes: Uint8Array | Int32Array;
  table: Float64Array | bigint[];
}

/**
 * Samples stored as byte codes (MNIST pixels) with an exact table from code to raw value: one
 * byte per feature instead of eight, and the non-zero positions of every sample computed once.
 */
function byteSamples(split: Split, lut: Float64Array, classes: number): SampleSource {
  const codes = split.raw as Uint8Array;
  const { count, features, labels } = split;
  // CSR layout of the non-zero positions: one pass to count, one to fill
  const nonzeroCode = new Uint8Array(256);
  for (let c = 0; c < 256; c++) nonzeroCode[c] = lut[c] !== 0 ? 1 : 0;
  const offsets = new Int32Array(count + 1);
  let total = 0;
  for (let i = 0, b = 0; i < count; i++) {
    for (const end = b + features; b < end; b++) total += nonzeroCode[codes[b]];
    offsets[i + 1] = total;
  }
  const positions = new Int32Array(total);
  const values = new Float64Array(total);
  const nzCodes = new Uint8Array(total);
  for (let i = 0, k = 0, b = 0; i < count; i++) {
    for (let f = 0; f < features; f++, b++) {
      if (nonzeroCode[codes[b]]) {
        positions[k] = f;
        nzCodes[k] = codes[b];
        values[k++] = lut[codes[b]];
      }
    }
  }
  const csr: SampleCsr = { offsets, positions, codes: nzCodes, table: lut };
  // the dense buffer holds one sample at a time; refresh only the positions that change
  let current = -1;
  const buf = new Float64Array(features);
  return {
    count, features, classes,
    bits: observedBits(lut),
    label: (i) => labels[i],
    input: (i) => {
      if (i === current) return buf;
      // positions outside the CSR hold codes whose raw value is exactly 0
      for (let k = offsets[current]; current >= 0 && k < offsets[current + 1]; k++) buf[positions[k]] = 0;
      for (let k = offsets[i]; k < offsets[i + 1]; k++) buf[positions[k]] = values[k];
      current = i;
      return buf;
    },
    nonzeros: (i) => ({ idx: positions.subarray(offsets[i], offsets[i + 1]), count: offsets[i + 1] - offsets[i], values: values.subarray(offsets[i], offsets[i + 1]) }),
    csr: () => csr,
  };
}

/**
 * Samples from raw values already in the input format (row-major count x features), e.g. for
 * library use and tests: numbers must be exact integers.
 */
export function rawSamples(values: Float64Array | bigint[], labels: Uint8Array, features: number, classes: number): SampleSource {
  // matrixSamples reads only count, features and labels of the split
  return matrixSamples(values, { source: 'raw samples', count: labels.length, features, labels, raw: new Uint8Array(0), scale: { num: 1n, den: 1n } } as Split, classes);
}

function matrixSamples(values: Float64Array | bigint[], split: Split, classes: number): SampleSource {
  const { count, features, labels } = split;
  let csr: SampleCsr | undefined;
  return {
    csr: () => (csr ??= matrixCsr(values, count, features)),
    count, features, classes,
    bits: values instanceof Float64Array ? observedBits(values) : Infinity,
    label: (i) => labels[i],
    input: (i) => values.slice(i * features, (i + 1) * features) as RawVec,
  };
}

/** Quantize a dataset into the input format (exactly, with the configured rounding) as sample sources. */
export function sampleSources(ds: Dataset, input: Format, rounding: QuantMode, expectFeatures: number): { train: SampleSource; test?: SampleSource } {
  if (ds.features !== expectFeatures) inputError(`${ds.name}: samples have ${ds.features} features but the model takes ${expectFeatures} inputs (model.inputs)`);
  if (rounding === 'STOCH') inputError(`${ds.name}: input.rounding must be deterministic (STOCH is not supported for dataset inputs)`);
  const one = (split: Split): SampleSource => {
    if (split.raw instanceof Uint8Array) {
      // each byte value that occurs, quantized once (exactly), then lookups; a value that does not
      // fit the input format is reported where it first occurs, by quantizing the split itself
      const present = presentCodes(split.raw);
      let q: ReturnType<typeof quantizeInputs>;
      try {
        q = quantizeInputs({ ...split, raw: present, count: 1, features: present.length, labels: new Uint8Array(1), origin: undefined }, input, rounding);
      } catch (e) {
        quantizeInputs(split, input, rounding);
        throw e;
      }
      if (q instanceof Float64Array) {
        const lut = new Float64Array(256); // codes that never occur are never looked up
        present.forEach((c, i) => { lut[c] = q[i]; });
        return byteSamples(split, lut, ds.classes);
      }
    }
    return matrixSamples(quantizeInputs(split, input, rounding), split, ds.classes);
  };
  return { train: one(ds.train), test: ds.test && one(ds.test) };
}

function presentCodes(raw: Uint8Array): Uint8Array {
  const seen = new Uint8Array(256);
  for (let i = 0; i < raw.length; i++) seen[raw[i]] = 1;
  const out: number[] = [];
  for (let c = 0; c < 256; c++) if (seen[c]) out.push(c);
  return Uint8Array.from(out);
}

function matrixCsr(values: Float64Array | bigint[], count: number, features: number): SampleCsr {
  const offsets = new Int32Array(count + 1);
  const positions: number[] = [];
  const codes: number[] = [];
  for (let i = 0, k = 0; i < count; i++) {
    for (let f = 0; f < features; f++, k++) {
      const v = values[k];
      if (v !== 0 && v !== 0n) {
        positions.push(f);
        codes.push(k);
      }
    }
    offsets[i + 1] = positions.length;
  }
  return { offsets, positions: Int32Array.from(positions), codes: Int32Array.from(codes), table: values };
}
