import { join } from 'node:path';
import { expect, it } from 'vitest';
import { fastVsReference, trainingConfigs } from '../helpers/fast-vs-reference.ts';

// the study's configs here, the rest in fast-vs-reference-other.test.ts: vitest runs the two files in parallel
fastVsReference('configs/study', (c) => c.startsWith(join('configs', 'study')), true);

it('the two files together cover every shipped training config, the study config among them', () => {
  const all = trainingConfigs();
  expect(all).toContain(join('configs', 'study', 'mnist-f20-lr10.yaml'));
  expect(all.filter((c) => c.startsWith(join('configs', 'study'))).length + all.filter((c) => !c.startsWith(join('configs', 'study'))).length).toBe(all.length);
});
