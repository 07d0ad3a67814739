import { mismatchContext, mismatchLine, type CheckResult } from './check.ts';

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')
    // characters XML 1.0 cannot hold at all
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '?');

/**
 * `fxsim check --junit FILE`: one <testsuite name="fxsim check">, one <testcase> per compared
 * tensor (classname `golden.<phase><step>` or `golden.init` / `golden.data`, name the tensor
 * name), in execution order, then one per missing tensor. A tensor that differs has a
 * <failure type="mismatch"> whose message is the MISMATCH line of its first differing element
 * (hex and npy files: the first file that differs) and whose text adds the context and the
 * mismatch count of every file; a missing tensor has <failure type="missing">. Deterministic:
 * no timestamps, time="0".
 */
export function junitXml(r: CheckResult): string {
  const cases: string[] = [];
  const classname = (phase: string, step: number | null) => `golden.${step === null ? phase : `${phase}${String(step).padStart(4, '0')}`}`;
  let failures = 0;
  for (const c of r.compared) {
    const t = c.tensor;
    const open = `    <testcase classname="${esc(classname(t.phase, t.step))}" name="${esc(t.name)}" time="0"`;
    const bad = c.files.find((f) => f.first);
    if (!bad) {
      cases.push(`${open}/>`);
      continue;
    }
    failures++;
    const text = [...mismatchContext(bad.first!), ...c.files.map((f) => `  ${f.file}: ${f.mismatches} of ${f.elements} elements differ`)].join('\n');
    cases.push(`${open}>\n      <failure type="mismatch" message="${esc(mismatchLine(bad.first!))}">${esc(text)}</failure>\n    </testcase>`);
  }
  for (const t of r.missing) {
    failures++;
    cases.push(`    <testcase classname="${esc(classname(t.phase, t.step))}" name="${esc(t.name)}" time="0">\n      <failure type="missing" message="${esc(`MISSING ${t.name}: no .hex or .npy file in the DUT directory`)}"/>\n    </testcase>`);
  }
  const tests = r.compared.length + r.missing.length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="fxsim check" tests="${tests}" failures="${failures}" errors="0">`,
    `  <testsuite name="fxsim check" tests="${tests}" failures="${failures}" errors="0" skipped="0" time="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
