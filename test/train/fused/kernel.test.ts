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

const arbFormat = (signed: fc.Arbitrary<boolean>, width: fc.Arbitrary<number>, frac: (w: number) => fc.Arbitrary<number>) =>
  fc.tuple(signed, width).chain(([s, w]) => frac(s ? w : Math.min(w, 63)).map((f) => makeFormat(s, s ? w : Math.min(w, 63), f)));

const arbCase: fc.Arbitrary<Case> = fc
  .record({
    rows: fc.integer({ min: 1, max: 11 }),
    features: fc.integer({ min: 1, max: 5 }),
    xF: arbFormat(fc.boolean(), fc.integer({ min: 2, max: 64 }), (w) => fc.integer({ min: 0, max: Math.min(w, 30) })),
    wF: arbFormat(fc.constant(true), fc.integer({ min: 2, max: 64 }), (w) => fc.integer({ min: 0, max: Math.min(w, 30) })),
    accWidth: fc.integer({ min: 2, max: 64 }),
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
      rounding: fc.constantFrom(...DET_QUANT_MODES),
      product: fc.option(fc.record({ width: fc.integer({ min: 2, max: 64 }), overflow: fc.constantFrom(...OVERFLOWS) })),
    }),
    weightOverflow: fc.constantFrom(...OVERFLOWS),
  })
  .chain((c) => fc.record({
    wSeed: fc.array(arbRaw(c.wF), { minLength: c.rows * c.features, maxLength: c.rows * c.features }),
    xSeed: fc.array(arbRaw(c.xF), { minLength: 4 * c.features, maxLength: 4 * c.features }),
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

describe('fused kernel == BigInt reference on random one-layer datapaths', () => {
  it('same hits, delta statistics, active neurons, weights and event counters', () => {
    let compared = 0;
    fc.assert(
      fc.property(arbCase, (c) => {
        const text = configOf(c);
        const ref = text && planOf(text);
        const fused = text && planOf(text);
        if (!ref || !fused || typeof kernelSpec(fused) === "string") return;
        compared++;
        // a SAT_SYM register never holds its most negative code (every write saturates it away)
        const wMin = minRaw(c.wF);
        if (c.weightOverflow === 'SAT_SYM') c.wSeed = c.wSeed.map((w) => (w === wMin ? w + 1n : w));
        const samples = rawSamples(c.xSeed, Uint8Array.from(c.labels), c.features, c.rows);
        const refState: LayerState[] = [{ w: [...c.wSeed] }];
        const kernel = FusedTrainer.open(fused, samples, [{ w: [...c.wSeed] }]);
        expect(typeof kernel).not.toBe('string');
        const k = kernel as FusedTrainer;
        const scale = 2 ** -ref.layers[0].deltaFormat.frac;
        for (let step = 0; step < 6; step++) {
          const s = step % 4;
          const label = c.labels[s];
          const { fwd, bwd } = referenceOnly(() => trainStep(ref, refState, samples.input(s), label));
          expect(k.step(s, label)).toBe(argmax(fwd.outputs[0]) === label ? 1 : 0);
          let sum = 0, sq = 0, zero = 0;
          for (const d of bwd.deltas[0]) {
            const v = Number(d) * scale;
            sum += v; sq += v * v;
            if (v === 0) zero++;
          }
          expect([k.deltaSum, k.deltaSq, k.deltaZero]).toEqual([sum, sq, zero]);
          const active = new Uint8Array(c.rows);
          k.takeActive(active);
          expect(Array.from(active)).toEqual(toBigVec(fwd.outputs[0]).map((v) => (v !== 0n ? 1 : 0)));
        }
        k.syncCounters();
        expect(toBigVec(k.weights())).toEqual(toBigVec(refState[0].w));
        expect(snapshotEvents(fused)).toEqual(snapshotEvents(ref));
      }),
      { numRuns: 300 },
    );
    // the generator must mostly produce datapaths the kernel takes, or this test proves little
    expect(compared).toBeGreaterThan(150);
  }, 120_000);
});
