import type { ActivationDef } from '../activation.ts';
import { clippedRelu } from './clipped-relu.ts';
import { hardSigmoid } from './hard-sigmoid.ts';
import { hardTanh } from './hard-tanh.ts';
import { leakyRelu } from './leaky-relu.ts';
import { linear } from './linear.ts';
import { relu } from './relu.ts';

/** Every activation, registered once. test/units/activations/registry.test.ts checks the table. */
export const ACTIVATIONS: Readonly<Record<string, ActivationDef<any>>> = Object.fromEntries(
  [linear, relu, leakyRelu, clippedRelu, hardSigmoid, hardTanh].map((d) => [d.name, d]),
);
