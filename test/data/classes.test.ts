import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { checkClasses } from '../../src/data/classes.ts';
import { loadCsv } from '../../src/data/csv.ts';
import { loadIdxPair } from '../../src/data/idx.ts';
import { loadDataset } from '../../src/data/load.ts';
import { inputErrorOf } from '../helpers/input-error.ts';
import { idxBytes, tempDir, write } from './fixtures.ts';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const images = write(dir, 'img', idxBytes(0x803, [5, 2, 2], new Array(20).fill(0)));
const labels = write(dir, 'lab', idxBytes(0x801, [5], [0, 1, 9, 252, 3]));
write(dir, 'test-lab', idxBytes(0x801, [5], [0, 1, 2, 3, 7]));

describe('checkClasses', () => {
  it('passes when the model has an output per class', () => {
    checkClasses(loadIdxPair(images, labels), 253);
    checkClasses(loadIdxPair(images, labels), 300);
  });

  it('IDX: names the labels file, the first label beyond the outputs and its index', () => {
    expect(inputErrorOf(() => checkClasses(loadIdxPair(images, labels), 10))).toBe(
      `${labels}: label 252 at index 3 is not a class of the model: the last layer has 10 outputs, for classes 0..9 (the dataset has 253 classes)`,
    );
    expect(inputErrorOf(() => checkClasses(loadIdxPair(images, labels), 4))).toMatch(new RegExp(`^${labels}: label 9 at index 2 is not a class`));
  });

  it('the test split when the train labels fit; indices follow a test_fraction split back to the file', () => {
    const ds = loadDataset({ name: 'idx', images: 'img', labels: 'lab', test_images: 'img', test_labels: 'test-lab' }, dir);
    expect(inputErrorOf(() => checkClasses({ ...ds, train: { ...ds.train, labels: new Uint8Array(5) } }, 4))).toMatch(
      new RegExp(`^${dir}/test-lab: label 7 at index 4 is not a class`),
    );
    // seed 1: train = samples 2, 3, 4 (labels 9, 252, 3); seed 0: train 0, 1, 4 and test 2, 3
    for (const seed of [0, 1]) {
      const split = loadDataset({ name: 'idx', images: 'img', labels: 'lab', test_fraction: 0.4, split_seed: seed }, dir);
      expect(Array.from(split.train.labels)).toEqual(seed ? [9, 252, 3] : [0, 1, 3]);
      expect(inputErrorOf(() => checkClasses(split, 4))).toMatch(new RegExp(`^${labels}: label 9 at index 2 is not a class`));
    }
  });

  it('CSV: file:line:col of the label cell, string labels by name and class', () => {
    const csv = write(dir, 'data.csv', 'x,label\n1,0\n\n2,5\n3,1\n');
    expect(inputErrorOf(() => checkClasses(loadCsv(csv, { labelColumn: 'label' }), 2))).toBe(
      `${csv}:4:3: label 5 is not a class of the model: the last layer has 2 outputs, for classes 0..1 (the dataset has 6 classes)`,
    );
    const names = write(dir, 'names.csv', 'x,label\n1,cat\n2, dog\n3,"bird"\n');
    expect(inputErrorOf(() => checkClasses(loadCsv(names, { labelColumn: 'label' }), 2))).toBe(
      `${names}:4:3: label 'bird' (class 2) is not a class of the model: the last layer has 2 outputs, for classes 0..1 (the dataset has 3 classes)`,
    );
  });

  it('a class count above every label (dataset.classes) names the key', () => {
    const ds = loadDataset({ name: 'idx', images: 'img', labels: 'test-lab', classes: 12 }, dir);
    expect(inputErrorOf(() => checkClasses(ds, 8))).toBe('dataset.classes: the dataset has 12 classes but the last layer has 8 outputs (every label is below 8)');
  });
});
