import { describe, expect, it, vi } from 'vitest';
import { createProgress, formatDuration, formatFields, formatRate, type ProgressStream } from '../../src/io/progress.ts';

/** A stream that records what is written to it. */
function fakeStream(isTTY = false): ProgressStream & { out: string } {
  const s = {
    out: '',
    isTTY,
    columns: 120,
    write(chunk: string) {
      s.out += chunk;
      return true;
    },
  };
  return s;
}

/** A controllable millisecond clock that counts its reads. */
function fakeClock(start = 0) {
  const c = { t: start, reads: 0, now: () => (c.reads++, c.t) };
  return c;
}

describe('formatting helpers', () => {
  it('rates, durations, fields', () => {
    expect([0, 0.42, 3.5, 812, 999.6, 4100, 41_000, 1_234_567, 3e9].map(formatRate)).toEqual(['0', '0.42', '3.5', '812', '1000', '4.1k', '41k', '1.2M', '3G']);
    expect([0, 2400, 42_000, 72_000, 7_500_000].map(formatDuration)).toEqual(['0.0s', '2.4s', '42s', '1m12s', '2h05m']);
    expect(formatFields({ acc: 0.87412, loss: 1.5, n: 12, big: 2n ** 64n, tag: 'x' })).toBe('acc 0.874 loss 1.5 n 12 big 18446744073709551616 tag x');
    expect(formatFields(undefined)).toBe('');
  });
});

describe('createProgress: plain lines when not a TTY', () => {
  it('prints the documented line at most every intervalSec, then a final line', () => {
    const stream = fakeStream();
    const clock = fakeClock();
    const p = createProgress({ total: 100_000, label: 'train', unit: 'samples', stream, ci: false, now: clock.now });
    expect(p.mode).toBe('lines');
    clock.t = 10_000;
    p.update(25_000, { acc: 0.874 });
    expect(stream.out).toBe('train: 25000/100000 (25%) 2.5k samples/s eta 30s acc 0.874\n');
    clock.t = 15_000;
    p.update(40_000, { acc: 0.9 });
    expect(stream.out.split('\n')).toHaveLength(2); // nothing new within 10 s
    clock.t = 40_000;
    p.update(100_000, { acc: 0.912 });
    p.stop();
    const lines = stream.out.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('train: 100000/100000 (100%) in 40s, 2.5k samples/s acc 0.912');
    p.stop();
    p.update(5, { acc: 0 });
    expect(stream.out.trimEnd().split('\n')).toHaveLength(3);
  });

  it('throttles: many fast calls read the clock rarely, lines stay ~intervalSec apart', () => {
    const stream = fakeStream();
    const clock = fakeClock();
    const p = createProgress({ total: 1_000_000, label: 'eval', stream, ci: false, intervalSec: 10, now: clock.now });
    let lazy = 0;
    const fields = () => (lazy++, { acc: 0.5 });
    for (let i = 1; i <= 1_000_000; i++) {
      clock.t += 0.1; // 10k calls/s: 100 s in all
      p.update(i, fields);
    }
    p.stop();
    const lines = stream.out.trimEnd().split('\n');
    // one line every 10 s (a little late at most by one stride) plus the final line
    expect(lines.length).toBeGreaterThanOrEqual(9);
    expect(lines.length).toBeLessThanOrEqual(11);
    for (const l of lines.slice(0, -1)) expect(l).toMatch(/^eval: \d+\/1000000 \(\d+%\) (10k|9\.\dk) it\/s eta [\dm.]+s acc 0\.5$/);
    expect(lines.at(-1)).toBe('eval: 1000000/1000000 (100%) in 1m40s, 10k it/s acc 0.5');
    expect(lazy).toBe(lines.length); // fields evaluated only when drawing
    // stride 1024 at most, target one read per 250 ms = 2500 calls here: ~1000 reads for 1e6 calls
    expect(clock.reads).toBeLessThan(1_000_000 / 1024 + 100);
    expect(clock.reads).toBeGreaterThan(1_000_000 / 1024 - 100);
  });

  it('reads the clock on every call when calls are slow, so lines are not late', () => {
    const stream = fakeStream();
    const clock = fakeClock();
    const p = createProgress({ total: 30, label: 'slow', stream, ci: false, intervalSec: 10, now: clock.now });
    for (let i = 1; i <= 30; i++) {
      clock.t += 1000;
      p.update(i);
    }
    expect(stream.out).toBe('slow: 10/30 (33%) 1 it/s eta 20s\nslow: 20/30 (66%) 1 it/s eta 10s\nslow: 30/30 (100%) 1 it/s eta 0.0s\n');
  });

  it('handles total 0 and updates past total', () => {
    const stream = fakeStream();
    const clock = fakeClock();
    const p = createProgress({ total: 0, label: 'x', stream, ci: false, now: clock.now });
    clock.t = 1000;
    p.stop();
    expect(stream.out).toBe('x: 0/0 (100%) in 1.0s, 0 it/s\n');
  });
});

describe('createProgress: quiet in CI', () => {
  it('prints only the final line', () => {
    const stream = fakeStream(true); // even on a TTY
    const clock = fakeClock();
    const p = createProgress({ total: 1000, label: 'train', unit: 'samples', stream, ci: true, now: clock.now });
    expect(p.mode).toBe('quiet');
    for (let i = 1; i <= 1000; i++) {
      clock.t += 100;
      p.update(i, { acc: i / 1000 });
    }
    expect(stream.out).toBe('');
    expect(clock.reads).toBe(1); // only at creation
    p.stop();
    expect(stream.out).toBe('train: 1000/1000 (100%) in 1m40s, 10 samples/s acc 1\n');
  });

  it('defaults ci to !!process.env.CI', () => {
    vi.stubEnv('CI', 'true');
    try {
      expect(createProgress({ total: 1, label: 'a', stream: fakeStream() }).mode).toBe('quiet');
    } finally {
      vi.unstubAllEnvs();
    }
    vi.stubEnv('CI', '');
    try {
      expect(createProgress({ total: 1, label: 'a', stream: fakeStream() }).mode).toBe('lines');
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('createProgress: cli-progress bar on a TTY', () => {
  it('draws count/total, rate, ETA and the live fields; stop() leaves the final state and a newline', () => {
    const stream = fakeStream(true);
    const clock = fakeClock();
    const p = createProgress({ total: 100_000, label: 'train', unit: 'samples', stream, ci: false, now: clock.now });
    expect(p.mode).toBe('tty');
    clock.t = 10_000;
    p.update(25_000, { acc: 0.874 });
    expect(stream.out).toContain('train [');
    expect(stream.out).toContain('] 25% | 25000/100000 | 2.5k samples/s | ETA 30s | acc 0.874');
    clock.t = 40_000;
    p.update(100_000, { acc: 0.9 });
    p.stop();
    expect(stream.out).toContain('] 100% | 100000/100000 | 2.5k samples/s | in 40s | acc 0.9');
    expect(stream.out.endsWith('\n')).toBe(true);
  });

  it('redraws at most every 100 ms', () => {
    const stream = fakeStream(true);
    const clock = fakeClock();
    const p = createProgress({ total: 1e6, label: 'q', stream, ci: false, now: clock.now });
    for (let i = 1; i <= 100_000; i++) {
      clock.t += 0.01; // 1 s in all
      p.update(i);
    }
    const draws = stream.out.split('q [').length - 1;
    expect(draws).toBeGreaterThanOrEqual(5);
    expect(draws).toBeLessThanOrEqual(12);
    p.stop();
  });
});

describe('createProgress: overhead', () => {
  it('costs a few ns per update call with the real clock', () => {
    const stream = fakeStream();
    const N = 5_000_000;
    const fields = { acc: 0.5 };
    const p = createProgress({ total: N, label: 'bench', stream, ci: false });
    let t = performance.now();
    for (let i = 1; i <= N; i++) p.update(i, fields);
    const withProgress = performance.now() - t;
    p.stop();
    let sink = 0;
    t = performance.now();
    for (let i = 1; i <= N; i++) sink += i & 1;
    const baseline = performance.now() - t;
    const nsPerCall = ((withProgress - baseline) * 1e6) / N;
    console.log(`progress.update overhead: ${nsPerCall.toFixed(1)} ns/call (${((withProgress * 1e6) / N).toFixed(1)} ns with loop; baseline loop ${((baseline * 1e6) / N).toFixed(2)} ns; sink ${sink})`);
    expect(nsPerCall).toBeLessThan(200); // generous: shared CI machines
  });
});
