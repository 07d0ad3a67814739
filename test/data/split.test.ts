import { describe, expect, it } from 'vitest';
import { FxInputError } from '../../src/core/errors.ts';
import { loadIris } from '../../src/data/iris.ts';
import { splitTrainTest } from '../../src/data/split.ts';
import type { Split } from '../../src/data/types.ts';

const iris = loadIris();
const rows = (s: Split) => Array.from({ length: s.count }, (_, i) => Array.from(s.raw.slice(i * 4, i * 4 + 4) as Float64Array).join(',') + `:${s.labels[i]}`);

describe('splitTrainTest', () => {
  it('plain: deterministic, disjoint, complete, sized round(n f)', () => {
    const a = splitTrainTest(iris, { testFraction: 0.2, seed: 7 });
    const b = splitTrainTest(iris, { testFraction: 0.2, seed: 7 });
    expect(a.test!.count).toBe(30);
    expect(a.train.count).toBe(120);
    expect(rows(a.test!)).toEqual(rows(b.test!));
    expect(rows(a.train)).toEqual(rows(b.train));
    // disjoint and complete as multisets of rows (iris has duplicate rows, so compare counts)
    expect([...rows(a.train), ...rows(a.test!)].sort()).toEqual(rows(iris.train).sort());
    const c = splitTrainTest(iris, { testFraction: 0.2, seed: 8 });
    expect(rows(c.test!)).not.toEqual(rows(a.test!));
    expect(a.train.source).toBe('iris (train split)');
    expect(a.test!.source).toBe('iris (test split)');
  });

  it('disjoint by index: tag every row with its index', () => {
    const tagged: Split = { ...iris.train, features: 1, raw: Float64Array.from({ length: 150 }, (_, i) => i) };
    const ds = { ...iris, features: 1, train: tagged };
    const s = splitTrainTest(ds, { testFraction: 1 / 3, seed: 123 });
    const tr = Array.from(s.train.raw as Float64Array);
    const te = Array.from(s.test!.raw as Float64Array);
    expect(te.length).toBe(50);
    expect(new Set([...tr, ...te]).size).toBe(150);
    expect(tr).toEqual([...tr].sort((x, y) => x - y)); // source order kept
    te.forEach((i, k) => expect(s.test!.labels[k]).toBe(iris.train.labels[i]));
  });

  it('stratified keeps class proportions', () => {
    const s = splitTrainTest(iris, { testFraction: 0.2, seed: 1, stratify: true });
    const counts = [0, 0, 0];
    for (const l of s.test!.labels) counts[l]++;
    expect(counts).toEqual([10, 10, 10]);
    expect(s.train.count).toBe(120);
    expect(rows(splitTrainTest(iris, { testFraction: 0.2, seed: 1, stratify: true }).test!)).toEqual(rows(s.test!));
  });

  it('errors', () => {
    expect(() => splitTrainTest(iris, { testFraction: 1 })).toThrow('iris: test_fraction must be strictly between 0 and 1, got 1');
    expect(() => splitTrainTest(iris, { testFraction: 0.001 })).toThrow('iris: test_fraction 0.001 of 150 samples leaves no test samples');
    expect(() => splitTrainTest(iris, { testFraction: 0.999 })).toThrow('iris: test_fraction 0.999 of 150 samples leaves no training samples');
    // with the config key: the key, and the data by name
    expect(() => splitTrainTest(iris, { testFraction: 0.001, key: 'dataset.test_fraction' })).toThrow(
      /^dataset\.test_fraction: 0\.001 of the 150 samples of iris leaves no test samples$/,
    );
    const twice = splitTrainTest(iris, { testFraction: 0.5 });
    expect(() => splitTrainTest(twice, { testFraction: 0.5 })).toThrow(FxInputError);
  });
});
