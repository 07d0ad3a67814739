/**
 * The fused WebAssembly kernel against the living definition (the units on BigInt), on random
 * one-layer datapaths: any register width up to 64 bits, every deterministic rounding mode,
 * every overflow mode the kernel takes, relu / linear / leaky ReLU, negative update shifts,
 * and raw values anywhere in their formats (the 64-bit extremes included, where products and
 * sums need 128 bits). After every step: the same classification, delta statistics and active
 * neurons; at the end the same weights and the same event counters in every unit.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.ts';
import { referenceOnly } from '../../../src/core/exact.ts';
import { makeFormat, maxRaw, minRaw, type Format } from '../../../src/core/format.ts';
import { makeRandomSource } from '../../../src/core/random.ts';
import { rawSamples } from '../../../src/train/data.ts';
import { kernelSpec } from '../../../src/train/fused/eligibility.ts';
import { FusedTrainer } from '../../../src/train/fused/kernel.ts';
import { buildTrainPlan, type TrainPlan } from '../../../src/train/plan.ts';
import { argmax, trainStep, type LayerState } from '../../../src/train/step.ts';
import { snapshotEvents } from '../../../src/train/trainer.ts';
import { toBigVec } from '../../../src/units/vec.ts';
import { DET_QUANT_MODES } from '../../helpers/arbitraries.ts';

const dir = mkdtempSync(join(tmpdir(), 'fxsim-fused-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const OVERFLOWS = ['WRAP', 'SAT', 'SAT_ZERO', 'SAT_SYM'] as const;
const spell = (f: Format) => `${f.signed ? 'fixed' : 'ufixed'}<${f.width},${f.width - f.frac}>`;

interface Case {
  rows: number;
  features: number;
  xF: Format;
  wF: Format;
  accWidth: number;
  accOverflow: string;
  shift: { k: number; width: number; rounding: string; overflow: string } | null;
  act: { fn: 'relu' | 'linear' | 'leaky_relu'; slopeShift: number; drop: number; extra: number; rounding: string; overflow: string } | null;
  delta: { extra: number; drop: number; rounding: string; overflow: string };
  update: { shift: number; rounding: string; product: { width: number; overflow: string } | null };
  weightOverflow: string;
  random: string;
  wSeed: bigint[];
  xSeed: bigint[];
  labels: number[];
}

/** A raw value of f: anywhere, or at / next to the ends of its range, or small. */
function arbRaw(f: Format): fc.Arbitrary<bigint> {
  const lo = minRaw(f), hi = maxRaw(f);
  return fc.oneof(
    fc.bigInt({ min: lo, max: hi }),
    fc.constantFrom(lo, hi, lo + 1n < hi ? lo + 1n : lo, hi - 1n > lo ? hi - 1n : hi, 0n),
    fc.bigInt({ min: lo > -1000n ? lo : -1000n, max: hi < 1000n ? hi : 1000n }),
  );
}

/** Register widths, with the ones the kernel's tiers turn on (64: the i64 tiers; 32 x 32: products that fit i64) often. */
const arbWidth = fc.oneof(fc.integer({ min: 2, max: 64 }), fc.constantFrom(64, 32, 31, 63));

/** A raw value of f within +-2^k. */
function arbSmall(f: Format, k: number): fc.Arbitrary<bigint> {
  const lo = minRaw(f) > -(1n << BigInt(k)) ? minRaw(f) : -(1n << BigInt(k));
  const hi = maxRaw(f) < 1n << BigInt(k) ? maxRaw(f) : 1n << BigInt(k);
  return fc.bigInt({ min: lo, max: hi });
}

const arbFormat = (signed: fc.Arbitrary<boolean>, width: fc.Arbitrary<number>, frac: (w: number) => fc.Arbitrary<number>) =>
  fc.tuple(signed, width).chain(([s, w]) => frac(s ? w : Math.min(w, 63)).map((f) => makeFormat(s, s ? w : Math.min(w, 63), f)));

/** An LFSR config line: width 2..32, the output stage plus any other taps, a non-zero seed. */
const arbLfsr = fc.integer({ min: 2, max: 32 }).chain((w) => fc.record({
  taps: fc.option(fc.uniqueArray(fc.integer({ min: 1, max: w - 1 }), { maxLength: 4 })),
  seed: fc.integer({ min: 1, max: 2 ** w - 1 }),
}).map(({ taps, seed }) => `random: { kind: lfsr, width: ${w}, seed: ${seed}${taps ? `, taps: [${[w, ...taps].join(', ')}]` : ''} }`));

const arbCase: fc.Arbitrary<Case> = fc
  .record({
    rows: fc.oneof(fc.integer({ min: 1, max: 11 }), fc.integer({ min: 8, max: 11 })), // 8 or more: the blocked MAC tiers
    features: fc.integer({ min: 1, max: 5 }),
    xF: arbFormat(fc.boolean(), arbWidth, (w) => fc.integer({ min: 0, max: Math.min(w, 30) })),
    wF: arbFormat(fc.constant(true), arbWidth, (w) => fc.integer({ min: 0, max: Math.min(w, 30) })),
    accWidth: arbWidth,
    accOverflow: fc.constantFrom(...OVERFLOWS),
    shift: fc.option(fc.record({ k: fc.integer({ min: 0, max: 63 }), width: fc.integer({ min: 4, max: 64 }), rounding: fc.constantFrom(...DET_QUANT_MODES), overflow: fc.constantFrom(...OVERFLOWS) })),
    act: fc.option(fc.record({
      fn: fc.constantFrom('relu' as const, 'linear' as const, 'leaky_relu' as const),
      slopeShift: fc.integer({ min: 1, max: 8 }),
      drop: fc.integer({ min: 0, max: 12 }),
      extra: fc.integer({ min: 2, max: 20 }),
      rounding: fc.constantFrom(...DET_QUANT_MODES),
      overflow: fc.constantFrom(...OVERFLOWS),
    })),
    delta: fc.record({ extra: fc.integer({ min: 2, max: 40 }), drop: fc.integer({ min: 0, max: 8 }), rounding: fc.constantFrom(...DET_QUANT_MODES), overflow: fc.constantFrom(...OVERFLOWS) }),
    update: fc.record({
      shift: fc.integer({ min: -20, max: 63 }),
      rounding: fc.constantFrom(...DET_QUANT_MODES, 'STOCH', 'STOCH'),
      product: fc.option(fc.record({ width: fc.integer({ min: 2, max: 64 }), overflow: fc.constantFrom(...OVERFLOWS) })),
    }),
    weightOverflow: fc.constantFrom(...OVERFLOWS),
    // the bits a STOCH update draws: the default 32-bit LFSR, one of any width with its own taps
    // and seed (the kernel jumps it a block at a time), or xoshiro128**
    random: fc.oneof(fc.constantFrom('', 'random: { kind: xoshiro128ss, seed: 3 }'), arbLfsr),
  })
  .chain((c) => fc.tuple(fc.constant(c), fc.option(fc.integer({ min: 1, max: 40 }), { freq: 2 })))
  // half the cases keep every value within 2^k: wide registers holding small numbers, the
  // common case in training (the kernel's check-free tiers)
  .chain(([c, k]) => fc.record({
    wSeed: fc.array(k === null ? arbRaw(c.wF) : arbSmall(c.wF, k), { minLength: c.rows * c.features, maxLength: c.rows * c.features }),
    xSeed: fc.array(k === null ? arbRaw(c.xF) : arbSmall(c.xF, k), { minLength: 4 * c.features, maxLength: 4 * c.features }),
    labels: fc.array(fc.integer({ min: 0, max: c.rows - 1 }), { minLength: 4, maxLength: 4 }),
  }).map((d) => ({ ...c, ...d })));

let n = 0;
/** The case as a config file (formats chained so every cast is legal); undefined when it cannot be one. */
function configOf(c: Case): string | undefined {
  const accFrac = c.xF.frac + c.wF.frac;
  const acc = makeFormat(true, c.accWidth, accFrac);
  let frac = accFrac;
  const units = [`      - { kind: mac, acc: "${spell(acc)}", overflow: ${c.accOverflow} }`];
  if (c.shift) {
    const k = Math.min(c.shift.k, accFrac); // keep the frac >= 0 (the target 1.0 must be representable)
    frac -= k;
    units.push(`      - { kind: shift, by: ${k}, output: "${spell(makeFormat(true, c.shift.width, frac))}", rounding: ${c.shift.rounding}, overflow: ${c.shift.overflow} }`);
  }
  let outFrac = frac;
  if (c.act) {
    const extra = c.act.fn === 'leaky_relu' ? c.act.slopeShift : 0;
    outFrac = frac + extra - Math.min(c.act.drop, frac + extra);
    const out = makeFormat(true, outFrac + c.act.extra, outFrac);
    if (out.width > 64) return undefined;
    const params = c.act.fn === 'leaky_relu' ? `, params: { shift: ${c.act.slopeShift} }` : '';
    units.push(`      - { kind: activation, function: ${c.act.fn}${params}, output: "${spell(out)}", rounding: ${c.act.rounding}, overflow: ${c.act.overflow} }`);
  } else if (!c.shift || c.shift.width < outFrac + 2) return undefined; // the target 1.0 must fit
  if (outFrac < 0 || outFrac > 40) return undefined;
  const derivFrac = c.act?.fn === 'leaky_relu' ? c.act.slopeShift : 0;
  const deltaFrac = outFrac + derivFrac - c.delta.drop;
  if (deltaFrac < -10) return undefined;
  const delta = makeFormat(true, Math.min(64, Math.max(2, deltaFrac + c.delta.extra)), deltaFrac);
  const lr = c.update.shift - (deltaFrac + c.xF.frac - c.wF.frac);
  const product = c.update.product ? `, product: { width: ${c.update.product.width}, overflow: ${c.update.product.overflow} }` : '';
  return [
    `name: fused-${++n}`,
    `model: { inputs: ${c.features}, layers: [{ size: ${c.rows} }] }`,
    `input: { format: "${spell(c.xF)}" }`,
    c.random,
    'layers:',
    `  - weights: { format: "${spell(c.wF)}", overflow: ${c.weightOverflow} }`,
    '    units:',
    ...units,
    'training:',
    `  lr_shift: ${lr}`,
    `  delta: { format: "${spell(delta)}", rounding: ${c.delta.rounding}, overflow: ${c.delta.overflow} }`,
    `  update: { rounding: ${c.update.rounding}${product} }`,
    '',
  ].join('\n');
}

function planOf(text: string): TrainPlan | undefined {
  const path = join(dir, `c${n}.yaml`);
  writeFileSync(path, text);
  try {
    const { config, datapath } = loadConfig(path);
    return buildTrainPlan(datapath, config.training!);
  } catch {
    return undefined; // a combination the config rules reject (e.g. the target does not fit)
  }
}

/** Train c both ways, step by step; false when c is not a datapath the kernel takes. */
function compare(c: Case): boolean {
  const text = configOf(c);
  const ref = text && planOf(text);
  const fused = text && planOf(text);
  if (!ref || !fused || typeof kernelSpec(fused) === 'string') return false;
        // a SAT_SYM register never holds its most negative code (every write saturates it away)
        const wMin = minRaw(c.wF);
        if (c.weightOverflow === 'SAT_SYM') c.wSeed = c.wSeed.map((w) => (w === wMin ? w + 1n : w));
        const samples = rawSamples(c.xSeed, Uint8Array.from(c.labels), c.features, c.rows);
        const rng = makeRandomSource(ref.datapath.random);
        const refState: LayerState[] = [{ w: [...c.wSeed] }];
        const kernel = FusedTrainer.open(fused, samples, [{ w: [...c.wSeed] }], [0, 1, 2, 3]);
        expect(typeof kernel).not.toBe('string');
        const k = kernel as FusedTrainer;
        const scale = 2 ** -ref.layers[0].deltaFormat.frac;
        for (let step = 0; step < 6; step++) {
          const s = step % 4;
          const label = c.labels[s];
          const { fwd, bwd } = referenceOnly(() => trainStep(ref, refState, samples.input(s), label, rng));
          const sums = new Float64Array(3); // this step's statistics alone: the kernel adds them to 0
          expect(k.run(step, 1, sums)[0]).toBe(argmax(fwd.outputs[0]) === label ? 1 : 0);
          let sum = 0, sq = 0, zero = 0;
          for (const d of bwd.deltas[0]) {
            const v = Number(d) * scale;
            sum += v; sq += v * v;
            if (v === 0) zero++;
          }
          expect(Array.from(sums)).toEqual([sum, sq, zero]);
          const active = new Uint8Array(c.rows);
          k.takeActive(active);
          expect(Array.from(active)).toEqual(toBigVec(fwd.outputs[0]).map((v) => (v !== 0n ? 1 : 0)));
        }
        k.syncCounters();
        expect(toBigVec(k.weights())).toEqual(toBigVec(refState[0].w));
        expect(snapshotEvents(fused)).toEqual(snapshotEvents(ref));
  return true;
}

describe('fused kernel == BigInt reference on random one-layer datapaths', () => {
  it('same hits, delta statistics, active neurons, weights and event counters', () => {
    let compared = 0;
    fc.assert(fc.property(arbCase, (c) => { if (compare(c)) compared++; }), { numRuns: 300 });
    // the generator must mostly produce datapaths the kernel takes, or this test proves little
    expect(compared).toBeGreaterThan(150);
  }, 120_000);

  it('the 64-bit WRAP tiers: blocked i64 checks, inline 128-bit products, a wrapping update product register', () => {
    // 31-bit x times 32-bit w at their extremes: every product fits i64 (tier 1), some sums
    // wrap the 64-bit accumulator, so rows get flagged and recounted
    const focused = fc.tuple(arbCase, fc.integer({ min: 8, max: 11 }), fc.integer({ min: 3, max: 5 }), fc.constantFrom(32, 40, 64)).chain(([c, rows, features, wWidth]) => {
      // w of 32 bits: products fit i64 (tier 1); wider: 128-bit products (tier 3 for WRAP)
      const xF = makeFormat(true, 31, 0), wF = makeFormat(true, wWidth, 0);
      const ends = (f: Format) => fc.constantFrom(minRaw(f), maxRaw(f), maxRaw(f) - 7n, minRaw(f) + 3n);
      return fc.record({
        wSeed: fc.array(ends(wF), { minLength: rows * features, maxLength: rows * features }),
        xSeed: fc.array(ends(xF), { minLength: 4 * features, maxLength: 4 * features }),
        labels: fc.array(fc.integer({ min: 0, max: rows - 1 }), { minLength: 4, maxLength: 4 }),
      }).map((d): Case => ({
        ...c, rows, features, xF, wF, accWidth: 64, accOverflow: 'WRAP', act: null,
        shift: { k: 0, width: 64, rounding: 'TRN', overflow: 'WRAP' },
        // numpy's int64 delta and update product: wide deltas, products wrapping in the register
        delta: { ...c.delta, drop: 0, extra: 64 },
        update: { ...c.update, rounding: c.update.rounding === 'RND_CONV' ? 'RND_CONV' : 'TRN', product: { width: 64, overflow: 'WRAP' } },
        ...d,
      }));
    });
    let compared = 0;
    fc.assert(fc.property(focused, (c) => { if (compare(c)) compared++; }), { numRuns: 60 });
    expect(compared).toBeGreaterThan(30);
  }, 120_000);

  it("the study's datapath with the small values of real training (the check-free update rows)", () => {
    // 64-bit registers everywhere, TRN updates: most products are small and many floor to 0 or -1
    const study = fc.tuple(arbCase, fc.integer({ min: 8, max: 11 }), fc.integer({ min: 2, max: 5 }), fc.integer({ min: 4, max: 24 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 2, max: 40 }))
      .chain(([c, rows, features, F, wBits, shift]) => {
        const f64 = makeFormat(true, 64, F);
        const x = fc.bigInt({ min: 0n, max: 1n << BigInt(F) });
        const w = fc.bigInt({ min: -(1n << BigInt(F + wBits)), max: 1n << BigInt(F + wBits) });
        return fc.record({
          wSeed: fc.array(w, { minLength: rows * features, maxLength: rows * features }),
          xSeed: fc.array(x, { minLength: 4 * features, maxLength: 4 * features }),
          labels: fc.array(fc.integer({ min: 0, max: rows - 1 }), { minLength: 4, maxLength: 4 }),
        }).map((d): Case => ({
          ...c, rows, features, xF: f64, wF: f64, accWidth: 64, accOverflow: 'WRAP', weightOverflow: 'WRAP',
          shift: { k: F, width: 64, rounding: 'TRN', overflow: 'WRAP' },
          act: { fn: 'relu', slopeShift: 1, drop: 0, extra: 64 - F, rounding: 'TRN', overflow: 'WRAP' },
          delta: { extra: 64 - F, drop: 0, rounding: 'TRN', overflow: 'WRAP' },
          update: { shift, rounding: c.update.rounding === 'STOCH' ? 'STOCH' : 'TRN', product: { width: 64, overflow: 'WRAP' } },
          ...d,
        }));
      });
    let compared = 0;
    fc.assert(fc.property(study, (c) => { if (compare(c)) compared++; }), { numRuns: 80 });
    expect(compared).toBe(80);
  }, 120_000);

  it('STOCH updates over wide sparse inputs: the draws of zero products jumped over, every source', () => {
    // many features, most inputs zero and rows often with delta 0: skips of thousands of bits,
    // which the kernel jumps by the tables of T^(2^p) (xoshiro128**, LFSRs of any width)
    const sparse = fc.tuple(arbCase, fc.integer({ min: 8, max: 11 }), fc.integer({ min: 30, max: 160 }), fc.integer({ min: 4, max: 20 }), fc.integer({ min: 1, max: 40 }), arbLfsr)
      .chain(([c, rows, features, F, shift, lfsr]) => {
        const f64 = makeFormat(true, 64, F);
        const x = fc.oneof({ weight: 4, arbitrary: fc.constant(0n) }, { weight: 1, arbitrary: fc.bigInt({ min: 1n, max: 1n << BigInt(F) }) });
        const w = fc.bigInt({ min: -(1n << BigInt(F + 4)), max: 1n << BigInt(F + 4) });
        return fc.record({
          wSeed: fc.array(w, { minLength: rows * features, maxLength: rows * features }),
          xSeed: fc.array(x, { minLength: 4 * features, maxLength: 4 * features }),
          labels: fc.array(fc.integer({ min: 0, max: rows - 1 }), { minLength: 4, maxLength: 4 }),
          random: fc.constantFrom('', 'random: { kind: xoshiro128ss, seed: 9 }', lfsr),
        }).map((d): Case => ({
          ...c, rows, features, xF: f64, wF: f64, accWidth: 64, accOverflow: 'WRAP', weightOverflow: 'WRAP',
          shift: { k: F, width: 64, rounding: 'TRN', overflow: 'WRAP' },
          act: { fn: 'relu', slopeShift: 1, drop: 0, extra: 64 - F, rounding: 'TRN', overflow: 'WRAP' },
          delta: { extra: 64 - F, drop: 0, rounding: 'TRN', overflow: 'WRAP' },
          update: { shift, rounding: 'STOCH', product: { width: 64, overflow: 'WRAP' } },
          ...d,
        }));
      });
    let compared = 0;
    fc.assert(fc.property(sparse, (c) => { if (compare(c)) compared++; }), { numRuns: 60 });
    expect(compared).toBe(60);
  }, 120_000);
});
