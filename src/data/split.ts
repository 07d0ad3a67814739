import { inputError } from '../core/errors.ts';
import { Xoshiro128ss } from '../core/random.ts';
import { selectRows } from './combine.ts';
import { fisherYates, shuffledOrder } from './shuffle.ts';
import type { Dataset } from './types.ts';
import { valueRange } from './value-range.ts';

export interface SplitOptions {
  /** Fraction of samples held out for test, 0 < f < 1. */
  testFraction: number;
  /** PRNG seed, integer 0..2^32-1 (default 0). */
  seed?: number;
  /** Split each class separately so both parts keep the class proportions (default false). */
  stratify?: boolean;
  /** The config key of the fraction (dataset.test_fraction), for messages; default: they name the dataset. */
  key?: string;
}

export const DEFAULT_SPLIT_SEED = 0;

/**
 * Hold out a seeded, reproducible test split from a dataset that has none.
 * - plain: order = shuffledOrder(count, seed); the first round(count * f) indices of the order
 *   are the test set, the rest the train set;
 * - stratified: one Xoshiro128ss(seed) stream; for class c = 0, 1, ...: the indices of class c
 *   (ascending) are shuffled by fisherYates and the first round(n_c * f) go to test.
 * Both parts then list their samples in ascending source order (the training order is a
 * separate shuffledOrder). round is Math.round on the double count * f. Each part must be
 * non-empty.
 */
export function splitTrainTest(ds: Dataset, options: SplitOptions): Dataset {
  const { testFraction: f, seed = DEFAULT_SPLIT_SEED, stratify = false, key } = options;
  const src = ds.train;
  if (ds.test) inputError('already has a test split; test_fraction applies only to datasets without one', ds.name);
  if (!(f > 0 && f < 1)) inputError(`test_fraction must be strictly between 0 and 1, got ${f}`, ds.name);
  const n = src.count;
  const isTest = new Uint8Array(n);
  if (stratify) {
    const rng = new Xoshiro128ss(seed);
    const byClass: number[][] = Array.from({ length: ds.classes }, () => []);
    for (let i = 0; i < n; i++) byClass[src.labels[i]].push(i);
    for (const idx of byClass) {
      fisherYates(idx, rng);
      const k = Math.round(idx.length * f);
      for (let t = 0; t < k; t++) isTest[idx[t]] = 1;
    }
  } else {
    const order = shuffledOrder(n, seed);
    const k = Math.round(n * f);
    for (let t = 0; t < k; t++) isTest[order[t]] = 1;
  }
  const testIdx: number[] = [];
  const trainIdx: number[] = [];
  for (let i = 0; i < n; i++) (isTest[i] ? testIdx : trainIdx).push(i);
  if (testIdx.length === 0 || trainIdx.length === 0) {
    const none = testIdx.length ? 'no training' : 'no test';
    if (key) inputError(`${f} of the ${n} samples of ${ds.name} leaves ${none} samples`, key);
    inputError(`test_fraction ${f} of ${n} samples leaves ${none} samples`, ds.name);
  }
  const train = selectRows(src, trainIdx, `${src.source} (train split)`);
  const test = selectRows(src, testIdx, `${src.source} (test split)`);
  return { ...ds, train, test, valueRange: valueRange([train, test]) };
}
