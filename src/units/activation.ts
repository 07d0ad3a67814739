import type { z } from 'zod';
import { castRef, type CastModes } from '../core/cast.ts';
import { FAST_BITS, castFitsFast, magnitudeBits } from '../core/exact.ts';
import { newCounters } from '../core/events.ts';
import { castFast, overflowPlan, type OverflowPlan } from '../core/fast.ts';
import { makeFormat, type Format } from '../core/format.ts';
import { checkOverflowArgs } from '../core/overflow.ts';
import type { RandomSource } from '../core/random.ts';
import type { Unit, UnitPorts } from './unit.ts';
import { isFastVec, toBigVec, type RawVec } from './vec.ts';

/**
 * An activation function specialised to its parameters and input format. `exact*` compute
 * f(r) with no rounding at all, as a raw value at frac `input.frac + extraFrac`; the unit then
 * casts that into its output format with its own modes (the one narrowing step).
 * The derivative is an exact integer in `derivFormat`, evaluated at the pre-activation input.
 */
export interface ActivationKernel {
  readonly extraFrac: number;
  /** |exact(r)| <= 2^(magnitudeBits(input) + growBits) for every r of the input format. */
  readonly growBits: number;
  exactRef(r: bigint): bigint;
  exactFast(r: number): number;
  readonly derivFormat: Format;
  derivRef(r: bigint): bigint;
  derivFast(r: number): number;
}

/** One registered activation: a name, its parameter schema, and a kernel factory. */
export interface ActivationDef<P = Record<string, unknown>> {
  readonly name: string;
  readonly summary: string;
  /** Documented derivative, for the README and `inspect`. */
  readonly derivative: string;
  readonly params: z.ZodType<P>;
  create(params: P, input: Format): ActivationKernel;
}

export interface ActivationSpec {
  name: string;
  def: ActivationDef<any>;
  params: Record<string, unknown>;
  input: Format;
  output: Format;
  modes: CastModes;
}

export class ActivationUnit implements Unit {
  readonly kind = 'activation' as const;
  readonly name: string;
  readonly ports: UnitPorts;
  readonly counters = newCounters();
  readonly spec: ActivationSpec;
  readonly kernel: ActivationKernel;
  /** Format of the exact result, before the output cast. */
  readonly exactFormat: Format;
  private readonly plan: OverflowPlan;
  private readonly fast: boolean;

  constructor(spec: ActivationSpec) {
    checkOverflowArgs(spec.output, spec.modes.overflow, spec.modes.nBits, `unit '${spec.name}'`);
    this.spec = spec;
    this.name = spec.name;
    this.kernel = spec.def.create(spec.params, spec.input);
    const k = this.kernel;
    this.exactFormat = makeFormat(true, magnitudeBits(spec.input) + k.growBits + 1, spec.input.frac + k.extraFrac);
    this.ports = { inputs: { x: spec.input }, output: spec.output };
    this.plan = overflowPlan(spec.output, spec.modes.overflow, spec.modes.nBits);
    this.fast = magnitudeBits(spec.input) <= FAST_BITS && magnitudeBits(this.exactFormat) <= FAST_BITS
      && castFitsFast(this.exactFormat, spec.output) && magnitudeBits(k.derivFormat) <= FAST_BITS;
  }

  run(x: RawVec, rng?: RandomSource): RawVec {
    const { spec, counters, kernel } = this;
    counters.values += x.length;
    if (this.fast && isFastVec(x)) {
      const out = new Float64Array(x.length);
      for (let i = 0; i < x.length; i++) out[i] = castFast(kernel.exactFast(x[i]), this.exactFormat, this.plan, spec.output, spec.modes, rng, counters);
      return out;
    }
    return toBigVec(x).map((r) => castRef(kernel.exactRef(r), this.exactFormat, spec.output, spec.modes, rng, counters));
  }

  /** f'(x) for each pre-activation value, raw in kernel.derivFormat. */
  derivative(x: RawVec): RawVec {
    const { kernel } = this;
    if (this.fast && isFastVec(x)) return x.map((r) => kernel.derivFast(r));
    return toBigVec(x).map((r) => kernel.derivRef(r));
  }
}
