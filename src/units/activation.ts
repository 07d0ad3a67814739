import type { z } from 'zod';
import { castRef, type CastModes } from '../core/cast.ts';
import { FAST_BITS, castFitsFast, effectiveFormat, fastPaths, magnitudeBits } from '../core/exact.ts';
import { newCounters } from '../core/events.ts';
import { castVectorFast, overflowPlan, type OverflowPlan } from '../core/fast.ts';
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
    // signed, holding +-2^(magnitudeBits + growBits) inclusive: one bit above the bound plus the sign
    this.exactFormat = makeFormat(true, magnitudeBits(spec.input) + k.growBits + 2, spec.input.frac + k.extraFrac);
    this.ports = { inputs: { x: spec.input }, output: spec.output };
    this.plan = overflowPlan(spec.output, spec.modes.overflow, spec.modes.nBits);
    this.fast = this.fastFor(spec.input, k);
  }

  private fastFor(input: Format, k: ActivationKernel): boolean {
    const exact = makeFormat(true, magnitudeBits(input) + k.growBits + 2, input.frac + k.extraFrac);
    return magnitudeBits(input) <= FAST_BITS && magnitudeBits(exact) <= FAST_BITS
      && castFitsFast(exact, this.spec.output) && magnitudeBits(k.derivFormat) <= FAST_BITS;
  }

  /**
   * The kernel to run x with on the fast path, or undefined for the reference path: the
   * declared one when the formats prove it, else one built for the narrowest format holding x
   * (same frac and sign, so the same function) when that proves it.
   */
  private fastKernel(x: Float64Array): ActivationKernel | undefined {
    if (!fastPaths.enabled) return undefined;
    if (this.fast) return this.kernel;
    const eff = effectiveFormat(this.spec.input, x);
    if (eff === this.spec.input) return undefined;
    let k = this.narrow.get(eff.width);
    if (!k) {
      k = this.spec.def.create(this.spec.params, eff);
      this.narrow.set(eff.width, k);
    }
    return this.fastFor(eff, k) ? k : undefined;
  }
  private readonly narrow = new Map<number, ActivationKernel>();

  run(x: RawVec, rng?: RandomSource, into?: Float64Array): RawVec {
    const { spec, counters, kernel } = this;
    counters.values += x.length;
    const fk = isFastVec(x) ? this.fastKernel(x) : undefined;
    if (fk) {
      const xs = x as Float64Array;
      const out = into ?? new Float64Array(xs.length);
      for (let i = 0; i < xs.length; i++) out[i] = fk.exactFast(xs[i]);
      // the exact value's frac is the same for every kernel of this unit; only its width differs
      castVectorFast(out, out, this.exactFormat.frac - spec.output.frac, spec.modes, this.plan, rng, counters);
      return out;
    }
    return toBigVec(x).map((r) => castRef(kernel.exactRef(r), this.exactFormat, spec.output, spec.modes, rng, counters));
  }

  /** f'(x) for each pre-activation value, raw in kernel.derivFormat. */
  derivative(x: RawVec, into?: Float64Array): RawVec {
    const { kernel } = this;
    const fk = isFastVec(x) ? this.fastKernel(x) : undefined;
    if (fk) {
      const xs = x as Float64Array;
      const d = into ?? new Float64Array(xs.length);
      for (let i = 0; i < xs.length; i++) d[i] = fk.derivFast(xs[i]);
      return d;
    }
    return toBigVec(x).map((r) => kernel.derivRef(r));
  }
}
