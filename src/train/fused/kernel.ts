import { readFileSync } from 'node:fs';
import { addCounters, newCounters, type EventCounters } from '../../core/events.ts';
import type { RawVec } from '../../units/vec.ts';
import type { SampleCsr, SampleSource } from '../data.ts';
import type { TrainPlan } from '../plan.ts';
import type { LayerState } from '../step.ts';
import { kernelSpec, type KernelFormat, type KernelSpec } from './eligibility.ts';
import { COUNTER_BYTES, COUNTER_KEYS, FORMAT_BYTES, HEADER, HEADER_BYTES, LFSR_TABLE_BYTES, RNG_BYTES, RNG_KIND, RUN_CHUNK, STATS_BYTES, UNIT_BYTES } from './layout.ts';
import { Lfsr, Xoshiro128ss } from '../../core/random.ts';
import { jumpPowerBytes, jumpPowersFor, jumpTables, lfsrBlockTable, lfsrSource, xoshiroSource, type BlockSource } from './rng-jump.ts';

/** The little of the WebAssembly API used here (this project's TypeScript libs do not declare it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
const Wasm = (globalThis as unknown as {
  WebAssembly: { Module: new (bytes: Uint8Array) => object; Instance: new (module: object) => { exports: unknown } };
}).WebAssembly;

interface KernelExports {
  memory: WasmMemory;
  run(k0: number, count: number): void;
  infer(start: number, end: number): number;
  rescan(): void;
}

/** Where a run's samples live in kernel memory: sample k of `order` at [offsets[k], offsets[k + 1]). */
interface DataRegion {
  offsets: Int32Array;
  pos: number;
  code: number;
  codeWidth: 1 | 4;
  table: number;
  /** Entries in the table (its f64 copy follows it). */
  tableLength: number;
  /** Offsets and labels in kernel memory (i32, in the same order). */
  offsetsPtr: number;
  labelsPtr: number;
  /** First byte after the region. */
  end: number;
}

/** Switch: off, training goes through the units one by one (`fxsim train --no-fused`, FXSIM_FUSED=0). */
export const fusedKernel = { enabled: process.env.FXSIM_FUSED !== '0' };

/** The layer region sits below DATA_BASE; the samples of the current run above it. */
const DATA_BASE = 64 << 20;
const PAGE = 65536;

let shared: { exports: KernelExports } | undefined;

function instance(): NonNullable<typeof shared> {
  if (!shared) {
    const bytes = readFileSync(new URL('./sgd64.wasm', import.meta.url));
    const exports = new Wasm.Instance(new Wasm.Module(bytes)).exports as unknown as KernelExports;
    shared = { exports };
  }
  return shared;
}

function ensure(mem: WasmMemory, bytes: number): void {
  const need = Math.ceil(bytes / PAGE) - mem.buffer.byteLength / PAGE;
  if (need > 0) mem.grow(need);
}

const align8 = (n: number) => (n + 7) & ~7;

/**
 * Copy samples into kernel memory in the order they will be used (a training run's
 * permutation): one step reads the next stretch of memory, which the hardware prefetches, where
 * a random sample's CSR would cost a cache miss per line. Positions as u16, byte codes as u8.
 */
function layOutSamples(csr: SampleCsr, order: ArrayLike<number>, at: number, label: (i: number) => number): DataRegion {
  const k = instance();
  const n = order.length;
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i] + csr.offsets[order[i] + 1] - csr.offsets[order[i]];
  const total = offsets[n];
  const codeWidth = csr.codes instanceof Uint8Array ? 1 : 4;
  const pos = align8(at);
  const code = align8(pos + total * 2);
  const table = align8(code + total * codeWidth);
  const offsetsPtr = align8(table + 2 * csr.table.length * 8); // the table, then its f64 copy
  const labelsPtr = align8(offsetsPtr + (n + 1) * 4);
  const end = align8(labelsPtr + n * 4);
  ensure(k.exports.memory, end);
  const buf = k.exports.memory.buffer;
  const p16 = new Uint16Array(buf, pos, total);
  const codes = codeWidth === 1 ? new Uint8Array(buf, code, total) : new Int32Array(buf, code, total);
  for (let i = 0; i < n; i++) {
    const a = csr.offsets[order[i]], b = csr.offsets[order[i] + 1];
    p16.set(csr.positions.subarray(a, b), offsets[i]);
    codes.set(csr.codes.subarray(a, b), offsets[i]);
  }
  const t = new BigInt64Array(buf, table, csr.table.length);
  for (let i = 0; i < csr.table.length; i++) t[i] = BigInt(csr.table[i]);
  new Float64Array(buf, table + csr.table.length * 8, csr.table.length).set(Array.from(csr.table, Number));
  new Int32Array(buf, offsetsPtr, n + 1).set(offsets);
  const labels = new Int32Array(buf, labelsPtr, n);
  for (let i = 0; i < n; i++) labels[i] = label(order[i]);
  return { offsets, pos, code, codeWidth, table, tableLength: csr.table.length, offsetsPtr, labelsPtr, end };
}

/** Bits b with |v| < 2^b over a table of exact integers. */
function tableBits(table: Float64Array | bigint[]): number {
  let or = 0n;
  for (const v of table) {
    const b = BigInt(v);
    or |= b < 0n ? -b : b;
  }
  return or.toString(2).length - (or === 0n ? 1 : 0);
}

/**
 * Online SGD of a one-layer plan in the fused WebAssembly kernel (sgd64.wat): every step in
 * exact 64/128-bit integers, the same bits and event counters as the units. `open` says why
 * not (a string) for plans or data it does not cover; the caller then trains through the units.
 */
export class FusedTrainer {
  private readonly k = instance();
  private view!: { dv: DataView; stats: Float64Array; active: Uint8Array; w: BigInt64Array; hits: Uint8Array };
  private layout = { w: 0, units: 0, macCtr: 0, deltaCtr: 0, updateCtr: 0, stats: 0, active: 0, hits: 0 };
  private steps = 0;
  private inferences = 0;
  private region!: DataRegion;
  private trainRegion!: DataRegion;
  private trainBits = 0;

  private constructor(private readonly plan: TrainPlan, private readonly spec: KernelSpec) {}

  /**
   * The kernel for this plan, the training samples in `order` (step k uses order[k mod n]) and
   * the initial weights; or why not.
   */
  static open(plan: TrainPlan, train: SampleSource, state: LayerState[], order: ArrayLike<number>): FusedTrainer | string {
    const spec = kernelSpec(plan);
    if (typeof spec === 'string') return spec;
    if (!train.csr) return 'samples without a CSR';
    if (spec.cols > 65536) return 'more than 65536 inputs';
    const t = new FusedTrainer(plan, spec);
    if (!t.layOut()) return 'a layer too large for the kernel';
    t.trainRegion = layOutSamples(train.csr(), order, DATA_BASE, (i) => train.label(i));
    t.trainBits = tableBits(train.csr().table);
    t.useRegion(t.trainRegion, t.trainBits);
    t.loadWeights(state[0].w);
    return t;
  }

  /** Header, descriptors, counters, units, weights and scratch, from address 0. */
  private layOut(): boolean {
    const { spec } = this;
    const { rows, cols } = spec;
    let at = HEADER_BYTES;
    const take = (n: number) => { const p = at; at = align8(at + n); return p; };
    const accFmt = take(FORMAT_BYTES), macCtr = take(COUNTER_BYTES);
    const units = take(UNIT_BYTES * spec.post.length);
    const deltaFmt = take(FORMAT_BYTES), deltaCtr = take(COUNTER_BYTES);
    const productFmt = take(FORMAT_BYTES), wFmt = take(FORMAT_BYTES), updateCtr = take(COUNTER_BYTES);
    const stats = take(STATS_BYTES), active = take(rows), hits = take(RUN_CHUNK);
    // the random source's jump tables, sized for the longest skip a step can make (every draw)
    const r = spec.random;
    const lfsr = r?.kind === 'lfsr' ? new Lfsr(r.width, r.taps, r.seed) : undefined;
    const source: BlockSource | undefined = lfsr ? lfsrSource(lfsr.width, lfsr.taps) : r && xoshiroSource;
    const powers = source ? jumpPowersFor(rows * cols * spec.update.shift, lfsr ? lfsr.width : 32) : 0;
    const rng = take(RNG_BYTES), lfsrTable = take(LFSR_TABLE_BYTES), xd = take(cols * 8);
    const jumps = take(source ? powers * jumpPowerBytes(source) : 0);
    const xi = take(cols * 4), xv = take(cols * 8), xvf = take(cols * 8);
    const acc = take(rows * 8), pre = take(rows * 8), out = take(rows * 8), delta = take(rows * 8);
    const w = take(rows * cols * 8);
    take(rows * cols * 8); // the weights' f64 mirror, right after them
    if (at > DATA_BASE) return false;
    ensure(this.k.exports.memory, DATA_BASE);
    new Uint8Array(this.k.exports.memory.buffer, 0, at).fill(0);
    this.refreshViews(w, stats, active);
    const dv = this.view.dv;
    const i32 = (o: number, v: number) => dv.setInt32(o, v, true);
    const i64 = (o: number, v: bigint) => dv.setBigInt64(o, v, true);
    const fmt = (o: number, f: KernelFormat) => { i64(o, f.lo); i64(o + 8, f.hi); i32(o + 16, f.width); i32(o + 20, f.signed ? 1 : 0); i32(o + 24, f.overflow); };
    i32(HEADER.W, w); i32(HEADER.ROWS, rows); i32(HEADER.COLS, cols);
    i32(HEADER.XI, xi); i32(HEADER.XV, xv); i32(HEADER.ACC, acc); i32(HEADER.PRE, pre); i32(HEADER.OUT, out); i32(HEADER.DELTA, delta);
    i32(HEADER.N_POST, spec.post.length); i32(HEADER.ACT_AT, spec.activationAt);
    fmt(accFmt, spec.acc); i32(HEADER.ACC_FMT, accFmt); i32(HEADER.MAC_CTR, macCtr); i32(HEADER.UNITS, units);
    spec.post.forEach((u, i) => {
      const b = units + i * UNIT_BYTES;
      i32(b, u.kind); i32(b + 4, u.k); i32(b + 8, u.rounding); fmt(b + 16, u.format); i64(b + 96, u.slope); i32(b + 104, u.slopeFrac);
    });
    fmt(deltaFmt, spec.delta.format); i32(HEADER.DELTA_FMT, deltaFmt); i32(HEADER.DELTA_CTR, deltaCtr);
    i32(HEADER.DELTA_K, spec.delta.k); i32(HEADER.DELTA_MODE, spec.delta.rounding);
    const up = spec.update;
    i32(HEADER.HAS_PRODUCT, up.product ? 1 : 0);
    if (up.product) fmt(productFmt, up.product);
    i32(HEADER.PRODUCT_FMT, productFmt); i32(HEADER.UPDATE_SHIFT, up.shift); i32(HEADER.UPDATE_MODE, up.rounding);
    fmt(wFmt, up.weights); i32(HEADER.W_FMT, wFmt); i32(HEADER.UPDATE_CTR, updateCtr);
    i32(HEADER.DERIV_KIND, spec.derivKind); i64(HEADER.TARGET, spec.target); i64(HEADER.SLOPE, spec.slope); i32(HEADER.SLOPE_FRAC, spec.slopeFrac);
    i32(HEADER.STATS, stats); i32(HEADER.ACC_MAG, spec.accMagnitudeBits); dv.setFloat64(HEADER.DELTA_SCALE, spec.deltaScale, true);
    i32(HEADER.RNG, rng); i32(HEADER.XD, xd);
    if (r && source) {
      // a fresh source, as the units' path makes one per run: nothing drawn yet
      i32(rng + 36, jumps); i32(rng + 40, powers);
      new Uint32Array(this.k.exports.memory.buffer, jumps, (powers * jumpPowerBytes(source)) / 4).set(jumpTables(source, powers));
      if (r.kind === 'xoshiro128ss') {
        i32(HEADER.RNG_KIND, RNG_KIND.xoshiro128ss);
        new Xoshiro128ss(r.seed).stateWords().slice(0, 4).forEach((w, k) => dv.setUint32(rng + 4 * k, w, true));
      } else if (lfsr) {
        i32(HEADER.RNG_KIND, RNG_KIND.lfsr);
        i32(rng + 24, lfsr.stateWords()[0]); i32(rng + 28, lfsr.width); i32(rng + 32, lfsrTable);
        new Uint32Array(this.k.exports.memory.buffer, lfsrTable, LFSR_TABLE_BYTES / 4).set(lfsrBlockTable(lfsr.width, lfsr.taps));
      }
    }
    i32(HEADER.HITS, hits); i32(HEADER.ACTIVE, active); i32(HEADER.WF_DELTA, rows * cols * 8); i32(HEADER.XVF, xvf);
    this.layout = { w, units, macCtr, deltaCtr, updateCtr, stats, active, hits };
    return true;
  }

  private refreshViews(w = this.layout.w, stats = this.layout.stats, active = this.layout.active): void {
    const buf = this.k.exports.memory.buffer;
    this.view = {
      dv: new DataView(buf),
      stats: new Float64Array(buf, stats, STATS_BYTES / 8),
      active: new Uint8Array(buf, active, this.spec.rows),
      w: new BigInt64Array(buf, w, this.spec.rows * this.spec.cols),
      hits: new Uint8Array(buf, this.layout.hits, RUN_CHUNK),
    };
  }

  /** Point the kernel at a sample region (the run's training samples, or test samples). */
  private useRegion(region: DataRegion, xBits: number): void {
    this.region = region;
    this.refreshViews();
    const dv = this.view.dv;
    dv.setInt32(HEADER.POS, region.pos, true);
    dv.setInt32(HEADER.CODE, region.code, true);
    dv.setInt32(HEADER.CODE_WIDTH, region.codeWidth, true);
    dv.setInt32(HEADER.TABLE, region.table, true);
    dv.setInt32(HEADER.TABLEF_DELTA, region.tableLength * 8, true);
    dv.setInt32(HEADER.X_BITS, xBits, true);
    dv.setInt32(HEADER.OFFSETS, region.offsetsPtr, true);
    dv.setInt32(HEADER.LABELS, region.labelsPtr, true);
    dv.setInt32(HEADER.N_SAMPLES, region.offsets.length - 1, true);
  }

  /** Row-major weights in, held transposed (input-major) so a MAC block's weights are adjacent. */
  private loadWeights(w: RawVec): void {
    const v = this.view.w;
    const { rows, cols } = this.spec;
    for (let o = 0; o < rows; o++) for (let i = 0; i < cols; i++) v[i * rows + o] = BigInt(w[o * cols + i]);
    this.k.exports.rescan();
  }

  /**
   * Steps k0 .. k0 + count - 1 (count <= RUN_CHUNK) in one call. `sums` holds the running delta
   * sum, sum of squares and zero count: the kernel adds each step's to them in step order.
   * Returns each step's hit (a view, valid until the next call).
   */
  run(k0: number, count: number, sums: Float64Array): Uint8Array {
    const st = this.view.stats;
    st[4] = sums[0]; st[5] = sums[1]; st[6] = sums[2];
    this.k.exports.run(k0, count);
    sums[0] = st[4]; sums[1] = st[5]; sums[2] = st[6];
    this.steps += count;
    return this.view.hits.subarray(0, count);
  }

  /** OR the neurons seen active since the last call into `into`, and clear them. */
  takeActive(into: Uint8Array): void {
    const a = this.view.active;
    for (let o = 0; o < a.length; o++) if (a[o]) into[o] = 1;
    a.fill(0);
  }

  /** Move the kernel's event counts into the units' counters (call before reading them). */
  syncCounters(): void {
    const { spec, layout, view } = this;
    const lt = this.plan.layers[0];
    const { rows, cols } = spec;
    const move = (at: number, into: EventCounters, values: number) => {
      const c = newCounters();
      COUNTER_KEYS.forEach((key, i) => {
        c[key] = Number(view.dv.getBigInt64(at + i * 8, true));
        view.dv.setBigInt64(at + i * 8, 0n, true);
      });
      c.values += values;
      addCounters(into, c);
    };
    const fwd = this.steps + this.inferences;
    move(layout.macCtr, lt.layer.mac.counters, fwd * rows * cols);
    spec.post.forEach((u, i) => move(layout.units + i * UNIT_BYTES + 48, u.unit.counters, fwd * rows));
    move(layout.deltaCtr, lt.delta.counters, this.steps * rows);
    move(layout.updateCtr, lt.update.counters, this.steps * rows * cols);
    // a STOCH update draws for every weight, every step
    if (spec.random) lt.update.counters.stochasticDraws += this.steps * rows * cols;
    this.steps = 0;
    this.inferences = 0;
  }

  /** The weights as the units hold them: numbers while every one is within 2^53, else BigInt. */
  weights(): RawVec {
    const v = this.view.w;
    const { rows, cols } = this.spec;
    const w = new Array<bigint>(v.length);
    let small = true;
    for (let o = 0; o < rows; o++) {
      for (let i = 0; i < cols; i++) {
        const x = v[i * rows + o];
        w[o * cols + i] = x;
        if (x > 9007199254740992n || x < -9007199254740992n) small = false;
      }
    }
    return small ? Float64Array.from(w, Number) : w;
  }

  /** Integer inference on the first n samples of src; fraction classified right. */
  evaluate(src: SampleSource, n: number): number | undefined {
    if (!src.csr) return undefined;
    const csr = src.csr();
    const region = layOutSamples(csr, Int32Array.from({ length: n }, (_, i) => i), this.trainRegion.end, (i) => src.label(i));
    this.useRegion(region, tableBits(csr.table));
    const off = region.offsets;
    let hits = 0;
    for (let i = 0; i < n; i++) if (this.k.exports.infer(off[i], off[i + 1]) === src.label(i)) hits++;
    this.inferences += n;
    this.useRegion(this.trainRegion, this.trainBits);
    return n ? hits / n : 0;
  }
}
