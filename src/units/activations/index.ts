import type { ActivationDef } from '../activation.ts';
import { linear } from './linear.ts';
import { relu } from './relu.ts';

/** Every activation, registered once. test/units/activations/registry.test.ts checks the table. */
export const ACTIVATIONS: Readonly<Record<string, ActivationDef<any>>> = Object.fromEntries(
  [linear, relu].map((d) => [d.name, d]),
);
