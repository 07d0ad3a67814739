import { castRef, type CastModes } from '../core/cast.ts';
import { inputError } from '../core/errors.ts';
import { FAST_BITS, castFitsFast, effectiveFormat, fastPaths, magnitudeBits } from '../core/exact.ts';
import { newCounters } from '../core/events.ts';
import { castVectorFast, overflowPlan, type OverflowPlan } from '../core/fast.ts';
import type { Format } from '../core/format.ts';
import { productFormat } from '../core/growth.ts';
import { checkOverflowArgs } from '../core/overflow.ts';
import type { RandomSource } from '../core/random.ts';
import type { Unit, UnitPorts } from './unit.ts';
import { isFastVec, toBigVec, type RawVec } from './vec.ts';

export interface MulSpec {
  name: string;
  a: Format;
  b: Format;
  output: Format;
  modes: CastModes;
}

/**
 * Element-wise product then one narrowing cast: out[i] = cast(a[i] * b[i]). Training uses it
 * for delta = (target - a) * f'(z) and for backpropagated deltas times f'(z).
 */
export class MulUnit implements Unit {
  readonly kind = 'mul' as const;
  readonly name: string;
  readonly ports: UnitPorts;
  readonly counters = newCounters();
  readonly spec: MulSpec;
  readonly product: Format;
  private readonly plan: OverflowPlan;
  private readonly fast: boolean;

  constructor(spec: MulSpec) {
    checkOverflowArgs(spec.output, spec.modes.overflow, spec.modes.nBits, `unit '${spec.name}'`);
    this.spec = spec;
    this.name = spec.name;
    this.product = productFormat(spec.a, spec.b);
    this.ports = { inputs: { a: spec.a, b: spec.b }, output: spec.output };
    this.plan = overflowPlan(spec.output, spec.modes.overflow, spec.modes.nBits);
    this.fast = castFitsFast(this.product, spec.output);
  }

  /** The castFitsFast rule on the product of the narrowest formats holding a and b. */
  private fastOnData(a: Float64Array, b: Float64Array): boolean {
    const { spec } = this;
    const bits = magnitudeBits(effectiveFormat(spec.a, a)) + magnitudeBits(effectiveFormat(spec.b, b));
    const shift = this.product.frac - spec.output.frac;
    return Math.abs(shift) <= 1000 && bits + Math.max(0, -shift) <= FAST_BITS && (spec.output.signed || magnitudeBits(spec.output) <= FAST_BITS);
  }

  run(a: RawVec, b: RawVec, rng?: RandomSource, into?: Float64Array): RawVec {
    if (a.length !== b.length) inputError(`unit '${this.name}': operands have ${a.length} and ${b.length} values`);
    const { spec, counters } = this;
    counters.values += a.length;
    if (fastPaths.enabled && isFastVec(a) && isFastVec(b) && (this.fast || this.fastOnData(a, b))) {
      const out = into ?? new Float64Array(a.length);
      // + 0: a negative times zero is -0 in float64; raw values are integers, and 0 has one sign
      for (let i = 0; i < a.length; i++) out[i] = a[i] * b[i] + 0;
      castVectorFast(out, out, this.product.frac - spec.output.frac, spec.modes, this.plan, rng, counters);
      return out;
    }
    const ab = toBigVec(a);
    const bb = toBigVec(b);
    return ab.map((x, i) => castRef(x * bb[i], this.product, spec.output, spec.modes, rng, counters));
  }
}
