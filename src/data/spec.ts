import { z } from 'zod';

/**
 * The `dataset` section of a config. Paths are relative to the config file's directory.
 * test_fraction / split_seed / stratify hold out a seeded test split for data that has no
 * test set of its own (Iris, a CSV without test_path, IDX without test files, an MNIST subset).
 */
const splitKeys = {
  test_fraction: z.number().gt(0).lt(1).optional()
    .meta({ description: 'Hold out this fraction as a seeded test split (only for data without its own test set)' }),
  split_seed: z.number().int().min(0).max(0xffffffff).optional()
    .meta({ description: 'Seed of the xoshiro128** Fisher-Yates shuffle that chooses the test split (default 0)' }),
  stratify: z.boolean().optional()
    .meta({ description: 'Split each class separately, keeping class proportions (default false)' }),
};

const path = z.string().min(1);

export const mnistSpec = z.strictObject({
  name: z.literal('mnist'),
  subset: z.enum(['train', 'test', 'all']).optional()
    .meta({ description: "Omitted: 60000 train + 10000 test. 'train'/'test': that part alone. 'all': all 70000 as one split (train first)" }),
  ...splitKeys,
});

export const irisSpec = z.strictObject({ name: z.literal('iris'), ...splitKeys });

export const idxSpec = z
  .strictObject({
    name: z.literal('idx'),
    images: path.meta({ description: 'IDX image file (magic 0x00000803), optionally gzipped' }),
    labels: path.meta({ description: 'IDX label file (magic 0x00000801), optionally gzipped' }),
    test_images: path.optional(),
    test_labels: path.optional(),
    classes: z.number().int().min(1).max(256).optional().meta({ description: 'Number of classes (default: largest label + 1)' }),
    ...splitKeys,
  })
  .refine((s) => (s.test_images === undefined) === (s.test_labels === undefined), {
    message: 'test_images and test_labels go together: give both or neither',
    path: ['test_labels'],
  });

export const csvSpec = z.strictObject({
  name: z.literal('csv'),
  path: path.meta({ description: 'CSV file: decimal feature columns and one label column' }),
  label_column: z.union([z.string().min(1), z.number().int()])
    .meta({ description: 'Label column: a header name, or a 0-based index (negative counts from the end)' }),
  test_path: path.optional().meta({ description: 'Optional CSV test file with the same columns' }),
  header: z.boolean().optional().meta({ description: 'First line is a header (default: true when label_column is a name)' }),
  labels: z.enum(['auto', 'integer', 'string']).optional()
    .meta({ description: "Label kind: integer class indices, names (indexed in order of first appearance), or 'auto' (default)" }),
  classes: z.number().int().min(1).optional(),
  ...splitKeys,
});

export const datasetSpecSchema = z
  .discriminatedUnion('name', [mnistSpec, irisSpec, idxSpec, csvSpec])
  .meta({ description: 'Training data: mnist, iris (bundled, offline), or your own idx / csv files' });

export type DatasetSpec = z.infer<typeof datasetSpecSchema>;
