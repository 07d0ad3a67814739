import type { RawVec } from '../units/vec.ts';

/** Training or test samples already quantized to the input format, one at a time. */
export interface SampleSource {
  readonly count: number;
  readonly features: number;
  readonly classes: number;
  label(i: number): number;
  /** Raw input vector of sample i (may reuse an internal buffer: copy it to keep it). */
  input(i: number): RawVec;
}

/** Samples from a row-major matrix of raw values. */
export function matrixSamples(values: Float64Array | bigint[], labels: ArrayLike<number>, features: number, classes: number): SampleSource {
  const count = labels.length;
  return {
    count,
    features,
    classes,
    label: (i) => labels[i],
    input: (i) => values.slice(i * features, (i + 1) * features) as RawVec,
  };
}

/**
 * Samples stored as small source codes (MNIST pixels 0..255) with a lookup table from code to
 * raw value: 1 byte per feature instead of 8, and the table is exact by construction.
 */
export function lutSamples(codes: Uint8Array, lut: Float64Array, labels: ArrayLike<number>, features: number, classes: number): SampleSource {
  const buf = new Float64Array(features);
  return {
    count: labels.length,
    features,
    classes,
    label: (i) => labels[i],
    input: (i) => {
      const base = i * features;
      for (let f = 0; f < features; f++) buf[f] = lut[codes[base + f]];
      return buf;
    },
  };
}
