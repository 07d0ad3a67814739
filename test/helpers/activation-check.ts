/**
 * Shared checks for the activation tests: build a kernel or unit from a registered definition,
 * and compare a kernel against an exact rational oracle of f and f' on random inputs.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { CastModes } from '../../src/core/cast.ts';
import type { Format } from '../../src/core/format.ts';
import { ActivationUnit, type ActivationKernel } from '../../src/units/activation.ts';
import { ACTIVATIONS } from '../../src/units/activations/index.ts';
import { arbRaw } from './arbitraries.ts';
import { eq, fromRaw, show, type Q } from './rational.ts';
import { ACTIVATION_PARAMS, arbActInput } from './unit-arbitraries.ts';

/** Parse params with the definition's schema (throws on invalid ones, like the config builder reports them). */
export function parseParams(name: string, params: Record<string, unknown> = {}): Record<string, unknown> {
  return ACTIVATIONS[name].params.parse(params) as Record<string, unknown>;
}

export function kernelOf(name: string, params: Record<string, unknown>, input: Format): ActivationKernel {
  return ACTIVATIONS[name].create(parseParams(name, params), input);
}

export function unitOf(name: string, params: Record<string, unknown>, input: Format, output: Format = input, modes: CastModes = { rounding: 'TRN', overflow: 'WRAP', nBits: 0 }): ActivationUnit {
  return new ActivationUnit({ name: 'act', def: ACTIVATIONS[name], params: parseParams(name, params), input, output, modes });
}

/** Raw results of a kernel on raws, as bigints. */
export const exactOf = (k: ActivationKernel, xs: number[]): bigint[] => xs.map((r) => k.exactRef(BigInt(r)));
export const derivOf = (k: ActivationKernel, xs: number[]): bigint[] => xs.map((r) => k.derivRef(BigInt(r)));

export interface Oracle {
  /** f on the real input value, with the parsed params */
  f(x: Q, params: Record<string, unknown>): Q;
  /** f' (the documented convention at the corners) */
  d(x: Q, params: Record<string, unknown>): Q;
}

/**
 * For random input formats, params (from ACTIVATION_PARAMS) and raw inputs: the kernel's exact
 * result read at frac input.frac + extraFrac is f(x), and its derivative read at derivFormat.frac is f'(x).
 */
export function checkAgainstOracle(name: string, oracle: Oracle, numRuns = 300, params: fc.Arbitrary<Record<string, unknown>> = ACTIVATION_PARAMS[name]): void {
  const arbCase = fc
    .tuple(arbActInput, params)
    .chain(([input, p]) => fc.record({ input: fc.constant(input), p: fc.constant(p), rs: fc.array(arbRaw(input), { minLength: 1, maxLength: 6 }) }));
  fc.assert(
    fc.property(arbCase, ({ input, p, rs }) => {
      const k = kernelOf(name, p, input);
      for (const r of rs) {
        const x = fromRaw(r, input.frac);
        const got = fromRaw(k.exactRef(r), input.frac + k.extraFrac);
        const want = oracle.f(x, p);
        if (!eq(got, want)) expect.fail(`f(${show(x)}) = ${show(got)}, expected ${show(want)}`);
        const dGot = fromRaw(k.derivRef(r), k.derivFormat.frac);
        const dWant = oracle.d(x, p);
        if (!eq(dGot, dWant)) expect.fail(`f'(${show(x)}) = ${show(dGot)}, expected ${show(dWant)}`);
      }
    }),
    { numRuns },
  );
}

/** exactFast / derivFast agree with the reference on these raws (callers pick raws the fast path may see). */
export function expectFastMatches(k: ActivationKernel, xs: number[]): void {
  expect(xs.map((r) => k.exactFast(r))).toEqual(xs.map((r) => Number(k.exactRef(BigInt(r)))));
  expect(xs.map((r) => k.derivFast(r))).toEqual(xs.map((r) => Number(k.derivRef(BigInt(r)))));
}
