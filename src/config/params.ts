/**
 * Config parameters: `params: { F: 20 }` at the top of a config, used as `${F}` or
 * `${64 - 2*F}` in any string value below it. A value that is one `${...}` and nothing else
 * becomes a number (`by: ${F}`); otherwise the results are spliced into the string
 * (`format: fixed<64,${64 - F}>`). `--set params.F=12` then moves every register at once,
 * which is what a sweep over fraction bits needs.
 *
 * Expressions: numbers, parameter names, + - * / (exact division only), // (floor division),
 * % (floor modulo), unary minus, parentheses, min(a, b, ...), max(a, b, ...).
 */

/** A parameter value: numbers take part in arithmetic, strings only splice in whole. */
export type ParamValue = number | string;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const isParamName = (s: string) => NAME.test(s);

type Token = { kind: 'num'; value: number } | { kind: 'name'; value: string } | { kind: 'op'; value: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  const re = /\s*(?:(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(\/\/|[-+*/%(),]))/y;
  let at = 0;
  while (at < src.length) {
    if (/^\s*$/.test(src.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(src);
    if (!m) throw new Error(`unexpected '${src.slice(at).trim()[0]}' in \${${src}}`);
    if (m[1] !== undefined) out.push({ kind: 'num', value: Number(m[1]) });
    else if (m[2] !== undefined) out.push({ kind: 'name', value: m[2] });
    else out.push({ kind: 'op', value: m[3] });
    at = re.lastIndex;
  }
  return out;
}

/** Evaluate one expression (the text between `${` and `}`). Throws Error with a short reason. */
export function evalParamExpr(src: string, params: Readonly<Record<string, ParamValue>>): ParamValue {
  const toks = tokenize(src);
  let i = 0;
  const peek = () => toks[i];
  const isOp = (v: string) => peek()?.kind === 'op' && peek().value === v;
  const num = (v: ParamValue, what: string): number => {
    if (typeof v !== 'number') throw new Error(`${what} is the string '${v}', not a number`);
    return v;
  };
  const primary = (): ParamValue => {
    const t = toks[i++];
    if (!t) throw new Error(`\${${src}} ends too early`);
    if (t.kind === 'num') return t.value;
    if (t.kind === 'name') {
      if (isOp('(')) {
        if (t.value !== 'min' && t.value !== 'max') throw new Error(`unknown function '${t.value}' (min and max are known)`);
        i++;
        const args = [num(expr(), `an argument of ${t.value}`)];
        while (isOp(',')) { i++; args.push(num(expr(), `an argument of ${t.value}`)); }
        if (!isOp(')')) throw new Error(`missing ')' in \${${src}}`);
        i++;
        return t.value === 'min' ? Math.min(...args) : Math.max(...args);
      }
      if (!Object.hasOwn(params, t.value)) {
        const known = Object.keys(params);
        throw new Error(`unknown parameter '${t.value}' (${known.length ? `params has ${known.join(', ')}` : 'this config has no params section'})`);
      }
      return params[t.value];
    }
    if (t.value === '(') {
      const v = expr();
      if (!isOp(')')) throw new Error(`missing ')' in \${${src}}`);
      i++;
      return v;
    }
    if (t.value === '-') return -num(primary(), 'the operand of -');
    throw new Error(`unexpected '${t.value}' in \${${src}}`);
  };
  const term = (): ParamValue => {
    let v = primary();
    while (isOp('*') || isOp('/') || isOp('//') || isOp('%')) {
      const op = toks[i++].value;
      const a = num(v, `the left operand of ${op}`);
      const b = num(primary(), `the right operand of ${op}`);
      if (op !== '*' && b === 0) throw new Error(`division by zero in \${${src}}`);
      if (op === '*') v = a * b;
      else if (op === '/') {
        v = a / b;
        if (!Number.isInteger(v) && Number.isInteger(a) && Number.isInteger(b)) throw new Error(`${a} / ${b} is not exact (use // to floor)`);
      } else if (op === '//') v = Math.floor(a / b);
      else v = a - b * Math.floor(a / b);
    }
    return v;
  };
  const expr = (): ParamValue => {
    let v = term();
    while (isOp('+') || isOp('-')) {
      const op = toks[i++].value;
      const a = num(v, `the left operand of ${op}`);
      const b = num(term(), `the right operand of ${op}`);
      v = op === '+' ? a + b : a - b;
    }
    return v;
  };
  const v = expr();
  if (i < toks.length) throw new Error(`unexpected '${(toks[i] as Token).value}' in \${${src}}`);
  if (typeof v === 'number' && (!Number.isFinite(v) || (Number.isInteger(v) && !Number.isSafeInteger(v)))) throw new Error(`\${${src}} = ${v} is out of range`);
  return v;
}

const PLACEHOLDER = /\$\{([^}]*)\}/g;

/** Does this string use parameters? */
export const usesParams = (s: string) => s.includes('${');

/**
 * Substitute every `${expr}` of a string value. The whole-string form gives the value itself
 * (a number stays a number). Throws Error with a short reason.
 */
export function substitute(s: string, params: Readonly<Record<string, ParamValue>>): ParamValue {
  const whole = /^\$\{([^}]*)\}$/.exec(s.trim());
  if (whole) return evalParamExpr(whole[1], params);
  const out = s.replace(PLACEHOLDER, (_m, e: string) => String(evalParamExpr(e, params)));
  if (out.includes('${')) throw new Error(`unclosed '\${' in '${s}'`);
  return out;
}
