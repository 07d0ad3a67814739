/**
 * The search behind `fxsim minprec`, as pure functions of an evaluator (no training here: the
 * tests drive it with a fake). Two nested searches:
 *
 * - searchLr: at one precision value x, the learning rate (training.lr_shift, an integer) is
 *   searched over lo..hi assuming accuracy is unimodal in it. A coarse pass takes every other
 *   value (those of the config's own lr_shift parity, so the config's value is among them), all
 *   in one batch (the evaluator runs a batch in parallel). If some coarse value reaches the target
 *   and the caller only asks "does x reach?", that is the answer (early stop). Otherwise a refine
 *   pass takes the untried neighbours (±1) of every coarse value that ties for the best coarse
 *   accuracy. For any unimodal accuracy (plateaus allowed) this finds the exact maximum over
 *   lo..hi: the maximum's neighbours are coarse values, one of them is a coarse argmax.
 *   Ties between lr values go to the smaller lr_shift.
 *
 * - searchMinimum: the smallest x in lo..hi that reaches the target (some lr reaches it),
 *   assuming it is monotone in x (more precision never hurts once the lr is re-tuned): probe
 *   hi first (if it fails: "not reached up to hi", one probe), then bisect lo..hi-1 keeping
 *   "hi passes, everything below lo fails". Confirmation: the minimum's lr search is completed
 *   (best lr, not only a passing one) and min - 1 is probed and must fail. Both are trained
 *   runs (the bisection has usually trained them already; probes are memoized per (x, lr)).
 *   When the minimum is lo itself, min - 1 is outside the range and is not tried.
 */

/** Accuracy of one run, or null when its config does not load (counts as not reaching). */
export type Accuracy = number | null;

/** Train the runs (x, lr) for every lr of `lrs` (in parallel if you can); accuracies in that order. */
export type Evaluate = (x: number, lrs: readonly number[]) => Promise<Accuracy[]>;

export interface LrRange {
  lo: number;
  hi: number;
  /** The config's own lr_shift: the coarse pass takes the values of its parity (default lo). */
  center?: number;
}

export interface LrTrial {
  lr: number;
  accuracy: Accuracy;
}

/** What is known of one precision value after its lr search. */
export interface Probe {
  x: number;
  reached: boolean;
  /** The best lr tried (ties: the smaller lr_shift); null when no run loaded. */
  bestLr: number | null;
  accuracy: Accuracy;
  /** Every lr tried at this x, by lr. */
  trials: LrTrial[];
  /** The lr search ran to the end (coarse + refine): bestLr is the best of the range. */
  complete: boolean;
}

/** The coarse pass: every other value of lo..hi, with the parity of `center` when it is in range. */
export function coarseLrs(range: LrRange): number[] {
  const { lo, hi } = range;
  const c = range.center;
  const start = c !== undefined && c >= lo && c <= hi ? lo + ((c - lo) % 2) : lo;
  const out: number[] = [];
  for (let lr = start; lr <= hi; lr += 2) out.push(lr);
  if (out.length === 0) out.push(lo);
  return out;
}

const better = (a: Accuracy, b: Accuracy) => (a ?? -Infinity) > (b ?? -Infinity);

/** The best trial: highest accuracy, ties to the smaller lr. */
function best(trials: readonly LrTrial[]): LrTrial | undefined {
  let b: LrTrial | undefined;
  for (const t of [...trials].sort((p, q) => p.lr - q.lr)) if (!b || better(t.accuracy, b.accuracy)) b = t;
  return b;
}

function probeOf(x: number, trials: Map<number, Accuracy>, target: number, complete: boolean): Probe {
  const list = [...trials].map(([lr, accuracy]) => ({ lr, accuracy })).sort((a, b) => a.lr - b.lr);
  const b = best(list);
  const accuracy = b?.accuracy ?? null;
  return { x, reached: accuracy !== null && accuracy >= target, bestLr: accuracy === null ? null : b!.lr, accuracy, trials: list, complete };
}

/**
 * The lr search at one x. `known` holds the trials of this x already run (it is extended in
 * place); `complete` asks for the best lr, not only whether the target is reached.
 */
export async function searchLr(evaluate: Evaluate, x: number, range: LrRange, target: number, opts: { complete?: boolean; known?: Map<number, Accuracy> } = {}): Promise<Probe> {
  const known = opts.known ?? new Map<number, Accuracy>();
  const run = async (lrs: readonly number[]) => {
    const todo = lrs.filter((lr) => !known.has(lr));
    if (todo.length === 0) return;
    const acc = await evaluate(x, todo);
    todo.forEach((lr, i) => known.set(lr, acc[i]));
  };
  const coarse = coarseLrs(range);
  await run(coarse);
  const coarseTrials = coarse.map((lr) => ({ lr, accuracy: known.get(lr) ?? null }));
  const top = best(coarseTrials)!;
  if (!opts.complete && top.accuracy !== null && top.accuracy >= target) return probeOf(x, new Map(coarse.map((lr) => [lr, known.get(lr)!])), target, false);
  const refine = new Set<number>();
  if (top.accuracy !== null) {
    for (const t of coarseTrials) {
      if (t.accuracy !== top.accuracy) continue;
      for (const n of [t.lr - 1, t.lr + 1]) if (n >= range.lo && n <= range.hi) refine.add(n);
    }
    await run([...refine].sort((a, b) => a - b));
  }
  // the probe is over this search's own trials (coarse + refine), whatever else `known` holds
  const mine = new Set([...coarse, ...refine]);
  return probeOf(x, new Map([...mine].map((lr) => [lr, known.get(lr)!])), target, true);
}

export interface MinimumOptions {
  /** The precision range, inclusive. */
  lo: number;
  hi: number;
  lr: LrRange;
  target: number;
  /** Called after each probe (progress). */
  onProbe?: (p: Probe) => void;
}

export interface MinimumResult {
  lo: number;
  hi: number;
  target: number;
  /** Some x in lo..hi reaches the target. */
  reached: boolean;
  /** The smallest x that reaches it (confirmed: it passes, min - 1 fails). */
  min: number | null;
  /** min === lo: min - 1 is below the range and was not tried. */
  atLow: boolean;
  /** The complete lr search at min (when reached). */
  atMin: Probe | null;
  /** min - 1's probe (it failed; its lr search is complete). Null when not reached or at lo. */
  below: Probe | null;
  /** The probe at hi: when not reached, the best the top of the range gave. */
  top: Probe;
  /** Every x probed, in x order. */
  probes: Probe[];
  /** Distinct (x, lr) runs the search asked for (runs whose config did not load excluded). */
  runs: number;
  /** Runs that did not load (counted as not reaching). */
  unloaded: number;
  /** Runs of the full grid: every x of the range times every lr. */
  grid: number;
}

/** Thrown when the confirmation contradicts the bisection (a bug, or an evaluator that is not a function). */
export class SearchInconsistency extends Error {
  override name = 'SearchInconsistency';
}

/** The smallest x of lo..hi whose best lr reaches the target, by bisection, then confirmed. */
export async function searchMinimum(evaluate: Evaluate, opts: MinimumOptions): Promise<MinimumResult> {
  const { lo, hi, target } = opts;
  if (!(Number.isInteger(lo) && Number.isInteger(hi) && lo <= hi)) throw new RangeError(`bad range ${lo}..${hi}`);
  const trials = new Map<number, Map<number, Accuracy>>();
  const probes = new Map<number, Probe>();
  const probe = async (x: number, complete = false): Promise<Probe> => {
    const had = probes.get(x);
    if (had && (had.complete || !complete)) return had;
    let known = trials.get(x);
    if (!known) trials.set(x, (known = new Map()));
    const p = await searchLr(evaluate, x, opts.lr, target, { complete, known });
    probes.set(x, p);
    opts.onProbe?.(p);
    return p;
  };

  const top = await probe(hi);
  let min: number | null = null;
  if (top.reached) {
    // invariant: b passes; every x < a fails (or a === lo)
    let a = lo;
    let b = hi;
    while (a < b) {
      const mid = Math.floor((a + b) / 2);
      if ((await probe(mid)).reached) b = mid;
      else a = mid + 1;
    }
    min = b;
  }
  let atMin: Probe | null = null;
  let below: Probe | null = null;
  if (min !== null) {
    atMin = await probe(min, true);
    if (!atMin.reached) throw new SearchInconsistency(`x=${min} passed, then failed with the complete lr search`);
    if (min > lo) {
      below = await probe(min - 1, true);
      if (below.reached) throw new SearchInconsistency(`x=${min - 1} reached the target but the bisection had it failing`);
    }
  }
  let runs = 0;
  let unloaded = 0;
  for (const m of trials.values()) for (const acc of m.values()) acc === null ? unloaded++ : runs++;
  const lrCount = opts.lr.hi - opts.lr.lo + 1;
  return {
    lo, hi, target, reached: min !== null, min, atLow: min === lo, atMin, below, top: probes.get(hi)!,
    probes: [...probes.values()].sort((p, q) => p.x - q.x), runs, unloaded, grid: (hi - lo + 1) * lrCount,
  };
}
