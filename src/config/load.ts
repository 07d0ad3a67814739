import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Alias, Document, LineCounter, Pair, Scalar, YAMLMap, isAlias, isMap, isNode, isScalar, isSeq, parseDocument, visit,
  type Node,
} from 'yaml';
import type { z } from 'zod';
import { FxConfigError, FxInputError, inputError } from '../core/errors.ts';
import { formatName, type Format } from '../core/format.ts';
import { DEFAULT_LFSR_WIDTH, LFSR_TAPS } from '../core/random.ts';
import { buildDatapath, type Datapath, type Register } from './build.ts';
import { buildTrainPlan, type TrainPlan } from '../train/plan.ts';
import type { FormatSpec } from '../core/parse-format.ts';
import { isParamName, substitute, usesParams, type ParamValue } from './params.ts';
import { configSchema, modelSchema, type DatapathConfig, type ModelConfig } from './schema.ts';
import { fsReason } from '../core/fs-reason.ts';

/**
 * Loading a datapath config: YAML (anchors and `<<` merge keys allowed) -> `--set` overrides ->
 * zod validation -> the model file -> buildDatapath. Every problem is one FxInputError line that
 * says where it is:
 *
 *   configs/x.yaml:12:7: layers.0.units.1.output: bad format 'fixed<0,1>': ...
 *   --set layers.0.units.1.by=abc: expected an integer, got 'abc'
 *   models/m.yaml:3:5: layers.0.size: must be >= 1, got 0
 *
 * i.e. file:line:col (1-based, of the offending value; of the key itself for an unknown key; of
 * the enclosing mapping for a missing key), the dotted key path, the message. A value that came
 * from --set is reported with the --set argument instead of a file position.
 */

export interface LoadedConfig {
  /** The validated config as written (model may still be a path). */
  config: DatapathConfig;
  model: ModelConfig;
  datapath: Datapath;
  /** The training units, when the config has a training section (built, and checked, while loading). */
  plan?: TrainPlan;
  /** Every default filled in, model inlined: dump it as YAML and it loads to the same datapath. */
  resolved: ResolvedConfig;
  /** The config file's text, as read (before --set). */
  source: string;
  /** The file it was read from: the argument, or the shipped config a name resolved to. */
  path: string;
  /** A config error found later (at a key path: initial weights, data) as file:line:col; other errors as they are. */
  locate(e: unknown): unknown;
}

type Path = (string | number)[];

/** One `--set key=value` argument. */
interface Override {
  text: string;
  /** Path inside the document it was applied to. */
  path: string[];
}

/** A parsed YAML file and the nodes that --set put into it. */
export interface Source {
  file: string;
  doc: Document;
  lc: LineCounter;
  origin: Map<unknown, Override>;
  /** Values whose `${...}` used a parameter given by --set: the --set, for error locations. */
  viaParams?: Map<unknown, string>;
}

const dotted = (path: readonly (string | number)[]) => path.join('.');

export function readText(file: string, what: string, where?: string): string {
  try {
    // a FIFO or device would block the read (or never end): only regular files are configs
    const st = statSync(file);
    if (!st.isFile() && !st.isDirectory()) return inputError(`cannot read ${what} '${file}': not a regular file`, where);
    return readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof FxInputError) throw e;
    return inputError(`cannot read ${what} '${file}': ${fsReason(e) ?? (e as Error).message}`, where);
  }
}

/** The YAML library's message, first line, in the user's terms where it speaks to a programmer. */
function yamlMessage(err: { code: string; message: string }): string {
  if (err.code === 'MULTIPLE_DOCS') return "a config is one YAML document: this one has a second after '---'";
  return err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').trim();
}

export function parseYaml(text: string, file: string): Source {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, merge: true, prettyErrors: false });
  const err = doc.errors[0];
  if (err) {
    const { line, col } = lc.linePos(err.pos[0]);
    inputError(yamlMessage(err), `${file}:${line}:${col}`);
  }
  // located here, where the node is known; toJS would only name the file (and a collection key
  // would make Node print a warning besides the error)
  const at = (n: Node) => { const { line, col } = lc.linePos(n.range?.[0] ?? 0); return `${file}:${line}:${col}`; };
  visit(doc, {
    Alias: (_k, a) => { if (a.resolve(doc) === undefined) inputError(`unknown alias *${a.source}: no anchor &${a.source} before it`, at(a)); },
    Pair: (_k, p) => { if (isMap(p.key) || isSeq(p.key)) inputError('a key must be a plain value, not a list or a mapping', at(p.key as Node)); },
  });
  return { file, doc, lc, origin: new Map() };
}

function toPlain(src: Source): unknown {
  try {
    return src.doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    return inputError((e as Error).message.split('\n')[0], src.file);
  }
}

// ---------------------------------------------------------------------------------------------
// Walking documents: aliases and merge keys resolved as YAML resolves them

const isMergeKey = (k: unknown) =>
  isScalar(k) && (typeof k.value === 'symbol' ? k.value.description === '<<' : k.value === '<<');

function deref(doc: Document, n: unknown): unknown {
  for (let i = 0; i < 1000 && isAlias(n); i++) n = (n as Alias).resolve(doc);
  return n;
}

const keyText = (k: unknown) => (isScalar(k) ? String(k.value) : String(k));

/** The pair for `key` in a map: its own pairs first, then merged maps in order (as toJS does). */
function findPair(doc: Document, map: YAMLMap, key: string, depth = 0): Pair | undefined {
  for (const p of map.items) if (!isMergeKey(p.key) && keyText(p.key) === key) return p;
  if (depth > 50) return undefined;
  for (const p of map.items) {
    if (!isMergeKey(p.key)) continue;
    const v = deref(doc, p.value);
    const sources = isSeq(v) ? v.items : [v];
    for (const s of sources) {
      const m = deref(doc, s);
      if (isMap(m)) {
        const found = findPair(doc, m, key, depth + 1);
        if (found) return found;
      }
    }
  }
  return undefined;
}

interface Located {
  node?: Node;
  /** The key node of the last step, when the path ended at a map key. */
  key?: Node;
  /** How many path segments resolved to existing nodes. */
  found: number;
  /** The --set that produced a node on the way, if any. */
  override?: Override;
}

function locate(src: Source, path: readonly (string | number)[]): Located {
  const { doc, origin } = src;
  let cur: unknown = doc.contents;
  let override = origin.get(cur);
  let key: Node | undefined;
  let found = 0;
  for (const seg of path) {
    cur = deref(doc, cur);
    let next: unknown;
    if (isMap(cur)) {
      const pair = findPair(doc, cur, String(seg));
      if (!pair) break;
      key = isNode(pair.key) ? pair.key : undefined;
      override ??= origin.get(pair.key);
      next = pair.value;
    } else if (isSeq(cur) && /^\d+$/.test(String(seg)) && Number(seg) < cur.items.length) {
      key = undefined;
      next = cur.items[Number(seg)];
    } else break;
    found++;
    override ??= origin.get(next);
    cur = next;
  }
  return { node: isNode(cur) ? cur : undefined, key, found, override };
}

function position(src: Source, n: Node | undefined): string {
  const start = n?.range?.[0];
  const { line, col } = start === undefined ? { line: 1, col: 1 } : src.lc.linePos(start);
  const via = src.viaParams?.get(n);
  return `${src.file}:${line}:${col}${via ? ` (with ${via})` : ''}`;
}

/**
 * An FxInputError for a problem at `path`. `at` picks the node: 'value' the value at the path
 * (or the deepest existing ancestor when the path does not exist: a missing key points at its
 * mapping), 'key' the key node of the last step (an unknown key).
 */
export function errorAt(src: Source, path: readonly (string | number)[], message: string, at: 'value' | 'key' = 'value'): FxInputError {
  const loc = locate(src, path);
  if (loc.override) {
    const same = dotted(loc.override.path) === dotted(path);
    return new FxInputError(same || path.length === 0 ? message : `${dotted(path)}: ${message}`, `--set ${loc.override.text}`);
  }
  const complete = loc.found === path.length;
  const node = at === 'key' && complete && loc.key ? loc.key : complete && loc.node ? loc.node : loc.node ?? loc.key;
  const where = position(src, node);
  return new FxInputError(path.length ? `${dotted(path)}: ${message}` : message, where);
}

// ---------------------------------------------------------------------------------------------
// --set

function parseOverride(text: string): { path: string[]; value: Node | null } {
  const eq = text.indexOf('=');
  const keyPart = eq < 0 ? '' : text.slice(0, eq).trim();
  const path = keyPart.split('.');
  if (eq < 0 || path.some((s) => s === '')) inputError(`expected key=value, e.g. --set training.lr_shift=8`, `--set ${text}`);
  const vdoc = parseDocument(text.slice(eq + 1), { prettyErrors: false });
  if (vdoc.errors[0]) inputError(`bad value: ${yamlMessage(vdoc.errors[0])}`, `--set ${text}`);
  let hasAlias = false;
  visit(vdoc, { Alias: () => { hasAlias = true; return visit.BREAK; } });
  if (hasAlias) inputError('bad value: aliases (*name) cannot be used in --set', `--set ${text}`);
  return { path, value: vdoc.contents as Node | null };
}

/** A private copy of a shared (aliased or merged) node, so that --set changes only this place. */
function copyOf(n: Node): Node {
  const c = n.clone() as Node;
  visit(c, { Node: (_k, m) => { if ('anchor' in m) delete (m as { anchor?: string }).anchor; } });
  return c;
}

/**
 * Before --set changes an anchored node (or something inside it), give every alias of it a copy
 * of it as it is: the override then changes only the place its path names, as it does through
 * an alias or a merge key, and the aliases keep resolving.
 */
function detachAliases(doc: Document, n: unknown): void {
  if (!isNode(n) || isAlias(n) || !(n as { anchor?: string }).anchor) return;
  visit(doc, { Alias: (_k, a) => (a.resolve(doc) === n ? copyOf(n as Node) : undefined) });
}

function applyOverride(src: Source, o: Override, value: Node | null): void {
  const { doc, origin } = src;
  const fail = (msg: string): never => inputError(msg, `--set ${o.text}`);
  const valueNode: Node = value ?? new Scalar(null);
  origin.set(valueNode, o);
  if (!isNode(doc.contents) || isScalar(doc.contents)) {
    // the file's problem, not the --set's: report it where the file is
    if (doc.contents && !(isScalar(doc.contents) && doc.contents.value === null)) inputError('expected a mapping of keys at the top level', src.file);
    doc.contents = new YAMLMap() as never; // an empty file: its missing keys are still the file's
  }
  if (isAlias(doc.contents)) doc.contents = copyOf(deref(doc, doc.contents) as Node) as never;
  let parent = doc.contents as unknown as Node;
  for (let i = 0; i < o.path.length; i++) {
    const seg = o.path[i];
    const last = i === o.path.length - 1;
    const here = o.path.slice(0, i).join('.') || 'the top level';
    let child: unknown;
    let put: (n: Node) => void;
    if (isSeq(parent)) {
      const seq = parent;
      if (!/^\d+$/.test(seg)) fail(`${here} is a list: '${seg}' is not an index`);
      const idx = Number(seg);
      if (idx >= seq.items.length) fail(`${here} has ${seq.items.length} item(s): there is no index ${idx}`);
      child = seq.items[idx];
      put = (n) => { seq.items[idx] = n; };
    } else if (isMap(parent)) {
      const map = parent;
      const own = map.items.find((p) => !isMergeKey(p.key) && keyText(p.key) === seg);
      if (own) {
        child = own.value;
        put = (n) => { own.value = n; };
      } else {
        // a key only present through `<<: *anchor` gets its own copy here, overriding the merge
        const merged = findPair(doc, map, seg);
        child = merged && isNode(merged.value) ? copyOf(deref(doc, merged.value) as Node) : undefined;
        const pair = new Pair(new Scalar(seg), child ?? null);
        if (!merged) origin.set(pair.key, o);
        map.items.push(pair as Pair<unknown, unknown>);
        put = (n) => { pair.value = n; };
        if (child) put(child as Node);
      }
    } else {
      return fail(`${here} is not a mapping or a list`);
    }
    detachAliases(doc, child);
    if (last) {
      put(valueNode);
      return;
    }
    if (isAlias(child)) {
      child = copyOf(deref(doc, child) as Node);
      put(child as Node);
    }
    if (child === undefined || child === null || (isScalar(child) && child.value === null)) {
      const m = new YAMLMap();
      origin.set(m, o);
      put(m);
      child = m;
    }
    parent = child as Node;
  }
}

// ---------------------------------------------------------------------------------------------
// params: ${...} in string values

/**
 * Substitute `params` into every string value that uses `${...}` (after --set, so
 * `--set params.F=12` takes effect everywhere). An error names the value's position, or the
 * --set that put it there.
 */
function applyParams(src: Source): void {
  const { doc, origin } = src;
  const loc = locate(src, ['params']);
  const pNode = loc.found === 1 ? deref(doc, loc.node) : undefined;
  const params: Record<string, ParamValue> = Object.create(null);
  const setBy = new Map<string, Override>();
  /** Parameters that only a --set declares: a typo (params.f for F) unless something uses them. */
  const added = new Map<string, Override>();
  const used = new Set<string>();
  if (pNode !== undefined && !(isScalar(pNode) && pNode.value === null)) {
    if (!isMap(pNode)) throw errorAt(src, ['params'], 'must be a mapping of names to numbers or strings, e.g. params: { F: 20 }');
    for (const pair of pNode.items) {
      const name = keyText(pair.key);
      if (!isParamName(name)) throw errorAt(src, ['params', name], `'${name}' is not a parameter name (letters, digits and _, not starting with a digit)`, 'key');
      const v = deref(doc, pair.value);
      if (!isScalar(v) || (typeof v.value !== 'number' && typeof v.value !== 'string')) throw errorAt(src, ['params', name], 'a parameter is a number or a string');
      if (typeof v.value === 'string' && usesParams(v.value)) throw errorAt(src, ['params', name], 'a parameter cannot use other parameters');
      params[name] = v.value;
      const o = origin.get(pair.value) ?? origin.get(v);
      if (o) setBy.set(name, o);
      if (o && origin.has(pair.key)) added.set(name, o);
    }
  }
  const paramsPair = isMap(doc.contents) ? doc.contents.items.find((p) => keyText(p.key) === 'params') : undefined;
  visit(doc, {
    Pair: (_k, pair) => (pair === paramsPair ? visit.SKIP : undefined),
    Scalar: (key, node) => {
      if (key === 'key' || typeof node.value !== 'string' || !usesParams(node.value)) return;
      const text = node.value;
      for (const m of text.matchAll(/\$\{([^}]*)\}/g)) for (const id of m[1].match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) used.add(id);
      const via = [...setBy].filter(([name]) => new RegExp(`\\b${name}\\b`).test(text)).map(([, o]) => `--set ${o.text}`).join(', ');
      if (via) (src.viaParams ??= new Map()).set(node, via);
      try {
        node.value = substitute(text, params);
      } catch (e) {
        const o = origin.get(node);
        throw new FxInputError(`'${text}': ${(e as Error).message}`, o ? `--set ${o.text}` : position(src, node));
      }
    },
  });
  for (const [name, o] of added) {
    if (used.has(name)) continue;
    const declared = Object.keys(params).filter((n) => !added.has(n));
    inputError(`no value uses parameter '${name}' (${declared.length ? `params has ${declared.join(', ')}` : 'this config has no params section'}): a --set changes a parameter, it does not add one`, `--set ${o.text}`);
  }
}

// ---------------------------------------------------------------------------------------------
// zod issues -> one readable message

type Issue = z.core.$ZodIssue;

function valueAt(data: unknown, path: readonly PropertyKey[]): { value: unknown; present: boolean } {
  let v: unknown = data;
  for (const seg of path) {
    if (v === null || typeof v !== 'object' || !(String(seg) in (v as object))) return { value: undefined, present: false };
    v = (v as Record<string, unknown>)[String(seg)];
  }
  return { value: v, present: true };
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing (null)';
  if (typeof v === 'string') return `'${v.length > 40 ? v.slice(0, 40) + '...' : v}'`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return 'a list';
  return 'a mapping';
}

const EXPECTED: Record<string, string> = {
  string: 'a string', number: 'a number', int: 'an integer', boolean: 'true or false', object: 'a mapping',
  array: 'a list', tuple: 'a list', null: 'null', bigint: 'an integer',
};
const expected = (e: string) => EXPECTED[e] ?? e;

/* eslint-disable @typescript-eslint/no-explicit-any */
/** The schema at a data path (unions resolved against the data), for key lists and descriptions. */
function schemaAt(root: z.ZodType, path: readonly PropertyKey[], data: unknown): any {
  let s: any = root;
  let d: any = data;
  const unwrap = () => {
    for (let i = 0; i < 50; i++) {
      const def = s?._zod?.def;
      if (!def) return;
      if (['optional', 'default', 'nullable', 'readonly', 'prefault', 'nonoptional', 'catch'].includes(def.type)) s = def.innerType;
      else if (def.type === 'pipe') s = def.in;
      else if (def.type === 'union') {
        const opts: any[] = def.options;
        const disc: string | undefined = def.discriminator;
        const kindOf = (o: any) => { let x = o; while (x?._zod?.def?.type === 'pipe' || x?._zod?.def?.innerType) x = x._zod.def.in ?? x._zod.def.innerType; return x; };
        const pick = disc
          ? opts.find((o) => kindOf(o)?._zod?.def?.shape?.[disc]?._zod?.def?.values?.includes(d?.[disc]))
          : opts.find((o) => {
            const t = kindOf(o)?._zod?.def?.type;
            return Array.isArray(d) ? t === 'array' || t === 'tuple' : d !== null && typeof d === 'object' ? t === 'object' || t === 'record' : t === typeof d;
          });
        if (!pick) return;
        s = pick;
      } else return;
    }
  };
  for (const seg of path) {
    unwrap();
    const def = s?._zod?.def;
    if (!def) return undefined;
    if (def.type === 'object') s = def.shape[String(seg)];
    else if (def.type === 'array') s = def.element;
    else if (def.type === 'tuple') s = def.items[Number(seg)];
    else if (def.type === 'record') s = def.valueType;
    else return undefined;
    d = d?.[seg as any];
  }
  unwrap();
  return s;
}

function descriptionAt(root: z.ZodType, path: readonly PropertyKey[], data: unknown): string | undefined {
  // the description lives on the outer (meta'd) schema, so look it up before unwrapping
  const parent = schemaAt(root, path.slice(0, -1), data);
  const outer = path.length ? parent?._zod?.def?.shape?.[String(path[path.length - 1])] : root;
  let s: any = outer;
  for (let i = 0; i < 10 && s; i++) {
    const meta = s.meta?.();
    if (meta?.description) return meta.description;
    s = s._zod?.def?.innerType;
  }
  return undefined;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Drill into a union to the branch that got furthest; returns the issue to report. */
function deepest(issue: Issue): Issue {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return issue;
  const typeOnly = (errs: Issue[]) => errs.every((e) => e.code === 'invalid_type' && e.path.length === 0);
  const branch = issue.errors.find((errs) => errs.length > 0 && !typeOnly(errs));
  if (!branch) return issue;
  const inner = deepest(branch[0]);
  return { ...inner, path: [...issue.path, ...inner.path] } as Issue;
}

const FLOW_HINT = " (inside {...} or [...] YAML splits at commas: quote format strings, 'fixed<8,1>')";

interface Problem { path: Path; message: string; at: 'value' | 'key' }

function explain(root: z.ZodType, first: Issue, data: unknown): Problem {
  const issue = deepest(first);
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)) as Path;
  const { value, present } = valueAt(data, path);
  const last = path[path.length - 1];
  const missing = !present && path.length > 0 && valueAt(data, path.slice(0, -1)).present;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const keys = Object.keys(schemaAt(root, path, data)?._zod?.def?.shape ?? {});
      const k = issue.keys[0];
      const hint = /^\s*-?\d+\s*(,.*)?>/.test(k) || /<[^>]*$/.test(k) ? FLOW_HINT : '';
      return { path: [...path, k], at: 'key', message: `unknown key '${k}'${keys.length ? ` (expected one of ${keys.join(', ')})` : ''}${hint}` };
    }
    case 'invalid_union': {
      const disc = (issue as { discriminator?: string }).discriminator;
      const options = (issue as { options?: unknown[] }).options;
      if (disc !== undefined) {
        const list = options ? ` (one of ${options.join(', ')})` : '';
        return { path, at: 'value', message: missing ? `missing required key '${last}'${list}` : `unknown ${disc} ${describe(value)}${list}` };
      }
      if (missing) return { path, at: 'value', message: `missing required key '${last}'` };
      const kinds = [...new Set(issue.errors.flatMap((errs) => errs.filter((e) => e.code === 'invalid_type').map((e) => expected((e as { expected: string }).expected))))];
      const desc = descriptionAt(root, path, data);
      return { path, at: 'value', message: `expected ${kinds.join(' or ') || 'something else'}, got ${describe(value)}${desc ? ` (${desc})` : ''}` };
    }
    case 'invalid_type':
      if (missing) return { path, at: 'value', message: `missing required key '${last}'` };
      if (path.length === 0) return { path, at: 'value', message: `expected a mapping of keys, got ${describe(value)}` };
      return { path, at: 'value', message: `expected ${expected(issue.expected)}, got ${describe(value)}` };
    case 'invalid_value':
      if (missing) return { path, at: 'value', message: `missing required key '${last}'` };
      if (issue.values.length === 1) return { path, at: 'value', message: `must be ${JSON.stringify(issue.values[0])}, got ${describe(value)}` };
      return { path, at: 'value', message: `${typeof last === 'string' ? `unknown ${last} ` : ''}${describe(value)} (one of ${issue.values.join(', ')})` };
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = small ? issue.minimum : issue.maximum;
      if (issue.origin === 'array') {
        const n = Array.isArray(value) ? value.length : 0;
        return { path, at: 'value', message: `needs ${small ? 'at least' : 'at most'} ${bound} item(s), got ${n}` };
      }
      const op = small ? (issue.inclusive === false ? '>' : '>=') : issue.inclusive === false ? '<' : '<=';
      return { path, at: 'value', message: `must be ${op} ${bound}, got ${describe(value)}` };
    }
    default: {
      // YAML splits `{format: fixed<8,1>}` at the comma: say so when a format string lost its tail
      const hint = typeof value === 'string' && /<[^>]*$/.test(value) ? FLOW_HINT : '';
      return { path, at: 'value', message: issue.message + hint };
    }
  }
}

export function validate<T>(schema: z.ZodType<T>, src: Source): T {
  const data = toPlain(src);
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const p = explain(schema as z.ZodType, r.error.issues[0], data);
  throw errorAt(src, p.path, p.message, p.at);
}

// ---------------------------------------------------------------------------------------------
// Shipped configs by name

/** The configs/ directory of the fxsim package (found from this file, not the working directory). */
export const CONFIGS_DIR = fileURLToPath(new URL('../../configs/', import.meta.url));

export interface ShippedConfig {
  /** Path under configs/ without `.yaml`, '/'-separated: `study/mnist-f20-lr10`. */
  name: string;
  path: string;
  description?: string;
}

const isFile = (p: string) => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

/** Every .yaml under configs/, sorted by name, with its `description` (unvalidated; absent if unreadable). */
/** Shipped sweep files (`fxsim sweep sweeps/<name>`) live here, apart from the datapath configs. */
export const SWEEPS_DIR = join(CONFIGS_DIR, 'sweeps');

/** The shipped datapath configs (configs/, without sweeps/), or the YAML files under `dir`. */
export function listConfigs(dir = CONFIGS_DIR): ShippedConfig[] {
  const out: ShippedConfig[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory() && p !== SWEEPS_DIR && p !== SWEEPS_DIR + sep) walk(p);
      else if (e.isFile() && e.name.endsWith('.yaml')) {
        let description: unknown;
        try {
          description = (parseDocument(readFileSync(p, 'utf8')).toJS() as { description?: unknown } | null)?.description;
        } catch {
          /* a broken file is still listed */
        }
        const name = relative(dir, p).slice(0, -'.yaml'.length).split(sep).join('/');
        out.push({ name, path: p, ...(typeof description === 'string' && { description }) });
      }
    }
  };
  try {
    walk(dir);
  } catch {
    return [];
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** Up to `max` shipped config names close to `name`: same last segment, containment, then edit distance. */
export function closeConfigNames(name: string, names: readonly string[], max = 3): string[] {
  const key = name.replace(/\\/g, '/').replace(/^(\.\/)?(configs\/)?/, '').replace(/\.ya?ml$/, '').toLowerCase();
  const base = key.slice(key.lastIndexOf('/') + 1);
  const score = (n: string) => {
    const l = n.toLowerCase();
    const b = l.slice(l.lastIndexOf('/') + 1);
    if (b === base) return 0;
    if (base && (l.includes(base) || b.includes(base) || base.includes(b))) return 1;
    const d = Math.min(editDistance(key, l), editDistance(base, b));
    return d <= Math.max(2, Math.floor(base.length / 3)) ? 2 + d : Infinity;
  };
  return names
    .map((n) => ({ n, s: score(n) }))
    .filter((x) => x.s < Infinity)
    .sort((a, b) => a.s - b.s || (a.n < b.n ? -1 : 1))
    .slice(0, max)
    .map((x) => x.n);
}

/**
 * A config argument to a file: the argument itself when it is an existing file, else a shipped
 * config by name, configs/<name> or configs/<name>.yaml under the package root (a leading
 * `configs/` is accepted). When neither exists: the usual "cannot read config" error, plus the
 * closest shipped names.
 */
/** A sweep file argument: a file, or a shipped sweep by name (`sweeps/mnist-lr-fraction`, .yaml optional). */
export function resolveSweepPath(arg: string): string {
  if (isFile(arg)) return arg;
  const name = arg.replace(/\\/g, '/').replace(/^(\.\/)?(configs\/)?(sweeps\/)?/, '').replace(/\.ya?ml$/, '');
  const shipped = join(SWEEPS_DIR, `${name}.yaml`);
  if (!isAbsolute(arg) && isFile(shipped)) return shipped;
  const all = listConfigs(SWEEPS_DIR).map((c) => `sweeps/${c.name}`);
  if (!existsSync(arg)) {
    const close = closeConfigNames(arg, all);
    inputError(`cannot read sweep file '${arg}': no such file, nor a shipped sweep of that name; ${close.length ? `did you mean ${close.join(', ')}?` : `the shipped sweeps are ${all.join(', ')}`}`);
  }
  return arg;
}

export function resolveConfigPath(arg: string): string {
  if (isFile(arg) || isAbsolute(arg)) return arg;
  const name = arg.replace(/\\/g, '/').replace(/^(\.\/)?configs\//, '');
  for (const cand of [join(CONFIGS_DIR, name), join(CONFIGS_DIR, `${name}.yaml`)]) {
    if (!relative(CONFIGS_DIR, cand).startsWith('..') && isFile(cand)) return cand;
  }
  try {
    statSync(arg);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      const all = listConfigs().map((c) => c.name);
      const close = closeConfigNames(arg, all);
      const hint = close.length ? `did you mean ${close.join(', ')}? (\`fxsim configs\` lists them all)` : `\`fxsim configs\` lists the ${all.length} shipped configs`;
      inputError(`cannot read config '${arg}': no such file, nor a shipped config of that name; ${hint}`);
    }
  }
  return arg; // exists but is not a file: readText says why
}

// ---------------------------------------------------------------------------------------------

/**
 * Load, override, validate and build a datapath config. `sets` are `dotted.key=value` strings
 * (value read as YAML: `8`, `fixed<32,12>`, `[0, 1]`, `{signed: true, width: 8, frac: 0}`);
 * numeric segments index lists; `model.*` keys edit the model file's content when `model` names
 * a file. A model file path is relative to the config file's directory (also when it comes from
 * --set). `arg` is a file, or a shipped config's name (resolveConfigPath: `study/mnist-f20-lr10`).
 * Throws FxInputError (one line, located) for every problem in the user's input.
 */
export function loadConfig(arg: string, sets: string[] = []): LoadedConfig {
  const path = resolveConfigPath(arg);
  const source = readText(path, 'config');
  const cfgSrc = parseYaml(source, path);
  const modelSets: { o: Override; value: Node | null }[] = [];
  for (const text of sets) {
    const { path: keys, value } = parseOverride(text);
    const modelNode = deref(cfgSrc.doc, locate(cfgSrc, ['model']).node);
    if (keys[0] === 'model' && keys.length > 1 && isScalar(modelNode) && typeof modelNode.value === 'string') {
      modelSets.push({ o: { text, path: keys.slice(1) }, value });
    } else {
      applyOverride(cfgSrc, { text, path: keys }, value);
    }
  }
  applyParams(cfgSrc);
  const config = validate(configSchema, cfgSrc);

  let model: ModelConfig;
  if (typeof config.model === 'string') {
    const file = isAbsolute(config.model) ? config.model : join(dirname(path), config.model);
    let text: string;
    try {
      text = readText(file, 'model file');
    } catch (e) {
      if (!(e instanceof FxInputError)) throw e;
      throw errorAt(cfgSrc, ['model'], e.message);
    }
    const modelSrc = parseYaml(text, file);
    for (const { o, value } of modelSets) applyOverride(modelSrc, o, value);
    model = validate(modelSchema, modelSrc);
  } else {
    model = config.model;
  }

  let datapath: Datapath;
  try {
    datapath = buildDatapath(config, model);
  } catch (e) {
    if (e instanceof FxConfigError) throw errorAt(cfgSrc, e.path as Path, e.message);
    if (e instanceof FxInputError) throw new FxInputError(e.message, path);
    throw e;
  }
  const locateError = (e: unknown): unknown => (e instanceof FxConfigError ? errorAt(cfgSrc, e.path as Path, e.message) : e);
  // the training units too, so that their errors are located like the datapath's
  let plan: TrainPlan | undefined;
  try {
    plan = config.training && buildTrainPlan(datapath, config.training);
  } catch (e) {
    throw locateError(e);
  }
  return { config, model, datapath, ...(plan && { plan }), resolved: resolveDatapath(datapath, config), source, path, locate: locateError };
}

// ---------------------------------------------------------------------------------------------
// The resolved config

type Modes = { rounding: string; overflow: string; n_bits: number };
export interface ResolvedConfig {
  fxsim: 1;
  name: string;
  description?: string;
  model: ModelConfig;
  defaults: Modes;
  input: { format: string; range?: [number, number]; rounding: string };
  random: { kind: 'lfsr'; width: number; taps: number[]; seed: number } | { kind: 'xoshiro128ss'; seed: number };
  layers: {
    name: string;
    weights: { format: string; overflow: string; n_bits: number };
    bias?: { format: string; overflow: string; n_bits: number };
    units: Record<string, unknown>[];
  }[];
  training?: Record<string, unknown> & { lr_shift: number; target: number };
  /** Any other section (dataset, ...) as validated, defaults filled in by the schema. */
  [section: string]: unknown;
}

const fmt = (f: Format) => formatName(f);
const reg = (r: Register) => ({ format: fmt(r.format), overflow: r.overflow, n_bits: r.nBits });

const isFormat = (v: unknown): v is Format =>
  !!v && typeof v === 'object' && typeof (v as Format).signed === 'boolean' && typeof (v as Format).width === 'number'
  && typeof (v as Format).frac === 'number' && Object.keys(v).length === 3;

/** A format as the parser gave it back: `fixed<W,I>` plus the modes the spelling carried, in order. */
function specText(spec: FormatSpec): string {
  const args = [spec.rounding, spec.overflow, spec.nBits].filter((a) => a !== undefined);
  return args.length ? formatName(spec.format).replace('>', `,${args.join(',')}>`) : formatName(spec.format);
}

/** A validated config value back to plain YAML data: FormatSpec objects become format strings. */
function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') {
    if (isFormat((v as FormatSpec).format)) return specText(v as FormatSpec);
    return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, plain(x)]));
  }
  return v;
}

/**
 * The datapath as a config with nothing left to defaults: every unit's name and modes, the
 * random source with its taps, the model inlined. Formats are written `fixed<W,I>` (exact), the
 * modes as keys. Sections the datapath does not cover (training details, dataset) are copied
 * from the validated config with the schema's defaults filled in.
 */
export function resolveDatapath(dp: Datapath, config?: DatapathConfig): ResolvedConfig {
  const rest = (config ? plain(config) : {}) as Record<string, unknown>;
  const known = new Set(['fxsim', 'name', 'description', 'model', 'defaults', 'input', 'random', 'layers', 'training']);
  const extra = Object.fromEntries(Object.entries(rest).filter(([k]) => !known.has(k)));
  const training = (rest.training ?? {}) as Record<string, unknown>;
  const m = dp.model;
  const model: ModelConfig = {
    ...(m.name !== undefined && { name: m.name }),
    ...(m.description !== undefined && { description: m.description }),
    inputs: m.inputs,
    layers: m.layers.map((l) => ({ size: l.size, ...(l.name !== undefined && { name: l.name }) })),
  };
  const r = dp.random;
  const random: ResolvedConfig['random'] = r.kind === 'lfsr'
    ? { kind: 'lfsr', width: r.width ?? DEFAULT_LFSR_WIDTH, taps: [...(r.taps ?? LFSR_TAPS[r.width ?? DEFAULT_LFSR_WIDTH])], seed: r.seed ?? 1 }
    : { kind: 'xoshiro128ss', seed: r.seed ?? 1 };
  return {
    fxsim: 1,
    name: dp.name,
    ...(dp.description !== undefined && { description: dp.description }),
    model,
    defaults: { rounding: dp.defaults.rounding, overflow: dp.defaults.overflow, n_bits: dp.defaults.nBits },
    input: { format: fmt(dp.input.format), ...(dp.input.range && { range: [...dp.input.range] as [number, number] }), rounding: dp.input.rounding },
    random,
    layers: dp.layers.map((l) => {
      const s = l.mac.spec;
      const mac: Record<string, unknown> = { kind: 'mac', name: s.name, acc: fmt(s.acc), overflow: s.accOverflow, n_bits: s.accNBits ?? 0 };
      if (s.product) mac.product = { format: fmt(s.product.format), rounding: s.product.modes.rounding, overflow: s.product.modes.overflow, n_bits: s.product.modes.nBits };
      const post = l.post.map((u): Record<string, unknown> => {
        const modes = { rounding: u.spec.modes.rounding, overflow: u.spec.modes.overflow, n_bits: u.spec.modes.nBits };
        if (u.kind === 'shift') return { kind: 'shift', name: u.name, by: u.spec.shift, output: fmt(u.spec.output), ...modes };
        if (u.kind === 'softmax') return { kind: 'softmax', name: u.name, output: fmt(u.spec.output), log2e_frac: u.log2eFrac, exp_frac: u.expFrac, ...modes };
        const params = u.spec.params;
        return {
          kind: 'activation', name: u.name, function: u.spec.def.name,
          ...(Object.keys(params).length > 0 && { params }),
          output: fmt(u.spec.output), ...modes,
        };
      });
      return { name: l.name, weights: reg(l.weights), ...(l.bias && { bias: reg(l.bias) }), units: [mac, ...post] };
    }),
    ...(dp.lrShift !== undefined && { training: { ...training, lr_shift: dp.lrShift, target: dp.target ?? 1 } }),
    ...extra,
  };
}
