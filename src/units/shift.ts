import type { CastModes } from '../core/cast.ts';
import { inputError } from '../core/errors.ts';
import { FAST_BITS, effectiveFormat, fastPaths, magnitudeBits } from '../core/exact.ts';
import { newCounters } from '../core/events.ts';
import { castVectorFast, overflowPlan, type OverflowPlan } from '../core/fast.ts';
import type { Format } from '../core/format.ts';
import { checkOverflowArgs, overflowRef } from '../core/overflow.ts';
import { quantizeRef } from '../core/quantize.ts';
import type { RandomSource } from '../core/random.ts';
import type { Unit, UnitPorts } from './unit.ts';
import { isFastVec, toBigVec, type RawVec } from './vec.ts';

export interface ShiftSpec {
  name: string;
  input: Format;
  /** Right shift by `shift` bits (negative: exact left shift). */
  shift: number;
  /** The output register. Its frac is how the result is read; the raw operation is the shift. */
  output: Format;
  modes: CastModes;
}

/**
 * Shift / requantize: out = overflow(quantize(r, shift)) on raw values. A right shift drops
 * `shift` bits with the unit's rounding mode; a left shift is exact; then the output's overflow.
 */
export class ShiftUnit implements Unit {
  readonly kind = 'shift' as const;
  readonly name: string;
  readonly ports: UnitPorts;
  readonly counters = newCounters();
  readonly spec: ShiftSpec;
  private readonly plan: OverflowPlan;
  private readonly fast: boolean;

  constructor(spec: ShiftSpec) {
    if (!Number.isInteger(spec.shift)) inputError(`shift must be an integer, got ${spec.shift}`, `unit '${spec.name}'`);
    checkOverflowArgs(spec.output, spec.modes.overflow, spec.modes.nBits, `unit '${spec.name}'`);
    this.spec = spec;
    this.name = spec.name;
    this.ports = { inputs: { x: spec.input }, output: spec.output };
    this.plan = overflowPlan(spec.output, spec.modes.overflow, spec.modes.nBits);
    this.fast = this.fastFor(spec.input);
  }

  /**
   * Exact in float64 when the input and the shifted value fit 2^53. The output register may be
   * wider when signed: a value within 2^53 is then in range, so its inexact bounds are never hit.
   */
  private fastFor(input: Format): boolean {
    const grown = magnitudeBits(input) + Math.max(0, -this.spec.shift);
    const out = this.spec.output;
    return Math.abs(this.spec.shift) <= 1000 && grown <= FAST_BITS && (out.signed || magnitudeBits(out) <= FAST_BITS);
  }

  /** The raw real-value scale this unit applies: out ≈ in * 2^-shift, read at the output's frac. */
  get outputFrac(): number { return this.spec.output.frac; }

  run(x: RawVec, rng?: RandomSource, out?: Float64Array): RawVec {
    const { spec, counters } = this;
    counters.values += x.length;
    if (fastPaths.enabled && isFastVec(x) && (this.fast || this.fastFor(effectiveFormat(spec.input, x)))) {
      const o = out ?? new Float64Array(x.length);
      castVectorFast(x, o, spec.shift, spec.modes, this.plan, rng, counters);
      return o;
    }
    return toBigVec(x).map((r) => overflowRef(quantizeRef(r, spec.shift, spec.modes.rounding, rng, counters), spec.output, spec.modes.overflow, spec.modes.nBits, counters));
  }
}
