import { magnitudeBits } from '../../core/exact.ts';
import { maxRaw, minRaw, type Format } from '../../core/format.ts';
import type { OverflowMode, QuantMode } from '../../core/modes.ts';
import type { RandomConfig } from '../../core/random.ts';
import { ActivationUnit } from '../../units/activation.ts';
import { resolveSlope, type LeakyReluParams } from '../../units/activations/leaky-relu.ts';
import type { Unit } from '../../units/unit.ts';
import { ShiftUnit } from '../../units/shift.ts';
import type { TrainPlan } from '../plan.ts';
import { DERIV_KIND, OVERFLOW_CODE, ROUNDING_CODE, UNIT_KIND } from './layout.ts';

/** A register as the kernel holds it: range, width, sign, overflow mode. */
export interface KernelFormat {
  lo: bigint;
  hi: bigint;
  width: number;
  signed: boolean;
  overflow: number;
}

export interface KernelPostUnit {
  unit: Unit;
  kind: number;
  k: number;
  rounding: number;
  format: KernelFormat;
  slope: bigint;
  slopeFrac: number;
}

/** Everything the fused kernel needs of a plan, in its own codes. */
export interface KernelSpec {
  rows: number;
  cols: number;
  input: Format;
  acc: KernelFormat;
  accMagnitudeBits: number;
  post: KernelPostUnit[];
  activationAt: number;
  derivKind: number;
  slope: bigint;
  slopeFrac: number;
  delta: { format: KernelFormat; k: number; rounding: number };
  update: { product?: KernelFormat; shift: number; rounding: number; weights: KernelFormat };
  /** The datapath's random source, when the update rounds with STOCH (the only unit that may). */
  random?: RandomConfig;
  target: bigint;
  deltaScale: number;
}

class NotFusable extends Error {}

/**
 * A negative update shift is an exact left shift of the 128-bit product: allowed while that
 * cannot pass 2^126 (a product register bounds it to 64 bits; else the formats must).
 */
function leftShift(u: TrainPlan['layers'][number]['update']['spec']): number {
  const n = -u.shift;
  const productBits = u.product ? magnitudeBits(u.product.format) + 1 : magnitudeBits(u.delta) + magnitudeBits(u.input);
  if (n > 63 || productBits + n > 126) no(`the update shifts left by ${n} bits`);
  return u.shift;
}
const no = (why: string): never => {
  throw new NotFusable(why);
};

function kernelFormat(f: Format, overflow: OverflowMode, nBits: number, what: string): KernelFormat {
  if (f.width > 64 || (!f.signed && f.width > 63)) no(`${what} is wider than 64 bits`);
  if (!(overflow in OVERFLOW_CODE)) no(`${what} overflows with ${overflow}`);
  if (overflow === 'WRAP' && nBits !== 0) no(`${what} wraps with n_bits`);
  const hi = maxRaw(f);
  return { lo: overflow === 'SAT_SYM' && f.signed ? -hi : minRaw(f), hi, width: f.width, signed: f.signed, overflow: OVERFLOW_CODE[overflow as keyof typeof OVERFLOW_CODE] };
}

function rounding(mode: QuantMode, what: string): number {
  if (mode === 'STOCH') no(`${what} rounds with STOCH`);
  return ROUNDING_CODE[mode as keyof typeof ROUNDING_CODE];
}

function dropped(k: number, what: string): number {
  if (!Number.isInteger(k) || k < 0 || k > 63) no(`${what} shifts by ${k} (the kernel drops 0..63 bits)`);
  return k;
}

/**
 * The plan in the fused kernel's terms, or why it cannot run there: one layer, batch 1, mse,
 * no bias, shift / relu / linear / leaky-ReLU units, deterministic rounding, registers of at
 * most 64 bits without n_bits. Everything else trains through the units one by one.
 */
export function kernelSpec(plan: TrainPlan): KernelSpec | string {
  try {
    return buildSpec(plan);
  } catch (e) {
    if (e instanceof NotFusable) return e.message;
    throw e;
  }
}

function buildSpec(plan: TrainPlan): KernelSpec {
  if (plan.layers.length !== 1) no('more than one layer');
  if (plan.batch !== 1) no('mini-batches');
  if (plan.loss !== 'mse') no(`loss ${plan.loss}`);
  const lt = plan.layers[0];
  const layer = lt.layer;
  const mac = layer.mac.spec;
  if (layer.bias || mac.bias) no('a bias');
  if (mac.product) no('a MAC product register');
  if (layer.input.width > 64) no('an input wider than 64 bits');
  if (layer.weights.format.width > 64) no('weights wider than 64 bits');
  const acc = kernelFormat(mac.acc, mac.accOverflow, mac.accNBits ?? 0, 'the accumulator');
  const post = layer.post.map((u, i): KernelPostUnit => {
    const what = `unit ${u.name}`;
    if (u instanceof ShiftUnit) {
      const s = u.spec;
      return { unit: u, kind: UNIT_KIND.shift, k: dropped(s.shift, what), rounding: rounding(s.modes.rounding, what), format: kernelFormat(s.output, s.modes.overflow, s.modes.nBits, what), slope: 0n, slopeFrac: 0 };
    }
    if (u instanceof ActivationUnit) {
      const s = u.spec;
      const name = s.def.name;
      if (name !== 'relu' && name !== 'linear' && name !== 'leaky_relu') no(`activation ${name}`);
      let slope = 0n, slopeFrac = 0;
      if (name === 'leaky_relu') {
        const sl = resolveSlope(s.params as LeakyReluParams);
        if (typeof sl === 'string' || sl.raw < 0n || sl.frac > 63) no('this leaky_relu slope');
        ({ raw: slope, frac: slopeFrac } = sl as { raw: bigint; frac: number });
      }
      return {
        unit: u, kind: UNIT_KIND[name as keyof typeof UNIT_KIND], k: dropped(u.exactFormat.frac - s.output.frac, what), rounding: rounding(s.modes.rounding, what),
        format: kernelFormat(s.output, s.modes.overflow, s.modes.nBits, what), slope, slopeFrac,
      };
    }
    return no(`unit ${u.name} (${(u as Unit).kind}) at ${i}`);
  });
  const act = lt.activation;
  const actName = act?.spec.def.name;
  const actPost = act ? post[lt.activationAt] : undefined;
  const derivKind = actName === 'relu' ? DERIV_KIND.relu : actName === 'leaky_relu' ? DERIV_KIND.leaky : DERIV_KIND.one;
  const d = lt.delta;
  const u = lt.update.spec;
  const target = BigInt(plan.targetRaw);
  return {
    rows: layer.size,
    cols: layer.fanIn,
    input: layer.input,
    acc,
    accMagnitudeBits: mac.acc.signed ? mac.acc.width - 1 : 0,
    post,
    activationAt: act ? lt.activationAt : -1,
    derivKind,
    slope: actPost?.slope ?? 0n,
    slopeFrac: actPost?.slopeFrac ?? 0,
    delta: {
      format: kernelFormat(d.spec.output, d.spec.modes.overflow, d.spec.modes.nBits, 'the delta register'),
      k: dropped(d.product.frac - d.spec.output.frac, 'the delta cast'),
      rounding: rounding(d.spec.modes.rounding, 'the delta cast'),
    },
    update: {
      product: u.product && kernelFormat(u.product.format, u.product.overflow, u.product.nBits, 'the update product register'),
      shift: u.shift < 0 ? leftShift(u) : dropped(u.shift, 'the update'),
      // STOCH draws its bits in the update only, so the kernel can keep the stream's order
      rounding: u.rounding === 'STOCH' ? (u.shift >= 1 ? ROUNDING_CODE.STOCH : no('a STOCH update that drops no bits')) : rounding(u.rounding, 'the update'),
      weights: kernelFormat(u.weights.format, u.weights.overflow, u.weights.nBits, 'the weight register'),
    },
    target,
    deltaScale: 2 ** -lt.deltaFormat.frac,
    ...(u.rounding === 'STOCH' && { random: plan.datapath.random }),
  };
}
