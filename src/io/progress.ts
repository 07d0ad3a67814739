/**
 * Progress reporting for long loops (training, evaluation, dataset conversion).
 *
 * Three modes, chosen once at creation:
 * - 'tty'   (stream.isTTY and not CI): a cli-progress bar, redrawn at most 10 times a second:
 *           `train [=====-----] 25% | 25000/100000 | 41k samples/s | ETA 1m12s | acc 0.874`
 *           (at stop() the ETA becomes the elapsed time: `| in 2.4s |`)
 * - 'lines' (not a TTY, not CI; e.g. output piped to a log file): a plain line at most every
 *           `intervalSec` seconds (default 10), and a final line at stop():
 *           `train: 25000/100000 (25%) 41k samples/s eta 1m12s acc 0.874`
 * - 'quiet' (CI, i.e. process.env.CI set): only the final line at stop():
 *           `train: 100000/100000 (100%) in 2.4s, 41k samples/s acc 0.874`
 *
 * `update(done, fields?)` is cheap enough to call every step: it stores its arguments and only
 * every `stride` calls reads the clock; the stride adapts (doubling up to 1024, or shrinking in
 * proportion when calls are slow) so that the clock is read about every 50 ms on a TTY and every
 * 250 ms otherwise, never per call once the loop is fast. `fields` may be a function, evaluated
 * only when a line is actually drawn. Rates are measured over a sliding window of a few seconds;
 * the final line uses the average over the whole run.
 */
import cliProgress from 'cli-progress';

export type ProgressFields = Readonly<Record<string, string | number | bigint>>;

/** What the progress reporter needs of a stream: process.stderr, or a fake in tests. */
export interface ProgressStream {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  total: number;
  label: string;
  stream?: ProgressStream;
  /** Quiet mode: only a final line. Default: !!process.env.CI. */
  ci?: boolean;
  /** Non-TTY mode: seconds between plain lines. Default 10. */
  intervalSec?: number;
  /** What is counted, for the rate: `41k samples/s`. Default 'it'. */
  unit?: string;
  /** Millisecond clock (tests inject a fake one). Default performance.now. */
  now?: () => number;
}

export interface Progress {
  readonly mode: 'tty' | 'lines' | 'quiet';
  /** Record progress: `done` items of `total`, plus live fields such as `{ acc: 0.874 }`. */
  update(done: number, fields?: ProgressFields | (() => ProgressFields)): void;
  /** Draw the final state and release the terminal. Idempotent; later updates are ignored. */
  stop(): void;
}

const MAX_STRIDE = 1024;

/** 812, 3.5, 0.42, 41k, 4.1k, 1.2M */
export function formatRate(r: number): string {
  if (!Number.isFinite(r) || r <= 0) return '0';
  const units: [number, string][] = [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [scale, suffix] of units) if (r >= scale) return `${sig(r / scale)}${suffix}`;
  return sig(r);
}

const sig = (x: number): string => (x >= 10 ? String(Math.round(x)) : String(Number(x.toPrecision(2))));

/** 0.4s, 2.4s, 42s, 1m12s, 2h05m */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(1)}s`;
  if (s < 60) return `${Math.floor(s)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** `acc 0.874 loss 0.31`: numbers to 3 significant digits, integers and strings as they are. */
export function formatFields(fields: ProgressFields | undefined): string {
  if (!fields) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(fields)) {
    const s = typeof v === 'number' && !Number.isInteger(v) && Number.isFinite(v) ? String(Number(v.toPrecision(3))) : String(v);
    parts.push(`${k} ${s}`);
  }
  return parts.join(' ');
}

export function createProgress(opts: ProgressOptions): Progress {
  const stream = opts.stream ?? process.stderr;
  const ci = opts.ci ?? !!process.env.CI;
  const now = opts.now ?? (() => performance.now());
  const unit = opts.unit ?? 'it';
  const { label } = opts;
  const total = opts.total;
  const intervalMs = (opts.intervalSec ?? 10) * 1000;
  const mode: Progress['mode'] = ci ? 'quiet' : stream.isTTY ? 'tty' : 'lines';
  const targetMs = mode === 'tty' ? 50 : 250; // aim: one clock read per this many ms
  const drawMs = mode === 'tty' ? 100 : intervalMs;
  const windowMs = mode === 'tty' ? 5000 : Math.max(5000, intervalMs);

  const t0 = now();
  let done = 0;
  let fields: ProgressFields | (() => ProgressFields) | undefined;
  let calls = 0;
  let nextCheck = mode === 'quiet' ? Infinity : 1;
  let stride = 1;
  let lastCheck = t0;
  let lastDraw = t0;
  // sliding rate window: rate = (done - a.done) / (t - a.t), with b the newer anchor
  let a = { t: t0, done: 0 };
  let b = { t: t0, done: 0 };
  let stopped = false;

  const pct = () => (total > 0 ? Math.floor(Math.min(1, Math.max(0, done / total)) * 100) : 100);
  const fieldText = () => formatFields(typeof fields === 'function' ? fields() : fields);
  const windowRate = (t: number) => (t > a.t ? ((done - a.done) * 1000) / (t - a.t) : 0);
  const eta = (rate: number) => (rate > 0 ? formatDuration(((total - done) / rate) * 1000) : '?');

  let bar: cliProgress.SingleBar | undefined;
  if (mode === 'tty') {
    bar = new cliProgress.SingleBar({
      stream: stream as NodeJS.WritableStream,
      format: `${label.replace(/[{}]/g, '')} [{bar}] {percentage}% | {value}/{total} | {rate} ${unit}/s | {etaText}{text}`,
      barsize: 30,
      hideCursor: null,
      synchronousUpdate: false, // we decide when to draw
    });
    // SingleBar re-arms a redraw timer on every render; unref it so a bar that is never
    // stopped (an exception between start and stop) cannot keep the process alive.
    const b0 = bar as unknown as { render(): void; timer?: { unref?: () => void } | null };
    const render = b0.render.bind(b0);
    b0.render = () => {
      render();
      b0.timer?.unref?.();
    };
    bar.start(total, 0, { rate: '0', etaText: 'ETA ?', text: '' });
  }

  const line = (t: number, final: boolean): string => {
    const f = fieldText();
    const head = `${label}: ${done}/${total} (${pct()}%)`;
    if (final) {
      const elapsed = t - t0;
      const rate = elapsed > 0 ? (done * 1000) / elapsed : 0;
      return `${head} in ${formatDuration(elapsed)}, ${formatRate(rate)} ${unit}/s${f ? ` ${f}` : ''}\n`;
    }
    const rate = windowRate(t);
    return `${head} ${formatRate(rate)} ${unit}/s eta ${eta(rate)}${f ? ` ${f}` : ''}\n`;
  };

  const draw = (t: number) => {
    lastDraw = t;
    if (bar) {
      const rate = windowRate(t);
      const f = fieldText();
      bar.update(done, { rate: formatRate(rate), etaText: `ETA ${eta(rate)}`, text: f ? ` | ${f}` : '' });
      bar.render();
    } else stream.write(line(t, false));
  };

  const tick = () => {
    const t = now();
    const dt = t - lastCheck;
    if (dt < targetMs / 2) stride = Math.min(stride * 2, MAX_STRIDE);
    else if (dt > targetMs * 2) stride = Math.max(1, Math.floor((stride * targetMs) / dt));
    lastCheck = t;
    nextCheck = calls + stride;
    if (t - b.t >= windowMs) {
      a = b;
      b = { t, done };
    }
    if (t - lastDraw >= drawMs) draw(t);
  };

  return {
    mode,
    update(d, f) {
      if (stopped) return;
      done = d;
      fields = f;
      if (++calls >= nextCheck) tick();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      const t = now();
      if (bar) {
        const elapsed = t - t0;
        const f = fieldText();
        bar.update(done, { rate: formatRate(elapsed > 0 ? (done * 1000) / elapsed : 0), etaText: `in ${formatDuration(elapsed)}`, text: f ? ` | ${f}` : '' });
        bar.stop();
      } else stream.write(line(t, true));
    },
  };
}
