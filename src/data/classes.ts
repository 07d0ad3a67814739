import { inputError } from '../core/errors.ts';
import type { Dataset } from './types.ts';

/**
 * Fail when the dataset has more classes than a model has outputs. The message names the first
 * label (train split, then test) that is not one of the outputs' classes and where it is (the
 * labels file and its index, or the CSV file:line:col); when every label is below `outputs`
 * (the count is a dataset's `classes`), it points at `where` (default the key dataset.classes).
 */
export function checkClasses(ds: Dataset, outputs: number, where = 'dataset.classes'): void {
  if (ds.classes <= outputs) return;
  const beyond = `the last layer has ${outputs} outputs, for classes 0..${outputs - 1} (the dataset has ${ds.classes} classes)`;
  for (const split of [ds.train, ds.test]) {
    if (!split) continue;
    for (let i = 0; i < split.count; i++) {
      if (split.labels[i] < outputs) continue;
      const at = split.origin?.label(i);
      if (at) inputError(`${at.text} is not a class of the model: ${beyond}`, at.where);
      inputError(`label ${split.labels[i]} of sample ${i} is not a class of the model: ${beyond}`, split.source);
    }
  }
  inputError(`the dataset has ${ds.classes} classes but the last layer has ${outputs} outputs (every label is below ${outputs})`, where);
}
