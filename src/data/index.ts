/** Datasets, offline and exact: loaders, seeded splits and sample orders, input quantization. */
export type { Dataset, Split, Ratio, RawValues } from './types.ts';
export { quantizeInputs, roundRational, type DeterministicMode } from './quantize-inputs.ts';
export { valueRange } from './value-range.ts';
export { loadIdxPair, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, type IdxOptions } from './idx.ts';
export { loadMnist, mnistDataDir, type MnistSubset } from './mnist.ts';
export { loadIris } from './iris.ts';
export { loadCsv, type CsvOptions } from './csv.ts';
export { shuffledOrder, fisherYates, scaleDraw } from './shuffle.ts';
export { splitTrainTest, DEFAULT_SPLIT_SEED, type SplitOptions } from './split.ts';
export { selectRows, combineTrainTest } from './combine.ts';
export { checkClasses } from './classes.ts';
export { datasetSpecSchema, type DatasetSpec } from './spec.ts';
export { loadDataset } from './load.ts';
