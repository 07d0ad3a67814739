import { join } from 'node:path';
import { fastVsReference } from '../helpers/fast-vs-reference.ts';

// every shipped training config outside configs/study (the MLP is the slowest, ~16 s)
fastVsReference('other configs', (c) => !c.startsWith(join('configs', 'study')));
