import { gzipSync } from 'node:zlib';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FxInputError } from '../../src/core/errors.ts';
import { loadDataset } from '../../src/data/load.ts';
import { datasetSpecSchema, type DatasetSpec } from '../../src/data/spec.ts';
import { makeFormat } from '../../src/core/format.ts';
import { sampleSources } from '../../src/train/data.ts';
import { inputErrorOf } from '../helpers/input-error.ts';
import { idxPair, tempDir, write } from './fixtures.ts';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const a = idxPair(6, 2, 2, 3);
const b = idxPair(4, 2, 2, 4);
write(dir, 'tr-img', a.images);
write(dir, 'tr-lab.gz', gzipSync(a.labels));
write(dir, 'te-img', b.images);
write(dir, 'te-lab', b.labels);
write(dir, 'train.csv', 'f1,f2,cls\n1.5,2,cat\n3,4.25,dog\n5,6,cat\n7,8,dog\n');
write(dir, 'test.csv', 'f1,f2,cls\n1,2,dog\n3,4,bird\n');
write(dir, 'int.csv', 'f1,f2,cls\n1,2,0\n3,4,1\n');

describe('datasetSpecSchema', () => {
  it('accepts each kind and rejects unknown keys and names', () => {
    expect(datasetSpecSchema.safeParse({ name: 'mnist', subset: 'all' }).success).toBe(true);
    expect(datasetSpecSchema.safeParse({ name: 'iris', test_fraction: 0.2, split_seed: 3, stratify: true }).success).toBe(true);
    expect(datasetSpecSchema.safeParse({ name: 'csv', path: 'x.csv', label_column: -1 }).success).toBe(true);
    expect(datasetSpecSchema.safeParse({ name: 'iris', extra: 1 }).success).toBe(false);
    expect(datasetSpecSchema.safeParse({ name: 'cifar' }).success).toBe(false);
    expect(datasetSpecSchema.safeParse({ name: 'iris', test_fraction: 1 }).success).toBe(false);
    const r = datasetSpecSchema.safeParse({ name: 'idx', images: 'a', labels: 'b', test_images: 'c' });
    const json = JSON.stringify(z.toJSONSchema(datasetSpecSchema));
    expect(json).toContain('"test_fraction"');
    expect(r.error?.issues[0]).toMatchObject({ path: ['test_labels'], message: 'test_images and test_labels go together: give both or neither' });
  });
});

describe('loadDataset', () => {
  it('iris with a seeded split', () => {
    const ds = loadDataset({ name: 'iris', test_fraction: 0.2, split_seed: 5 }, dir);
    expect([ds.train.count, ds.test!.count]).toEqual([120, 30]);
    const again = loadDataset({ name: 'iris', test_fraction: 0.2, split_seed: 5 }, dir);
    expect(Array.from(again.test!.raw as Float64Array)).toEqual(Array.from(ds.test!.raw as Float64Array));
    expect(loadDataset({ name: 'iris' }, dir).test).toBeUndefined();
  });

  it('idx train/test, paths relative to baseDir, classes from both', () => {
    const ds = loadDataset({ name: 'idx', images: 'tr-img', labels: 'tr-lab.gz', test_images: 'te-img', test_labels: 'te-lab' }, dir);
    expect(ds).toMatchObject({ name: `${dir}/tr-img`, features: 4, classes: 4, shape: [2, 2] });
    expect([ds.train.count, ds.test!.count]).toEqual([6, 4]);
    expect(ds.train.source).toBe(`${dir}/tr-img`);
    const shaped = write(dir, 'te-3x3', idxPair(4, 3, 3, 2).images);
    expect(() => loadDataset({ name: 'idx', images: 'tr-img', labels: 'tr-lab.gz', test_images: 'te-3x3', test_labels: 'te-lab' }, dir)).toThrow(
      `${shaped}: test data has 3×3 (9 features) but the train data has 2×2 (4 features)`,
    );
  });

  it('csv train/test share the label mapping', () => {
    const ds = loadDataset({ name: 'csv', path: 'train.csv', label_column: 'cls', test_path: 'test.csv' }, dir);
    expect(ds.labelNames).toEqual(['cat', 'dog', 'bird']);
    expect(ds.classes).toBe(3);
    expect(Array.from(ds.train.labels)).toEqual([0, 1, 0, 1]);
    expect(Array.from(ds.test!.labels)).toEqual([1, 2]);
    expect(ds.valueRange).toEqual({ min: { num: 1n, den: 1n }, max: { num: 8n, den: 1n } });
    expect(() => loadDataset({ name: 'csv', path: 'int.csv', label_column: 'cls', test_path: 'test.csv' }, dir)).toThrow(
      `${dir}/test.csv:2:5: label 'dog' is not an integer class index`,
    );
  });

  it('errors: invalid spec, test_fraction on data with a test set, missing files', () => {
    const bad = () => loadDataset({ name: 'csv', path: 'train.csv' } as unknown as DatasetSpec, dir);
    expect(bad).toThrow(FxInputError);
    expect(bad).toThrow(/^dataset\.label_column: /);
    expect(() => loadDataset({ name: 'csv', path: 'train.csv', label_column: 'cls', test_path: 'test.csv', test_fraction: 0.5 }, dir)).toThrow(
      'dataset.test_fraction: csv already has a test set; test_fraction applies only to data without one',
    );
    expect(() => loadDataset({ name: 'csv', path: 'nope.csv', label_column: 0 }, dir)).toThrow(`${dir}/nope.csv: file not found`);
  });

  it('an idx or csv dataset is named by its file, so that messages about its samples name it', () => {
    const idx = loadDataset({ name: 'idx', images: 'tr-img', labels: 'tr-lab.gz' }, dir);
    expect(idx.name).toBe(`${dir}/tr-img`);
    // the model-input check (src/train/data.ts) prefixes the dataset's name
    expect(inputErrorOf(() => sampleSources(idx, makeFormat(true, 16, 8), 'TRN', 784))).toBe(
      `${dir}/tr-img: samples have 4 features but the model takes 784 inputs (model.inputs)`,
    );
    expect(loadDataset({ name: 'csv', path: 'train.csv', label_column: 'cls' }, dir).name).toBe(`${dir}/train.csv`);
    expect(loadDataset({ name: 'iris' }, dir).name).toBe('iris');
  });

  it('test_fraction that leaves a part empty names the key and the file', () => {
    expect(inputErrorOf(() => loadDataset({ name: 'csv', path: 'train.csv', label_column: 'cls', test_fraction: 0.01 }, dir))).toBe(
      `dataset.test_fraction: 0.01 of the 4 samples of ${dir}/train.csv leaves no test samples`,
    );
    expect(inputErrorOf(() => loadDataset({ name: 'idx', images: 'tr-img', labels: 'tr-lab.gz', test_fraction: 0.95 }, dir))).toBe(
      `dataset.test_fraction: 0.95 of the 6 samples of ${dir}/tr-img leaves no training samples`,
    );
  });

  it('csv without a test file, split by test_fraction, stratified', () => {
    const ds = loadDataset({ name: 'csv', path: 'train.csv', label_column: 'cls', test_fraction: 0.5, stratify: true }, dir);
    expect(Array.from(ds.test!.labels).sort()).toEqual([0, 1]);
  });
});
