/**
 * `npm run bench`: fast kernels vs the BigInt reference, in one process so the ratios are
 * comparable on a noisy machine. Each case first checks fast == reference on its data.
 */
import { castRef } from '../core/cast.ts';
import { castFast, castVectorFast, overflowPlan } from '../core/fast.ts';
import { castFitsFast } from '../core/exact.ts';
import { makeFormat, type Format } from '../core/format.ts';
import type { OverflowMode, QuantMode } from '../core/modes.ts';
import { Xoshiro128ss } from '../core/random.ts';
import { MacArray } from '../units/mac.ts';
import { isFastVec, toBigVec } from '../units/vec.ts';
import { prepareTraining } from '../train/run.ts';
import { fusedKernel } from '../train/fused/kernel.ts';
import { train } from '../train/trainer.ts';
import { mnistDataDir } from '../data/mnist.ts';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const quick = process.argv.includes('--quick');

/** Build and run the study's loop in plain C++ (shared/peers/seed_native.cpp) on the same machine, same run. */
function runNative(steps: number): TrainRow[] | undefined {
  const src = fileURLToPath(new URL('../../../shared/peers/seed_native.cpp', import.meta.url));
  if (!existsSync(src)) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'fxsim-bench-'));
  const bin = join(dir, 'seed_native');
  try {
    execFileSync('g++', ['-O3', '-march=native', '-o', bin, src], { stdio: 'pipe' });
  } catch {
    return undefined;
  }
  const rows: TrainRow[] = [];
  for (const sparse of [0, 1]) {
    const outText = execFileSync(bin, [mnistDataDir(), '20', '10', String(steps), String(sparse)], { encoding: 'utf8' });
    const m = /([\d.]+) us\/sample acc=([\d.]+)/.exec(outText);
    if (m) rows.push({ name: `C++ -O3 int64 (${sparse ? 'sparse' : 'dense'})`, steps, us: Number(m[1]), acc: `last 1000 ${(100 * Number(m[2])).toFixed(1)}%` });
  }
  return rows;
}

function timeIt(fn: () => void, minMs = quick ? 150 : 600): number {
  fn(); // warm-up
  let reps = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < minMs) { fn(); reps++; t = performance.now(); }
  return (t - t0) / reps; // ms per call
}

/** Random raw values of f, limited to `valueBits` bits (data is usually far smaller than its register). */
function randomRaw(rng: Xoshiro128ss, f: Format, n: number, density = 1, valueBits = f.width): Float64Array {
  const out = new Float64Array(n);
  const bits = Math.min(f.width, valueBits, 52);
  const lo = f.signed ? -(2 ** (bits - 1)) : 0;
  for (let i = 0; i < n; i++) out[i] = rng.next32() / 2 ** 32 < density ? lo + Math.floor((rng.next32() / 2 ** 32) * 2 ** bits) : 0;
  return out;
}

const fmtRate = (perSec: number) => (perSec >= 1e9 ? `${(perSec / 1e9).toFixed(2)} G` : perSec >= 1e6 ? `${(perSec / 1e6).toFixed(1)} M` : `${(perSec / 1e3).toFixed(1)} k`);
const rows: string[][] = [];

function benchMac(label: string, x: Format, w: Format, acc: Format, ovf: OverflowMode, rows_: number, cols: number, density: number, xBits = x.width, wBits = w.width) {
  const rng = new Xoshiro128ss(7);
  const mac = new MacArray({ name: label, input: x, weight: w, acc, accOverflow: ovf });
  const wv = randomRaw(rng, w, rows_ * cols, 1, wBits);
  const xv = randomRaw(rng, x, cols, density, xBits);
  const fast = mac.run(wv, rows_, cols, xv);
  const ref = mac.runRef(toBigVec(wv), rows_, cols, toBigVec(xv));
  const same = toBigVec(fast).every((v, i) => v === ref[i]);
  if (!same) throw new Error(`bench ${label}: fast != reference`);
  const macs = rows_ * cols;
  const tf = timeIt(() => mac.run(wv, rows_, cols, xv));
  const wb = toBigVec(wv), xb = toBigVec(xv);
  const tr = timeIt(() => mac.runRef(wb, rows_, cols, xb));
  rows.push([`MAC ${label}`, `${rows_}x${cols}, ${Math.round(density * 100)}% nz`, isFastVec(fast) ? 'fast' : 'ref', `${fmtRate(macs / (tf / 1e3))}MAC/s`, `${fmtRate(macs / (tr / 1e3))}MAC/s`, `${(tr / tf).toFixed(0)}x`]);
}

function benchCast(label: string, from: Format, to: Format, rounding: QuantMode, overflow: OverflowMode) {
  const n = 100_000;
  const rng = new Xoshiro128ss(11);
  const xs = randomRaw(rng, from, n);
  const modes = { rounding, overflow, nBits: 0 };
  const plan = overflowPlan(to, overflow, 0);
  if (!castFitsFast(from, to)) throw new Error('bench cast must be fast-eligible');
  const out = new Float64Array(n);
  const bx = toBigVec(xs);
  for (let i = 0; i < n; i++) if (BigInt(castFast(xs[i], from, plan, to, modes)) !== castRef(bx[i], from, to, modes)) throw new Error(`bench ${label}: fast != reference`);
  castVectorFast(xs, out, from.frac - to.frac, modes, plan);
  for (let i = 0; i < n; i++) if (BigInt(out[i]) !== castRef(bx[i], from, to, modes)) throw new Error(`bench ${label}: vector fast != reference`);
  const tf = timeIt(() => castVectorFast(xs, out, from.frac - to.frac, modes, plan));
  const tr = timeIt(() => { for (let i = 0; i < n; i++) castRef(bx[i], from, to, modes); });
  rows.push([`quantize ${label}`, `${n} values`, 'fast', `${fmtRate(n / (tf / 1e3))}val/s`, `${fmtRate(n / (tr / 1e3))}val/s`, `${(tr / tf).toFixed(0)}x`]);
}

const s = (w: number, f: number) => makeFormat(true, w, f);
benchMac('int8xint8->int32 SAT', s(8, 7), s(8, 7), s(32, 14), 'SAT', 128, 784, 1);
// the study: 64-bit registers, but x <= 2^20 and |w| of a few thousand LSBs, so the data proves the fast path
benchMac('study F=20, 64b regs', s(64, 20), s(64, 20), s(64, 40), 'WRAP', 10, 784, 0.19, 21, 14);
benchMac('16b x 16b -> 40b SAT', s(16, 10), s(16, 10), s(40, 20), 'SAT', 10, 784, 1);
benchCast('s32.16 -> s8.4 RND_CONV SAT', s(32, 16), s(8, 4), 'RND_CONV', 'SAT');
benchCast('s48.30 -> s16.8 TRN WRAP', s(48, 30), s(16, 8), 'TRN', 'WRAP');

// ---- training: µs per sample through the units, and the study's loop in plain C++ for scale
interface TrainRow { name: string; steps: number; us: number; acc: string }
const trainRows: TrainRow[] = [];
function benchTrain(label: string, config: string, steps: number, sets: string[] = [], fused = true) {
  const { plan, data } = prepareTraining({ config, steps, sets: ['training.test_samples=0', `training.metrics_every=${steps}`, ...sets] });
  fusedKernel.enabled = fused;
  const r = train(plan, data);
  fusedKernel.enabled = true;
  trainRows.push({ name: `${label} [${r.backend}]`, steps, us: r.usPerSample, acc: `running ${(100 * r.runningAccuracy).toFixed(1)}%` });
}
const studySteps = quick ? 20000 : 100000;
benchTrain('study 784-10 ReLU F=20 lr 2^-10', 'configs/study/mnist-f20-lr10.yaml', studySteps);
benchTrain('study 784-10 ReLU F=20 lr 2^-10', 'configs/study/mnist-f20-lr10.yaml', quick ? 5000 : 20000, [], false);
// a diverging point of the sweep: weights pass 2^64 and wrap, products need 128 bits
benchTrain('study F=30 lr 2^-3 (diverging)', 'configs/study/mnist-f20-lr10.yaml', quick ? 5000 : 20000, ['params.F=30', 'training.lr_shift=3']);
// stochastic rounding of the update: 7840 draws of 30 bits per step from the default 32-bit LFSR
benchTrain('study F=20 STOCH update, 32-bit LFSR', 'configs/study/mnist-f20-lr10.yaml', quick ? 5000 : 20000, ['training.update.rounding=STOCH']);
benchTrain('MLP 784-128-10 ReLU F=16', 'configs/mlp/mnist-784-128-10.yaml', quick ? 2000 : 10000);
const native = runNative(quick ? 20000 : 100000);

const head = ['case', 'size', 'path', 'fast', 'BigInt reference', 'speed-up'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
console.log(`fxsim bench (node ${process.version}, single thread${quick ? ', --quick' : ''})`);
console.log(line(head));
for (const r of rows) console.log(line(r));
console.log('');
console.log('training, single thread (sample loop only; data loading excluded)');
for (const r of trainRows) console.log(`  ${r.name.padEnd(44)} ${String(r.steps).padStart(6)} steps  ${r.us.toFixed(2).padStart(7)} µs/sample  ${r.acc}`);
if (native) {
  for (const n of native) console.log(`  ${n.name.padEnd(44)} ${String(n.steps).padStart(6)} steps  ${n.us.toFixed(2).padStart(7)} µs/sample  ${n.acc}`);
  const dense = native.find((n) => n.name.includes('dense'));
  if (dense) console.log(`  fxsim study / C++ dense: ${(trainRows[0].us / dense.us).toFixed(2)}x`);
} else console.log('  (C++ peer skipped: needs g++ and ../shared/peers/seed_native.cpp)');
