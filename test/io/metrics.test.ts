import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { csvCell, flattenRow, jsonLine, MetricsWriter } from '../../src/io/metrics.ts';

const tmp = mkdtempSync(join(tmpdir(), 'fxsim-metrics-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const freshDir = () => join(tmp, `run${n++}`, 'out');

describe('metrics conventions', () => {
  it('flattens nested objects and arrays with dots', () => {
    expect(flattenRow({ step: 1, events: { L0: { mac: { overflows: 3, saturations: 0n } } }, hist: [1, 2] })).toEqual([
      ['step', 1],
      ['events.L0.mac.overflows', 3],
      ['events.L0.mac.saturations', 0n],
      ['hist.0', 1],
      ['hist.1', 2],
    ]);
  });

  it('CSV cells: integers in full, floats to 6 significant digits, specials, quoting', () => {
    expect(csvCell(1e21)).toBe('1000000000000000000000');
    expect(csvCell(-123456789012)).toBe('-123456789012');
    expect(csvCell(2n ** 70n)).toBe('1180591620717411303424');
    expect(csvCell(0.874)).toBe('0.874');
    expect(csvCell(2 / 3)).toBe('0.666667');
    expect(csvCell(123456.78)).toBe('123457');
    expect(csvCell(1234567.5)).toBe('1234570');
    expect(csvCell(1.23456789e-7)).toBe('1.23457e-7');
    expect(csvCell(-0)).toBe('0');
    expect(csvCell(NaN)).toBe('nan');
    expect(csvCell(Infinity)).toBe('inf');
    expect(csvCell(-Infinity)).toBe('-inf');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });

  it('JSON lines: safe bigints as numbers, others as decimal strings; non-finite as null', () => {
    const max = BigInt(Number.MAX_SAFE_INTEGER);
    expect(jsonLine({ a: max, b: -max, c: max + 1n, d: -max - 1n, e: 0.1 + 0.2, f: NaN, g: { h: [1n, 'x'] } })).toBe(
      '{"a":9007199254740991,"b":-9007199254740991,"c":"9007199254740992","d":"-9007199254740992","e":0.30000000000000004,"f":null,"g":{"h":[1,"x"]}}',
    );
  });
});

describe('MetricsWriter', () => {
  it('streams rows to metrics.jsonl and metrics.csv with a header fixed by the first row', () => {
    const dir = freshDir();
    const w = MetricsWriter.open(dir);
    w.write({ epoch: 0, loss: 0.5, acc: 0.874, events: { L0: { mac: { overflows: 3n } } } });
    // flushed as written: readable before close
    expect(readFileSync(join(dir, 'metrics.csv'), 'utf8')).toBe('epoch,loss,acc,events.L0.mac.overflows\n0,0.5,0.874,3\n');
    w.write({ epoch: 1, acc: 0.9, extra: 'jsonl only', events: { L0: { mac: { overflows: 2n ** 64n } } } });
    expect(w.columns).toEqual(['epoch', 'loss', 'acc', 'events.L0.mac.overflows']);
    expect(w.rowCount).toBe(2);
    w.close();
    w.close(); // idempotent
    expect(readFileSync(join(dir, 'metrics.csv'), 'utf8')).toBe(
      'epoch,loss,acc,events.L0.mac.overflows\n0,0.5,0.874,3\n1,,0.9,18446744073709551616\n',
    );
    expect(readFileSync(join(dir, 'metrics.jsonl'), 'utf8')).toBe(
      '{"epoch":0,"loss":0.5,"acc":0.874,"events":{"L0":{"mac":{"overflows":3}}}}\n' +
        '{"epoch":1,"acc":0.9,"extra":"jsonl only","events":{"L0":{"mac":{"overflows":"18446744073709551616"}}}}\n',
    );
    expect(() => w.write({ epoch: 2 })).toThrow(/after close/);
  });

  it('starts afresh by default and continues existing files with append: true', () => {
    const dir = freshDir();
    const a = MetricsWriter.open(dir);
    a.write({ step: 1, 'odd,key': 1 });
    a.close();
    const b = MetricsWriter.open(dir, { append: true });
    expect(b.columns).toEqual(['step', 'odd,key']);
    b.write({ 'odd,key': 5, step: 2 });
    b.close();
    expect(readFileSync(join(dir, 'metrics.csv'), 'utf8')).toBe('step,"odd,key"\n1,1\n2,5\n');
    expect(readFileSync(join(dir, 'metrics.jsonl'), 'utf8').split('\n')).toHaveLength(3);
    const c = MetricsWriter.open(dir, { stem: 'metrics' });
    c.close();
    expect(readFileSync(join(dir, 'metrics.csv'), 'utf8')).toBe('');
  });

  it('uses the stem for both file names', () => {
    const dir = freshDir();
    const w = MetricsWriter.open(dir, { stem: 'eval' });
    w.write({ x: 1 });
    w.close();
    expect(readFileSync(join(dir, 'eval.csv'), 'utf8')).toBe('x\n1\n');
    expect(readFileSync(join(dir, 'eval.jsonl'), 'utf8')).toBe('{"x":1}\n');
  });
});
