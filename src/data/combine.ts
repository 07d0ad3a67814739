import { inputError } from '../core/errors.ts';
import type { Dataset, Split } from './types.ts';
import { valueRange } from './value-range.ts';

/**
 * A dataset from a loaded train part and an optional loaded test part (each a train-only
 * Dataset from a loader): same feature count required, classes the larger of the two.
 */
export function combineTrainTest(name: string, train: Dataset, test?: Dataset, labelNames?: readonly string[]): Dataset {
  if (test && test.features !== train.features) {
    const shape = (d: Dataset) => (d.shape ? `${d.shape.join('×')} (${d.features} features)` : `${d.features} features`);
    inputError(`test data has ${shape(test)} but the train data has ${shape(train)}`, test.train.source);
  }
  const names = labelNames ?? test?.labelNames ?? train.labelNames;
  return {
    name,
    features: train.features,
    classes: Math.max(train.classes, test?.classes ?? 0, names?.length ?? 0),
    train: train.train,
    ...(test ? { test: test.train } : {}),
    valueRange: valueRange([train.train, test?.train]),
    ...(names ? { labelNames: names } : {}),
    ...(train.shape ? { shape: train.shape } : {}),
  };
}

/** The rows of `split` at `indices` (in that order), as a new split named `source`. */
export function selectRows(split: Split, indices: ArrayLike<number>, source: string): Split {
  const f = split.features;
  const n = indices.length;
  const labels = split.labels instanceof Uint8Array ? new Uint8Array(n) : new Int32Array(n);
  const src = split.raw;
  let raw: Uint8Array | Float64Array | bigint[];
  if (src instanceof Uint8Array || src instanceof Float64Array) {
    const out = src instanceof Uint8Array ? new Uint8Array(n * f) : new Float64Array(n * f);
    for (let k = 0; k < n; k++) {
      const i = indices[k];
      out.set(src.subarray(i * f, (i + 1) * f), k * f);
    }
    raw = out;
  } else {
    raw = [];
    for (let k = 0; k < n; k++) {
      const i = indices[k];
      for (let j = 0; j < f; j++) raw.push(src[i * f + j]);
    }
  }
  for (let k = 0; k < n; k++) labels[k] = split.labels[indices[k]];
  const from = split.origin;
  const origin = from && {
    ...(from.value ? { value: (k: number, j: number) => from.value!(indices[k], j) } : {}),
    label: (k: number) => from.label(indices[k]),
  };
  return { source, count: n, features: f, labels, raw, scale: split.scale, ...(origin ? { origin } : {}) };
}
