import { describe, expect, it } from 'vitest';
import { formatInspectTable, inspectDatapath, inspectJson, type InspectReport } from '../../src/config/inspect.ts';
import { loadConfig } from '../../src/config/load.ts';

/**
 * Static range analysis. Expected numbers are worked out by hand here and written literally.
 */

const report = (p: string, sets: string[] = []): InspectReport => inspectDatapath(loadConfig(p, sets).datapath);

describe('inspect: the study config (notebook In [384])', () => {
  const r = report('configs/study/mnist-f20-lr10.yaml');
  const [mac, shift, relu] = r.layers[0].units;

  it('input: range [0, 1] at frac 20 is raw [0, 2^20]', () => {
    expect(r.input.raw).toEqual({ lo: 0n, hi: 1048576n, frac: 20 });
  });

  it('MAC: 784 * 2^63 * 2^20 = 49 * 2^87 needs 94 signed bits; the int64 accumulator can overflow', () => {
    // x in [0, 2^20], w in [-2^63, 2^63 - 1]: products in [-2^83, (2^63 - 1) * 2^20]
    // 784 terms: [-784 * 2^83, 784 * (2^63 - 1) * 2^20]; 784 * 2^83 = 49 * 2^87 and 32 < 49 <= 64,
    // so 2^92 < 49 * 2^87 <= 2^93: a signed register needs 93 magnitude bits + sign = 94
    // (= 64 + 20 + ceil(log2 784) = 64 + 20 + 10, no spare bit here because x >= 0)
    expect(mac.result).toEqual({ lo: -784n * 2n ** 83n, hi: 784n * (2n ** 63n - 1n) * 2n ** 20n, frac: 40 });
    expect(mac.acc).toEqual({ fanIn: 784, needBits: 94, hasBits: 64 });
    expect(mac.overflow).toBe(true);
    expect(mac.inexact).toBe(false);
    expect(mac.notes).toEqual(['can overflow: needs 94 bits at fan-in 784, has 64 (WRAP)', 'exact (no rounding)']);
    expect(mac.inputs.x).toEqual({ name: 'fixed<64,44>', signed: true, width: 64, frac: 20 });
    expect(mac.output).toEqual({ name: 'fixed<64,24>', signed: true, width: 64, frac: 40 });
  });

  it('shift: a WRAPped int64 accumulator can hold anything, >> 20 floors into [-2^43, 2^43 - 1]', () => {
    expect(shift.result).toEqual({ lo: -(2n ** 43n), hi: 2n ** 43n - 1n, frac: 20 });
    expect(shift.needBits).toBe(44);
    expect(shift.overflow).toBe(false);
    expect(shift.inexact).toBe(true);
    expect(shift.notes).toEqual(['cannot overflow: needs 44 bits, has 64', 'inexact: rounds 20 bits (TRN)']);
  });

  it('ReLU: [0, 2^43 - 1], exact', () => {
    expect(relu.result).toEqual({ lo: 0n, hi: 2n ** 43n - 1n, frac: 20 });
    expect(relu.needBits).toBe(44);
    expect(relu.notes).toEqual(['cannot overflow: needs 44 bits, has 64', 'exact (no rounding)']);
    expect(relu.modes).toBe('relu TRN WRAP');
  });
});

describe('inspect: int8 x int8 -> int32', () => {
  const r = report('configs/inference/int8-int32-sat.yaml');

  it('layer 1: 784 * 128 * 64 = 49 * 2^17 needs 24 bits: the int32 accumulator cannot overflow', () => {
    // x in [0, 64] (1.0 at frac 6), w in [-128, 127]: terms in [-8192, 8128]
    const mac = r.layers[0].units[0];
    expect(mac.result).toEqual({ lo: -6422528n, hi: 6372352n, frac: 13 });
    expect(mac.acc).toEqual({ fanIn: 784, needBits: 24, hasBits: 32 });
    expect(mac.overflow).toBe(false);
  });

  it('the requantize to int8 can saturate: 50176 needs 17 bits', () => {
    const shift = r.layers[0].units[1];
    expect(shift.result).toEqual({ lo: -50176n, hi: 49784n, frac: 6 });
    expect(shift.notes).toEqual(['can overflow: needs 17 bits, has 8 (SAT)', 'inexact: rounds 7 bits (RND_CONV)']);
  });

  it('layer 2 sees the saturated ReLU output [0, 127]: 128 * 128 * 127 = 127 * 2^14 needs 22 bits', () => {
    expect(r.layers[0].units[2].result).toEqual({ lo: 0n, hi: 127n, frac: 6 });
    const mac = r.layers[1].units[0];
    expect(mac.result).toEqual({ lo: -2080768n, hi: 2064512n, frac: 13 });
    expect(mac.acc).toEqual({ fanIn: 128, needBits: 22, hasBits: 32 });
  });

  it('a --set accumulator that is too narrow is flagged', () => {
    const mac = report('configs/inference/int8-int32-sat.yaml', ['layers.0.units.0.acc=fixed<20,7>']).layers[0].units[0];
    expect(mac.notes[0]).toBe('can overflow: needs 24 bits at fan-in 784, has 20 (SAT)');
  });
});

describe('inspect: hls4ml ap_fixed<16,6>', () => {
  it('784 * 2^15 * 2^10 = 49 * 2^29 needs 36 bits: ap_fixed<32,12> can wrap', () => {
    const r = report('configs/hls4ml/ap-fixed-16-6.yaml');
    const mac = r.layers[0].units[0];
    expect(mac.result).toEqual({ lo: -784n * 2n ** 25n, hi: 784n * 32767n * 1024n, frac: 20 });
    expect(mac.acc).toEqual({ fanIn: 784, needBits: 36, hasBits: 32 });
    expect(mac.notes[0]).toBe('can overflow: needs 36 bits at fan-in 784, has 32 (WRAP)');
  });
});

describe('inspect output', () => {
  const r = report('configs/study/mnist-f20-lr10.yaml');

  it('the table fits 100 columns and has the verdicts', () => {
    const text = formatInspectTable(r);
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    expect(text).toContain('\n  L0.mac    mac        x fixed<64,44> (s,64,20)    fixed<64,24> (s,64,40)  WRAP\n');
    expect(text).toContain('\n                       ! can overflow: needs 94 bits at fan-in 784, has 64 (WRAP);\n                         exact (no rounding)\n');
    expect(text).toContain('cannot overflow: needs 44 bits, has 64; inexact: rounds 20 bits (TRN)');
  });

  it('JSON carries the same data, bigints as decimal strings', () => {
    const j = JSON.parse(inspectJson(r));
    expect(j.layers[0].units[0].acc).toEqual({ fanIn: 784, needBits: 94, hasBits: 64 });
    expect(j.layers[0].units[0].result.lo).toBe((-784n * 2n ** 83n).toString());
    expect(j.layers[0].units.map((u: { name: string }) => u.name)).toEqual(['L0.mac', 'L0.shift1', 'L0.relu']);
  });
});
