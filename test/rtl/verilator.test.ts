import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeMemh, readMemhHeader } from '../../src/io/hex.ts';
import { makeFormat } from '../../src/core/format.ts';

/**
 * The committed golden $readmemh files load in Verilator too (Icarus runs in rtl.test.ts): an
 * 8-bit file and a 65-bit one (wider than a machine word), printed back by the simulation.
 */
const haveVerilator = spawnSync('verilator', ['--version'], { stdio: 'ignore' }).status === 0;
const NEED = 'verilator is required: apt-get install verilator';

const files = ['golden/slice-conv/s0000.L0.shift1.out.hex', 'golden/study-f20/t0000.L0.train.error.hex'];

describe.skipIf(!haveVerilator && !process.env.CI)(haveVerilator ? 'Verilator loads golden $readmemh files' : `Verilator (skipped: ${NEED})`, () => {
  it('is installed (CI installs it)', () => {
    expect(haveVerilator, NEED).toBe(true);
  });
  for (const file of files) {
    it(file, () => {
      const text = readFileSync(file, 'utf8');
      const h = readMemhHeader(text)!;
      const n = h.shape.reduce((a, b) => a * b, 1);
      const expected = decodeMemh(text, makeFormat(h.signed, h.width, h.frac), file);
      const dir = mkdtempSync(join(tmpdir(), 'fxsim-vlt-'));
      writeFileSync(join(dir, 'load.v'), [
        'module load;',
        `  reg [${h.width - 1}:0] m [0:${n - 1}];`,
        '  integer i;',
        '  initial begin',
        `    $readmemh("${join(process.cwd(), file)}", m);`,
        `    for (i = 0; i < ${n}; i = i + 1) $display("%h", m[i]);`,
        '    $finish;',
        '  end',
        'endmodule',
        '',
      ].join('\n'));
      const build = spawnSync('verilator', ['--binary', '-Wno-fatal', '--Mdir', join(dir, 'obj'), '-o', 'sim', join(dir, 'load.v')], { encoding: 'utf8', cwd: dir });
      expect(build.status, build.stderr).toBe(0);
      const sim = spawnSync(join(dir, 'obj', 'sim'), { encoding: 'utf8' });
      expect(sim.status, sim.stderr).toBe(0);
      const words = sim.stdout.split('\n').filter((l) => /^[0-9a-f]+$/.test(l));
      // Verilator prints the W-bit pattern; sign-extend as fxsim does and compare raw values
      const mask = (1n << BigInt(h.width)) - 1n;
      const got = words.map((w) => {
        const v = BigInt(`0x${w}`) & mask;
        return h.signed && v >> BigInt(h.width - 1) ? v - (1n << BigInt(h.width)) : v;
      });
      expect(got).toEqual(expected);
    }, 120_000);
  }
});
