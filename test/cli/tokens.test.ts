import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BufferedWriter, showToken, splitTokens, TokenSplitter } from '../../src/cli/tokens.ts';

/** Cut s at the given fractions into consecutive chunks. */
function cut(s: string, points: number[]): string[] {
  const at = [...new Set(points.map((p) => Math.floor(p * (s.length + 1))))].sort((a, b) => a - b);
  const out: string[] = [];
  let prev = 0;
  for (const a of at) {
    out.push(s.slice(prev, a));
    prev = a;
  }
  out.push(s.slice(prev));
  return out;
}

describe('TokenSplitter', () => {
  it('splits on any ASCII whitespace', () => {
    expect(splitTokens(' 1\t2\n\n3\r\n-4 \f5\v6 ')).toEqual(['1', '2', '3', '-4', '5', '6']);
    expect(splitTokens('')).toEqual([]);
    expect(splitTokens('   \n')).toEqual([]);
  });

  it('gives the same tokens, numbered in order, however the input is cut into chunks', () => {
    const arbText = fc
      .array(fc.tuple(fc.stringMatching(/^[0-9a-z.+-]{1,6}$/), fc.constantFrom(' ', '\n', '\t', '  ', '\r\n')), { maxLength: 30 })
      .map((parts) => parts.map(([t, sep]) => t + sep).join(''));
    fc.assert(
      fc.property(arbText, fc.boolean(), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }), (text, trim, points) => {
        const s = trim ? text.trimEnd() : text;
        const want = s.split(/\s+/).filter(Boolean);
        const got: [string, number][] = [];
        const sp = new TokenSplitter();
        for (const chunk of cut(s, points)) sp.push(chunk, (t, i) => got.push([t, i]));
        sp.end((t, i) => got.push([t, i]));
        expect(got).toEqual(want.map((t, i) => [t, i + 1]));
        expect(sp.count).toBe(want.length);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses a runaway token', () => {
    const sp = new TokenSplitter('stdin token', 10);
    sp.push('1 2 ', () => undefined);
    expect(() => sp.push('12345678901', () => undefined)).toThrow(/stdin token 3 is longer than 10 characters/);
  });
});

describe('BufferedWriter', () => {
  it('writes in large chunks and waits for drain', async () => {
    const writes: string[] = [];
    let drainCb: (() => void) | undefined;
    const stream = {
      write: (s: string) => {
        writes.push(s);
        return writes.length !== 2; // the second write reports backpressure
      },
      once: (_ev: string, cb: () => void) => {
        drainCb = cb;
        return stream;
      },
    };
    const w = new BufferedWriter(stream as never, 10);
    w.add('abc\n');
    expect(w.maybeFlush()).toBeUndefined();
    w.add('defgh\n');
    await w.maybeFlush();
    expect(writes).toEqual(['abc\ndefgh\n']);
    w.add('x\n');
    let done = false;
    const p = w.flush().then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    drainCb!();
    await p;
    expect(writes).toEqual(['abc\ndefgh\n', 'x\n']);
    await w.flush();
    expect(writes.length).toBe(2);
  });
});

describe('showToken', () => {
  it('quotes, shortens and escapes', () => {
    expect(showToken('1.2.3')).toBe("'1.2.3'");
    expect(showToken('x'.repeat(50))).toBe(`'${'x'.repeat(37)}...'`);
    expect(showToken('a\u0001b')).toBe("'a\\x01b'");
  });
});
