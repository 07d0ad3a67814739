import type { CastModes } from '../core/cast.ts';
import { FxInputError, configError } from '../core/errors.ts';
import { formatName, maxRaw, minRaw, type Format } from '../core/format.ts';
import { parseDecimal, rawToDecimal } from '../core/decimal.ts';
import { productFormat } from '../core/growth.ts';
import type { OverflowMode, QuantMode } from '../core/modes.ts';
import type { FormatSpec } from '../core/parse-format.ts';
import { DEFAULT_LFSR_WIDTH, makeRandomSource, type RandomConfig } from '../core/random.ts';
import { ActivationUnit } from '../units/activation.ts';
import { ACTIVATIONS } from '../units/activations/index.ts';
import { MacArray } from '../units/mac.ts';
import { ShiftUnit } from '../units/shift.ts';
import { SoftmaxUnit } from '../units/softmax.ts';
import type { DatapathConfig, ModeKeys, ModelConfig } from './schema.ts';

export interface Register {
  format: Format;
  overflow: OverflowMode;
  nBits: number;
}

export interface LayerPath {
  index: number;
  name: string;
  fanIn: number;
  size: number;
  weights: Register;
  bias?: Register;
  mac: MacArray;
  /** Units after the MAC, in order (shifts and activations; a softmax only last in the last layer). */
  post: (ShiftUnit | ActivationUnit | SoftmaxUnit)[];
  input: Format;
  output: Format;
}

export interface Datapath {
  name: string;
  description?: string;
  input: { format: Format; range?: [number, number]; rounding: QuantMode };
  random: RandomConfig;
  layers: LayerPath[];
  model: ModelConfig;
  defaults: CastModes;
  lrShift?: number;
  target?: number;
}

type Path = (string | number)[];

/** Unit key > modes written in the format spelling > config defaults > SystemC defaults (TRN, WRAP, 0). */
function resolveModes(keys: ModeKeys, spec: FormatSpec | undefined, defaults: CastModes): CastModes {
  return {
    rounding: keys.rounding ?? spec?.rounding ?? defaults.rounding,
    overflow: keys.overflow ?? spec?.overflow ?? defaults.overflow,
    nBits: keys.n_bits ?? spec?.nBits ?? defaults.nBits,
  };
}

/** Build a unit, turning its constructor's complaints into errors at the unit's key path. */
export function located<T>(path: Path, make: () => T): T {
  try {
    return make();
  } catch (e) {
    if (e instanceof FxInputError && !('path' in e)) configError(e.message.replace(/^unit '[^']*': /, ''), path);
    throw e;
  }
}

/** A real value needs raw v*2^F; it must lie within the format's range (it may be quantized, not clipped). */
function checkHolds(value: number, f: Format, what: string, path: Path): void {
  // exactly, on rationals: the value as written (its shortest decimal) times 2^F against the raw range
  const { num, den } = parseDecimal(String(value), path.join('.'));
  const lo = minRaw(f);
  const hi = maxRaw(f);
  const scaledNum = f.frac >= 0 ? num << BigInt(f.frac) : num;
  const scaledDen = f.frac >= 0 ? den : den << BigInt(-f.frac);
  if (scaledNum > hi * scaledDen || scaledNum < lo * scaledDen) {
    configError(`${what} ${value} does not fit ${formatName(f)} (range ${rawToDecimal(lo, f.frac)} .. ${rawToDecimal(hi, f.frac)})`, path);
  }
}

export function buildDatapath(cfg: DatapathConfig, model: ModelConfig): Datapath {
  const d = cfg.defaults ?? {};
  const defaults: CastModes = { rounding: d.rounding ?? 'TRN', overflow: d.overflow ?? 'WRAP', nBits: d.n_bits ?? 0 };
  if (cfg.layers.length !== model.layers.length) {
    configError(`the config has ${cfg.layers.length} layers but the model has ${model.layers.length}`, ['layers']);
  }
  const inputFormat = cfg.input.format.format;
  if (cfg.input.range) {
    const [lo, hi] = cfg.input.range;
    if (lo > hi) configError(`input range [${lo}, ${hi}] is empty`, ['input', 'range']);
    checkHolds(lo, inputFormat, 'input range bound', ['input', 'range', 0]);
    checkHolds(hi, inputFormat, 'input range bound', ['input', 'range', 1]);
  }

  let current = inputFormat;
  let fanIn = model.inputs;
  const layerNames = new Map<string, number>();
  const unitNames = new Set<string>();
  const layers: LayerPath[] = cfg.layers.map((layer, li) => {
    const lp: Path = ['layers', li];
    const size = model.layers[li].size;
    const name = layer.name ?? model.layers[li].name ?? `L${li}`;
    const register = (r: NonNullable<typeof layer.bias>, path: Path): Register => {
      const modes = resolveModes({ overflow: r.overflow, n_bits: r.n_bits }, r.format, defaults);
      if (modes.overflow === 'WRAP_SM' && !r.format.format.signed) configError('WRAP_SM overflow is defined for signed formats only', [...path, 'overflow']);
      if (modes.nBits > r.format.format.width) configError(`n_bits ${modes.nBits} exceeds the format width ${r.format.format.width}`, [...path, 'n_bits']);
      return { format: r.format.format, overflow: modes.overflow, nBits: modes.nBits };
    };
    const weights = register(layer.weights, [...lp, 'weights']);
    const bias = layer.bias && register(layer.bias, [...lp, 'bias']);
    const [first, ...rest] = layer.units;
    if (first.kind !== 'mac') configError(`the first unit of a layer must be a mac, got ${first.kind}`, [...lp, 'units', 0, 'kind']);
    const layerInput = current;
    // the accumulator's frac must be the term's (growth.ts product rule): say so at the acc key
    const term = first.product?.format.format ?? productFormat(weights.format, layerInput);
    if (first.acc.format.frac !== term.frac) {
      configError(`accumulator ${formatName(first.acc.format)} has ${first.acc.format.frac} fraction bits but the ${first.product ? 'product format' : `product w*x (${formatName(weights.format)} x ${formatName(layerInput)})`} has ${term.frac}; make them equal (narrow with a product format or a shift unit)`, [...lp, 'units', 0, 'acc']);
    }
    const mac = located([...lp, 'units', 0], () => {
      const accModes = resolveModes({ overflow: first.overflow, n_bits: first.n_bits }, first.acc, defaults);
      return new MacArray({
        name: first.name ?? `${name}.mac`,
        input: layerInput,
        weight: weights.format,
        acc: first.acc.format,
        accOverflow: accModes.overflow,
        accNBits: accModes.nBits,
        product: first.product && { format: first.product.format.format, modes: resolveModes(first.product, first.product.format, defaults) },
        bias: bias?.format,
      });
    });
    current = mac.ports.output;
    const post = rest.map((u, ui) => {
      const up: Path = [...lp, 'units', ui + 1];
      const input = current;
      let unit: ShiftUnit | ActivationUnit | SoftmaxUnit;
      if (u.kind === 'mac') configError('only the first unit of a layer may be a mac', [...up, 'kind']);
      else if (u.kind === 'shift') {
        unit = located(up, () => new ShiftUnit({ name: u.name ?? `${name}.shift${ui + 1}`, input, shift: u.by, output: u.output.format, modes: resolveModes(u, u.output, defaults) }));
      } else if (u.kind === 'softmax') {
        if (li !== cfg.layers.length - 1 || ui !== rest.length - 1) configError('a softmax unit must be the last unit of the last layer', [...up, 'kind']);
        unit = located(up, () => new SoftmaxUnit({
          name: u.name ?? `${name}.softmax`, input, output: u.output.format, modes: resolveModes(u, u.output, defaults), log2eFrac: u.log2e_frac, expFrac: u.exp_frac,
        }));
      } else {
        const def = ACTIVATIONS[u.function];
        const parsed = def.params.safeParse(u.params ?? {});
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const keys = (issue as { keys?: string[] }).keys;
          configError(`${u.function} params: ${issue.message}`, [...up, 'params', ...(issue.path as (string | number)[]), ...(keys ? [keys[0]] : [])]);
        }
        unit = located(up, () => new ActivationUnit({
          name: u.name ?? `${name}.${u.function}`,
          def,
          params: parsed.data as Record<string, unknown>,
          input,
          output: u.output?.format ?? input,
          modes: resolveModes(u, u.output, defaults),
        }));
      }
      current = unit.ports.output;
      return unit;
    });
    // names become file and tensor names: one each, and a unit's `<layer>.` prefix is its layer's
    if (layerNames.has(name)) configError(`layer name '${name}' is already layer ${layerNames.get(name)}'s: names must differ (they name files and tensors)`, layer.name !== undefined ? [...lp, 'name'] : ['model', 'layers', li, 'name']);
    layerNames.set(name, li);
    [mac, ...post].forEach((u, ui) => {
      const at: Path = [...lp, 'units', ui, 'name'];
      const dot = u.name.indexOf('.');
      if (dot >= 0 && u.name.slice(0, dot) !== name) configError(`unit name '${u.name}': the part before the dot must be this layer's name '${name}'`, at);
      if (unitNames.has(u.name)) configError(`unit name '${u.name}' is used twice: names must differ (they name counters and tensors)`, at);
      unitNames.add(u.name);
    });
    const out: LayerPath = { index: li, name, fanIn, size, weights, bias, mac, post, input: layerInput, output: current };
    fanIn = size;
    return out;
  });

  if (cfg.training) {
    // cross-entropy through the softmax: delta = target - p, which needs a softmax output, and only it
    const lastUnits = cfg.layers[cfg.layers.length - 1].units;
    const softmaxOut = lastUnits[lastUnits.length - 1].kind === 'softmax';
    const { loss } = cfg.training;
    if (loss === 'softmax_ce' && !softmaxOut) configError('loss softmax_ce needs a softmax unit as the last unit of the last layer', ['training', 'loss']);
    if (loss !== 'softmax_ce' && softmaxOut) configError('softmax output trains with loss: softmax_ce', ['training', 'loss']);
    if (softmaxOut && (cfg.training.target ?? 1) !== 1) configError('softmax_ce trains toward one-hot probabilities: the target must be 1', ['training', 'target']);
  }
  const target = cfg.training ? (cfg.training.target ?? 1) : undefined;
  if (target !== undefined) {
    const lastPath: Path = ['layers', layers.length - 1, 'units', cfg.layers[cfg.layers.length - 1].units.length - 1];
    checkHolds(target, layers[layers.length - 1].output, 'the training target', lastPath);
  }
  // STOCH draws from this; the default is the documented 32-bit maximal-length LFSR, seed 1
  const r = cfg.random ?? { kind: 'lfsr' as const, width: DEFAULT_LFSR_WIDTH, seed: 1, taps: undefined };
  const random: RandomConfig = r.kind === 'lfsr' ? { kind: 'lfsr', width: r.width, taps: r.taps, seed: r.seed } : { kind: 'xoshiro128ss', seed: r.seed };
  located(['random'], () => makeRandomSource(random));
  return {
    name: cfg.name ?? model.name ?? 'datapath',
    description: cfg.description,
    input: { format: inputFormat, range: cfg.input.range, rounding: cfg.input.rounding ?? defaults.rounding },
    random,
    layers,
    model,
    defaults,
    lrShift: cfg.training?.lr_shift,
    target,
  };
}
