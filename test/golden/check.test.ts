import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { checkGolden, formatCheckReport, tensorMatcher } from '../../src/golden/check.ts';
import { junitXml } from '../../src/golden/junit.ts';
import { readManifest } from '../../src/golden/manifest.ts';
import { encodeNpy } from '../../src/io/npy.ts';

const CLI = join('src', 'cli', 'fxsim.js');
const GOLDEN = join('golden', 'slice-stoch');
const manifest = readManifest(GOLDEN);
const tmp = mkdtempSync(join(tmpdir(), 'fxsim-check-'));
let dut = '';
let n = 0;

/** A fresh DUT directory: a copy of the golden set's tensor files (not the manifest). */
function freshDut(): string {
  const d = join(tmp, `dut${n++}`);
  mkdirSync(d);
  for (const t of manifest.tensors) { cpSync(join(GOLDEN, t.hex), join(d, t.hex)); cpSync(join(GOLDEN, t.npy), join(d, t.npy)); }
  return d;
}

/** Replace line `line` (1-based) of a text file. */
function setLine(file: string, line: number, text: string): void {
  const lines = readFileSync(file, 'utf8').split('\n');
  lines[line - 1] = text;
  writeFileSync(file, lines.join('\n'));
}

/** In-process CLI: exit status, stdout and stderr. */
async function fxsim(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const write = process.stdout.write;
  process.stdout.write = ((s: string) => { out += s; return true; }) as typeof process.stdout.write;
  try {
    const code = await main(args, { write: (s: string) => (err += s) });
    return { code, out, err };
  } finally {
    process.stdout.write = write;
  }
}

const ELEMENTS = manifest.tensors.reduce((s, t) => s + t.shape.reduce((a, b) => a * b, 1), 0);

describe('fxsim check', () => {
  beforeEach(() => { dut = freshDut(); });

  it('a copy of the golden set matches: exit 0 (the CLI, spawned)', () => {
    const r = spawnSync(process.execPath, [CLI, 'check', GOLDEN, dut], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`OK: ${manifest.tensors.length} tensors, ${ELEMENTS} elements match bit for bit\n`);
  });

  it('one flipped bit in one hex word: exit 1, the first divergence with raw hex, real value and differing bits (spawned)', () => {
    const t = manifest.tensors.find((x) => x.name === 's0002.L0.shift1.out')!;
    const file = join(dut, t.hex);
    const lines = readFileSync(file, 'utf8').split('\n');
    const word = lines[3]; // element [1]: two header lines, then one word per line
    const exp = parseInt(word, 16);
    const got = exp ^ 0x10;
    setLine(file, 4, got.toString(16).padStart(2, '0'));
    const r = spawnSync(process.execPath, [CLI, 'check', GOLDEN, dut], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    const real = (b: number) => { const v = (b >= 128 ? b - 256 : b) / 64; return Number.isInteger(v) ? `${v}.0` : String(v); };
    const hex = (b: number) => `0x${b.toString(16).padStart(2, '0')}`;
    const lines2 = r.stdout.split('\n');
    expect(lines2[0]).toBe(`MISMATCH s0002.L0.shift1.out [1]: expected ${hex(exp)} (${real(exp)}) got ${hex(got)} (${real(got)}), bits differ 0x10`);
    expect(lines2[1]).toBe('  at inference sample 2, layer L0, unit shift1, stage out');
    expect(lines2[2]).toBe('  element [1] of shape [4], format fixed<8,2> (signed, 8, 6)');
    expect(lines2[3]).toBe(`  file ${file}:4`);
    expect(r.stdout).toMatch(/^tensor\s+elements\s+mismatches$/m);
    expect(r.stdout).toMatch(/^s0002\.L0\.shift1\.out\.hex\s+4\s+1$/m);
    expect(r.stdout).toMatch(/^FAIL: 1 of 35 compared tensors differ \(1 of \d+ elements\), 0 missing, 0 extra$/m);
  });

  it('reports the first divergence in execution order, per-file counts, and checks npy dumps too', () => {
    const late = manifest.tensors.find((x) => x.name === 's0003.L0.relu.out')!;
    const early = manifest.tensors.find((x) => x.name === 's0001.L0.mac.out')!;
    const vals = readFileSync(join(GOLDEN, early.hex), 'utf8').split('\n').slice(2, -1).map((w) => BigInt.asIntN(24, BigInt(`0x${w}`)));
    vals[2] += 1n;
    vals[3] -= 1n;
    writeFileSync(join(dut, early.npy), encodeNpy(vals, early.shape, { signed: true, width: 24, frac: 14 }));
    setLine(join(dut, late.hex), 3, '7f');
    setLine(join(dut, late.hex), 4, '7f');
    const r = checkGolden(GOLDEN, dut);
    expect(r.ok).toBe(false);
    expect(r.first?.tensor.name).toBe('s0001.L0.mac.out');
    expect(r.first?.index).toBe(2);
    expect(r.first?.file).toBe(join(dut, early.npy));
    const text = formatCheckReport(r);
    expect(text).toMatch(/^s0001\.L0\.mac\.out\.npy\s+4\s+2$/m);
    expect(text).toMatch(/^s0003\.L0\.relu\.out\.hex\s+4\s+\d$/m);
    expect(text).toMatch(/^ {2}file .*s0001\.L0\.mac\.out\.npy$/m);
  });

  it('missing tensors fail, extra files are listed; --only restricts the set', async () => {
    rmSync(join(dut, 'init.L0.w.hex'));
    rmSync(join(dut, 'init.L0.w.npy'));
    rmSync(join(dut, 's0003.L0.relu.out.npy')); // the .hex alone is enough
    writeFileSync(join(dut, 'debug.log'), 'x');
    writeFileSync(join(dut, 's0009.L0.mac.out.hex'), '00\n');
    const r = checkGolden(GOLDEN, dut);
    expect(r.ok).toBe(false);
    expect(r.missing.map((t) => t.name)).toEqual(['init.L0.w']);
    expect(r.extra).toEqual(['debug.log', 's0009.L0.mac.out.hex']);
    const c = await fxsim(['check', GOLDEN, dut]);
    expect(c.code).toBe(1);
    expect(c.out.split('\n')[0]).toBe(`MISSING init.L0.w: no init.L0.w.hex or .npy in ${dut}`);
    expect(c.out).toMatch(/^missing \(no \.hex or \.npy in .*\): 1\n {2}init\.L0\.w$/m);
    expect(c.out).toMatch(/^extra \(not in the manifest, not compared\): 2\n {2}debug\.log\n {2}s0009\.L0\.mac\.out\.hex$/m);
    // --only: outside the pattern, neither missing nor compared
    const only = await fxsim(['check', GOLDEN, dut, '--only', 's0001.', '--only', '/^s0002\\.L0\\.(mac|relu)\\.out$/']);
    expect(only.code).toBe(0);
    expect(only.out).toMatch(/^OK: 10 tensors, \d+ elements match bit for bit \(25 left out by --only\)\n/);
    // a pattern that selects nothing is a typo: exit 2, not a green check of nothing
    const none = await fxsim(['check', GOLDEN, dut, '--only', 'nomatch*']);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/^fxsim: --only nomatch\*: no tensor of the golden set matches \(e\.g\. init\./);
    const withMissing = await fxsim(['check', GOLDEN, dut, '--only', 'init.*']);
    expect(withMissing.code).toBe(1);
  });

  it('tensorMatcher: prefix, glob, /regex/', () => {
    const m = tensorMatcher(['s0001.L0', 't*.L0.train.?elta', '/^init\\./']);
    expect(m('s0001.L0.mac.out')).toBe(true);
    expect(m('s0002.L0.mac.out')).toBe(false);
    expect(m('t0003.L0.train.delta')).toBe(true);
    expect(m('t0003.L0.train.deltas')).toBe(false);
    expect(m('init.L0.w')).toBe(true);
    expect(m('samples')).toBe(false);
  });

  it('--max-report caps the lists', async () => {
    for (const t of manifest.tensors.slice(0, 12)) { rmSync(join(dut, t.hex)); rmSync(join(dut, t.npy)); }
    const c = await fxsim(['check', GOLDEN, dut, '--max-report', '3']);
    expect(c.code).toBe(1);
    expect(c.out).toMatch(/^missing \(.*\): 12\n( {2}\S+\n){3} {2}\.\.\. and 9 more \(--max-report\)$/m);
  });

  it('--junit writes JUnit XML: one testcase per compared tensor (and per missing one), failures carry the MISMATCH line', async () => {
    setLine(join(dut, 's0000.L0.mac.out.hex'), 3, '000000');
    rmSync(join(dut, 'labels.hex'));
    rmSync(join(dut, 'labels.npy'));
    const file = join(dut, '..', `junit${n}.xml`);
    const c = await fxsim(['check', GOLDEN, dut, '--junit', file]);
    expect(c.code).toBe(1);
    const xml = readFileSync(file, 'utf8');
    expect(xml).toBe(junitXml(checkGolden(GOLDEN, dut)));
    expect((xml.match(/<testcase /g) ?? []).length).toBe(35);
    expect(xml).toMatch(/<failure type="mismatch" message="MISMATCH s0000\.L0\.mac\.out \[0\]: expected 0x[0-9a-f]{6} \([-\d.]+\) got 0x000000 \(0\.0\), bits differ 0x[0-9a-f]{6}">/);
    expect(xml).toMatch(/<testcase classname="golden.data" name="labels" time="0">\n {6}<failure type="missing"/);
    // a real XML parser agrees (python's, when there is one)
    const py = spawnSync('python3', ['-c', 'import sys, xml.etree.ElementTree as E; r = E.parse(sys.argv[1]).getroot(); s = r.find("testsuite"); print(len(s.findall("testcase")), len(s.findall("testcase/failure")), s.get("tests"), s.get("failures"))', file], { encoding: 'utf8' });
    if (py.status === 0) expect(py.stdout.trim()).toBe('35 2 35 2');
    else if (!py.error) throw new Error(py.stderr);
  });

  describe('exit 2 on unreadable input, naming the file and line', () => {
    const expect2 = async (args: string[], msg: RegExp) => {
      const c = await fxsim(args);
      expect(c.err).toMatch(msg);
      expect(c.err.trim().split('\n')).toHaveLength(1);
      expect(c.code).toBe(2);
    };
    const f = (name: string) => join(dut, `${name}.hex`);
    it('a bad hex digit', async () => {
      setLine(f('s0001.L0.relu.out'), 5, '4g');
      await expect2(['check', GOLDEN, dut], new RegExp(`^fxsim: ${f('s0001.L0.relu.out').replace(/\./g, '\\.')}:5:2: bad hex digit 'g' in '4g'`));
    });
    it('a word wider than the format', async () => {
      setLine(f('s0001.L0.relu.out'), 3, '1ff');
      await expect2(['check', GOLDEN, dut], /s0001\.L0\.relu\.out\.hex:3:1: 0x1ff is wider than 8 bits/);
    });
    it('too many and too few words', async () => {
      writeFileSync(f('s0001.L0.relu.out'), `${readFileSync(f('s0001.L0.relu.out'), 'utf8')}00\n`);
      await expect2(['check', GOLDEN, dut], /s0001\.L0\.relu\.out\.hex:7: expected 4 words \(shape \[4\]\), found 5: word 5 is extra/);
      const lines = readFileSync(join(GOLDEN, 's0001.L0.relu.out.hex'), 'utf8').split('\n');
      writeFileSync(f('s0001.L0.relu.out'), lines.slice(0, 5).join('\n') + '\n');
      await expect2(['check', GOLDEN, dut], /s0001\.L0\.relu\.out\.hex:5: expected 4 words \(shape \[4\]\), found 3: the file ends early/);
    });
    it('a corrupt npy, a wrong npy shape', async () => {
      const npy = join(dut, 's0001.L0.mac.out.npy');
      writeFileSync(npy, readFileSync(npy).subarray(0, 140));
      await expect2(['check', GOLDEN, dut], /s0001\.L0\.mac\.out\.npy: data is \d+ bytes/);
      writeFileSync(npy, encodeNpy([1n, 2n, 3n], [3], { signed: true, width: 24, frac: 14 }));
      await expect2(['check', GOLDEN, dut], /s0001\.L0\.mac\.out\.npy: shape \[3\] does not match the manifest's \[4\]/);
      writeFileSync(npy, Buffer.from('not numpy at all'));
      await expect2(['check', GOLDEN, dut], /s0001\.L0\.mac\.out\.npy: not a NumPy \.npy file/);
    });
    it('a golden file whose sha256 is not the manifest\'s; a bad manifest', async () => {
      const g = join(tmp, `golden${n}`);
      cpSync(GOLDEN, g, { recursive: true });
      setLine(join(g, 's0000.L0.relu.out.hex'), 1, '// edited');
      await expect2(['check', g, dut], /s0000\.L0\.relu\.out\.hex: sha256 [0-9a-f]{64} does not match the manifest's [0-9a-f]{64}: the golden file was changed/);
      writeFileSync(join(g, 'manifest.json'), '{"schema": 1, "tensors": [');
      await expect2(['check', g, dut], /manifest\.json:1:27: not valid JSON: Unexpected end of JSON input\n$/);
      await expect2(['check', join(tmp, 'nowhere'), dut], /manifest\.json: cannot read the golden manifest: no such file/);
      await expect2(['check', GOLDEN, join(tmp, 'nowhere')], /nowhere: cannot read the DUT directory/);
    });
    it('a golden argument that is a file, not a directory', async () => {
      const file = join(GOLDEN, 'manifest.json');
      await expect2(['check', file, dut], new RegExp(`^fxsim: ${file.replace(/\./g, '\\.')}: the golden argument must be a directory \\(the one fxsim golden wrote, with manifest\\.json\\), not a file\n$`));
    });
    it('a DUT dump that is a directory or a dangling symlink, even when the other dump exists', async () => {
      const hex = f('s0001.L0.relu.out');
      rmSync(hex);
      mkdirSync(hex);
      await expect2(['check', GOLDEN, dut], new RegExp(`^fxsim: ${hex.replace(/\./g, '\\.')}: cannot read: is a directory\n$`));
      rmSync(hex, { recursive: true });
      symlinkSync(join(tmp, 'no-such-file'), hex);
      await expect2(['check', GOLDEN, dut], new RegExp(`^fxsim: ${hex.replace(/\./g, '\\.')}: cannot read: a symbolic link to a missing file\n$`));
      // with neither dump present the tensor is missing (exit 1), as before
      rmSync(hex);
      rmSync(join(dut, 's0001.L0.relu.out.npy'));
      const c = await fxsim(['check', GOLDEN, dut]);
      expect(c.code).toBe(1);
      expect(c.out).toMatch(/^MISSING s0001\.L0\.relu\.out: /);
    });
  });
});
