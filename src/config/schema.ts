import { z } from 'zod';
import { FxInputError } from '../core/errors.ts';
import { MAX_SHIFT, MAX_WIDTH, type Format } from '../core/format.ts';
import { OVERFLOW_MODE_NAMES, QUANT_MODE_NAMES, findOverflowMode, findQuantMode, type OverflowMode, type QuantMode } from '../core/modes.ts';
import { parseFormatSpec, type FormatSpec } from '../core/parse-format.ts';
import { DEFAULT_LFSR_WIDTH } from '../core/random.ts';
import { ACTIVATIONS } from '../units/activations/index.ts';
import { softmaxFracKeys } from '../units/softmax.ts';
import { datasetSpecSchema } from '../data/spec.ts';

/**
 * The datapath config, validated once at the edge. Every key is known (strict objects), every
 * format spelling of SEMANTICS.md is accepted where a format is written, and mode names are
 * case-insensitive with or without AP_/SC_ prefixes. Checks that need several keys at once
 * (widths that cannot hold a required value, WRAP_SM on unsigned) live in build.ts.
 */

export const formatSchema = z
  .union([
    z.string(),
    z.strictObject({ signed: z.boolean(), width: z.number().int(), frac: z.number().int() }),
  ])
  .transform((v, ctx): FormatSpec => {
    try {
      return parseFormatSpec(v);
    } catch (e) {
      if (!(e instanceof FxInputError)) throw e;
      ctx.addIssue({ code: 'custom', message: e.message });
      return z.NEVER;
    }
  })
  .meta({ description: "A fixed-point format: 'fixed<W,I>', 'ufixed<W,I>', 'ap_fixed<W,I,Q,O,N>', 'int<W>', or {signed, width, frac}" });

export const quantMode = z
  .string()
  .transform((v, ctx): QuantMode => findQuantMode(v) ?? (ctx.addIssue({ code: 'custom', message: `unknown rounding mode '${v}' (one of ${QUANT_MODE_NAMES.join(', ')})` }), z.NEVER))
  .meta({ description: `Quantization mode: ${QUANT_MODE_NAMES.join(', ')} (case-insensitive, AP_/SC_ prefix and aliases accepted)` });

export const overflowMode = z
  .string()
  .transform((v, ctx): OverflowMode => findOverflowMode(v) ?? (ctx.addIssue({ code: 'custom', message: `unknown overflow mode '${v}' (one of ${OVERFLOW_MODE_NAMES.join(', ')})` }), z.NEVER))
  .meta({ description: `Overflow mode: ${OVERFLOW_MODE_NAMES.join(', ')}` });

const shiftAmount = z.number().int().min(-MAX_SHIFT).max(MAX_SHIFT);
/**
 * Names end up in file names (out/<name>, <layer>.weights.npy) and in golden tensor names, whose
 * parts dots separate: no path separators, no dots in a layer name, at most a `<layer>.` prefix
 * on a unit's.
 */
const NAME_PART = '[A-Za-z_][A-Za-z0-9_-]*';
const layerName = z.string().regex(new RegExp(`^${NAME_PART}$`), 'a layer name is letters, digits, _ and -, starting with a letter or _ (it names files and tensors)');
const unitName = z.string().regex(new RegExp(`^(${NAME_PART}\\.)?${NAME_PART}$`), "a unit name is letters, digits, _ and -, optionally after '<layer>.' (it names tensors)");
const fileName = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/, 'a name is letters, digits, _ . + and -, not starting with a dot (it names the output directory)');
const nBits = z.number().int().min(0).meta({ description: 'n_bits of WRAP / WRAP_SM (SystemC): saturated MSBs' });

/** Modes of one narrowing step; any omitted key comes from the format spelling, then `defaults`. */
const modeKeys = { rounding: quantMode.optional(), overflow: overflowMode.optional(), n_bits: nBits.optional() };

const macUnit = z.strictObject({
  kind: z.literal('mac'),
  name: unitName.optional(),
  acc: formatSchema.meta({ description: 'Accumulator register format; frac must equal the product frac' }),
  overflow: overflowMode.optional(),
  n_bits: nBits.optional(),
  product: z.strictObject({ format: formatSchema, ...modeKeys }).optional()
    .meta({ description: 'Optional product register: each w*x is cast into it before accumulation' }),
});

const shiftUnit = z.strictObject({
  kind: z.literal('shift'),
  name: unitName.optional(),
  by: shiftAmount.meta({ description: 'Right shift in bits (negative: exact left shift)' }),
  output: formatSchema,
  ...modeKeys,
});

const activationUnit = z.strictObject({
  kind: z.literal('activation'),
  name: unitName.optional(),
  function: z.enum(Object.keys(ACTIVATIONS) as [string, ...string[]]),
  params: z.record(z.string(), z.unknown()).optional(),
  output: formatSchema.optional().meta({ description: 'Output format; default: the input format' }),
  ...modeKeys,
});

const softmaxUnit = z.strictObject({
  kind: z.literal('softmax'),
  name: unitName.optional(),
  output: formatSchema.meta({ description: 'Probability format, e.g. ufixed<17,1> (holds 1.0, as training needs) or ufixed<16,0>' }),
  ...softmaxFracKeys,
  ...modeKeys,
}).meta({ description: 'Integer softmax (exp by 2^(d log2 e) with a cubic 2^f, exact sum, one rounded division); only as the last unit of the last layer' });

export const unitSchema = z.discriminatedUnion('kind', [macUnit, shiftUnit, activationUnit, softmaxUnit]);

const registerSchema = z.strictObject({
  format: formatSchema,
  overflow: overflowMode.optional(),
  n_bits: nBits.optional(),
});

const layerSchema = z.strictObject({
  name: layerName.optional(),
  weights: registerSchema.meta({ description: 'The weight register: format and the overflow mode applied on every update' }),
  bias: registerSchema.optional(),
  units: z.array(unitSchema).min(1).meta({ description: 'The forward datapath of this layer, in order; the first unit is the MAC' }),
});

/** Most weights one layer may hold (a Float64Array of them is 1 GiB). */
export const MAX_LAYER_WEIGHTS = 2 ** 27;

export const modelSchema = z.strictObject({
  name: fileName.optional(),
  description: z.string().optional(),
  inputs: z.number().int().min(1).max(MAX_LAYER_WEIGHTS).meta({ description: 'Input vector length (fan-in of the first layer)' }),
  layers: z.array(z.strictObject({ size: z.number().int().min(1).max(MAX_LAYER_WEIGHTS), name: layerName.optional() })).min(1),
}).superRefine((m, ctx) => {
  let fanIn = m.inputs;
  m.layers.forEach((l, i) => {
    if (fanIn * l.size > MAX_LAYER_WEIGHTS) {
      ctx.addIssue({ code: 'custom', path: ['layers', i, 'size'], message: `${l.size} x ${fanIn} is ${fanIn * l.size} weights, more than fxsim holds in one layer (${MAX_LAYER_WEIGHTS})` });
    }
    fanIn = l.size;
  });
});

const randomSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('lfsr'),
    width: z.number().int().min(2).max(32).default(DEFAULT_LFSR_WIDTH),
    taps: z.array(z.number().int().min(1)).optional().meta({ description: 'Tapped stages, 1 = LSB; default: the maximal-length XAPP052 taps for the width' }),
    seed: z.number().int().min(1).default(1),
  }),
  z.strictObject({ kind: z.literal('xoshiro128ss'), seed: z.number().int().min(0).max(0xffffffff).default(1) }),
]);

const narrowKeys = { format: formatSchema.optional(), ...modeKeys };

export const trainingSchema = z.strictObject({
  loss: z.enum(['mse', 'softmax_ce']).default('mse')
    .meta({ description: "mse: delta = (target - a) * f'(z); softmax_ce (needs a softmax output unit): cross-entropy, delta = target - p" }),
  lr_shift: shiftAmount.meta({ description: 'Learning rate 2^-lr_shift: update = (delta x) >> (frac_delta + frac_x - frac_w + lr_shift)' }),
  steps: z.number().int().min(1).default(10000).meta({ description: 'Training samples (steps of batch 1)' }),
  // (Number.isInteger(log2): a 32-bit `b & (b - 1)` would pass 2^32 + 2^12)
  batch: z.number().int().min(1).max(2 ** 30).default(1).refine((b) => Number.isInteger(Math.log2(b)), 'batch must be a power of two (the mean is a shift)')
    .meta({ description: 'Mini-batch size, a power of two; gradients are summed exactly in grad_acc, then shifted by lr_shift + log2(batch)' }),
  target: z.number().optional().meta({ description: 'Real value of the one-hot target (default 1.0); must be representable in the output format' }),
  seed: z.number().int().min(0).max(0xffffffff).default(1).meta({ description: 'numpy RandomState seed: sample order first, then initial weights, as the study drew them' }),
  order: z.enum(['permutation', 'sequential']).default('permutation').meta({ description: 'permutation: np.random.permutation(n) of the training split, cycled; sequential: 0, 1, 2, ...' }),
  init: z.strictObject({
    dist: z.enum(['normal', 'uniform']).default('normal'),
    mean: z.number().default(0),
    std: z.number().min(0).default(500),
    low: z.number().optional(),
    high: z.number().optional(),
    units: z.enum(['lsb', 'real']).default('lsb').meta({ description: 'lsb: mean/std in raw integer LSBs (the study: N(0, 500)); real: in real units' }),
  }).refine((i) => i.low === undefined || i.high === undefined || i.low <= i.high, { message: 'low must not exceed high', path: ['low'] }).default({ dist: 'normal', mean: 0, std: 500, units: 'lsb' }),
  delta: z.strictObject(narrowKeys).optional().meta({ description: 'The delta register of every layer: format (default: signed, the output width + 1 at the output frac) and modes of delta = e * f\'(z)' }),
  update: z.strictObject({
    rounding: quantMode.optional(),
    product: z.strictObject({ width: z.number().int().min(2).max(MAX_WIDTH), overflow: overflowMode.optional(), n_bits: nBits.optional() }).optional()
      .meta({ description: 'Product register for delta*x before the shift (frac = frac_delta + frac_x); e.g. width 64 WRAP is numpy int64' }),
  }).optional().meta({ description: 'The weight update: rounding of (delta x) >> shift (default: the config default, TRN as the study)' }),
  backward: z.strictObject({ acc: formatSchema.optional(), ...modeKeys }).optional()
    .meta({ description: 'Hidden-layer backprop: accumulator of W^T delta (default signed 64-bit WRAP), rounding of its shift back to the delta frac' }),
  grad_acc: z.strictObject({ width: z.number().int().min(2).max(MAX_WIDTH).default(64), overflow: overflowMode.optional() }).optional()
    .meta({ description: 'Gradient accumulator for batch > 1: width (frac is that of delta*x) and overflow' }),
  window: z.number().int().min(1).max(MAX_LAYER_WEIGHTS).default(1000).meta({ description: 'Running-accuracy window in samples (the study: 1000)' }),
  metrics_every: z.number().int().min(1).default(1000),
  test_samples: z.number().int().min(0).optional().meta({ description: 'Evaluate on at most this many test samples (default: all)' }),
});

export const configSchema = z.strictObject({
  fxsim: z.literal(1).optional().meta({ description: 'Config schema version' }),
  name: fileName.optional(),
  description: z.string().optional(),
  model: z.union([z.string(), modelSchema]).meta({ description: 'A network in models/ (path relative to this file) or an inline {inputs, layers}' }),
  params: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.union([z.number(), z.string()])).optional()
    .meta({ description: 'Named values used as ${name} or ${64 - 2*F} in any string value below (a value that is one ${...} becomes a number): --set params.F=12 moves every register at once' }),
  defaults: z.strictObject(modeKeys).optional().meta({ description: 'Modes for every narrowing step that does not name its own; built-in TRN / WRAP / 0, as SystemC' }),
  input: z.strictObject({
    format: formatSchema,
    range: z.tuple([z.number(), z.number()]).optional().meta({ description: 'Real range the input values take; every value in it must be representable' }),
    rounding: quantMode.optional().meta({ description: 'How dataset values are quantized into the input format' }),
  }),
  random: randomSchema.optional().meta({ description: 'Bit source for STOCH rounding' }),
  layers: z.array(layerSchema).min(1),
  training: trainingSchema.optional(),
  dataset: datasetSpecSchema.optional().meta({ description: 'Dataset for `fxsim train`: mnist, iris, idx or csv' }),
});

export type ModelConfig = z.output<typeof modelSchema>;
export type DatapathConfig = z.output<typeof configSchema>;
export type UnitConfig = z.output<typeof unitSchema>;
export type TrainingConfig = z.output<typeof trainingSchema>;
export type ModeKeys = { rounding?: QuantMode; overflow?: OverflowMode; n_bits?: number };
export type { Format };
