import { resolve } from 'node:path';
import { inputError } from '../core/errors.ts';
import { combineTrainTest } from './combine.ts';
import { loadCsv } from './csv.ts';
import { loadIdxPair } from './idx.ts';
import { loadIris } from './iris.ts';
import { loadMnist } from './mnist.ts';
import { datasetSpecSchema, type DatasetSpec } from './spec.ts';
import { splitTrainTest } from './split.ts';
import type { Dataset } from './types.ts';

/**
 * Load the dataset a spec names, file paths resolved against baseDir (the config's directory).
 * An idx or csv dataset is named by its (train) images or CSV path, so that messages about its
 * samples name the file.
 * The spec is validated first (an invalid one is an FxInputError naming the key). When the
 * spec has test_fraction, a seeded test split is held out (splitTrainTest); asking for one on
 * data that brings its own test set is an error.
 */
export function loadDataset(spec: DatasetSpec, baseDir: string): Dataset {
  const parsed = datasetSpecSchema.safeParse(spec);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    inputError(issue.message, ['dataset', ...issue.path.map(String)].join('.'));
  }
  const s = parsed.data;
  const at = (p: string) => resolve(baseDir, p);
  let ds: Dataset;
  switch (s.name) {
    case 'mnist':
      ds = loadMnist({ subset: s.subset });
      break;
    case 'iris':
      ds = loadIris();
      break;
    case 'idx': {
      const train = loadIdxPair(at(s.images), at(s.labels), { classes: s.classes });
      const test = s.test_images !== undefined && s.test_labels !== undefined
        ? loadIdxPair(at(s.test_images), at(s.test_labels), { classes: s.classes })
        : undefined;
      ds = combineTrainTest(at(s.images), train, test);
      break;
    }
    case 'csv': {
      const opts = { labelColumn: s.label_column, header: s.header, classes: s.classes, labels: s.labels };
      const train = loadCsv(at(s.path), opts);
      let test: Dataset | undefined;
      if (s.test_path !== undefined) {
        const testPath = at(s.test_path);
        test = train.labelNames
          ? loadCsv(testPath, { ...opts, labelNames: train.labelNames })
          : loadCsv(testPath, { ...opts, labels: 'integer' });
      }
      ds = combineTrainTest(at(s.path), train, test);
      break;
    }
  }
  if (s.test_fraction !== undefined) {
    if (ds.test) inputError(`${s.name} already has a test set; test_fraction applies only to data without one`, 'dataset.test_fraction');
    ds = splitTrainTest(ds, { testFraction: s.test_fraction, seed: s.split_seed, stratify: s.stratify, key: 'dataset.test_fraction' });
  }
  return ds;
}
