// Loss curves of a training run: CSV/TSV logs with an epoch or step column, JSON lines, and
// TensorBoard event files (scalars); and the loss jumps on them.
import { InputError } from '../errors';
import { readTensorBoardScalars } from './tensorboard';

export interface LossPoint {
  /** Epoch or step. */
  x: number;
  loss: number;
  /** The gradient norm at that point, when the log has it. */
  gradNorm?: number;
}

export interface LossSeries {
  /** The file it came from. */
  source: string;
  /** The loss column or TensorBoard tag, e.g. "loss", "train_loss", "val/loss". */
  name: string;
  unit: 'epoch' | 'step';
  points: LossPoint[];
  /** Something the reader had to leave out, e.g. a last record still being written. */
  note?: string;
}

/** Largest log read. */
export const MAX_LOG_BYTES = 256 * 1024 * 1024;
const MAX_POINTS = 10_000_000;

const X_COLUMNS: [RegExp, 'epoch' | 'step'][] = [
  [/^epochs?$/i, 'epoch'],
  [/^(global_?)?steps?$|^iter(ation)?s?$|^updates?$/i, 'step'],
];
const LOSS_COLUMN = /loss/i;
const GRAD_COLUMN = /grad(ient)?[_ ]?norm/i;

function splitLine(line: string, sep: string): string[] {
  if (!line.includes('"')) return line.split(sep).map((c) => c.trim());
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

/** Series from the loss columns of a CSV/TSV log with a header naming an epoch or step column. */
export function parseLossTable(text: string, source: string): LossSeries[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  if (lines.length === 0) return [];
  const sep = lines[0].includes('\t') ? '\t' : lines[0].includes(';') && !lines[0].includes(',') ? ';' : ',';
  const head = splitLine(lines[0], sep);
  let xIndex = -1;
  let unit: 'epoch' | 'step' = 'epoch';
  for (const [re, u] of X_COLUMNS) {
    const i = head.findIndex((h) => re.test(h));
    if (i >= 0) {
      xIndex = i;
      unit = u;
      break;
    }
  }
  if (xIndex < 0) throw new InputError(`${source}: a loss log needs an epoch or step column; the header is ${head.slice(0, 12).join(', ')}`);
  const lossCols = head.map((h, i) => ({ h, i })).filter(({ h, i }) => i !== xIndex && LOSS_COLUMN.test(h));
  if (lossCols.length === 0) throw new InputError(`${source}: no loss column (a column whose name has "loss"); the header is ${head.slice(0, 12).join(', ')}`);
  const gradIndex = head.findIndex((h) => GRAD_COLUMN.test(h));
  const series = lossCols.map(({ h }) => ({ source, name: h, unit, points: [] as LossPoint[] }));
  for (let r = 1; r < lines.length && r <= MAX_POINTS; r++) {
    const cells = splitLine(lines[r], sep);
    const x = Number(cells[xIndex]);
    if (!Number.isFinite(x) || cells[xIndex] === '') continue;
    const g = gradIndex >= 0 ? Number(cells[gradIndex]) : NaN;
    lossCols.forEach(({ i }, k) => {
      const v = Number(cells[i]);
      // Lightning's metrics.csv leaves a column empty on the rows other metrics were logged on.
      if (cells[i] === undefined || cells[i] === '' || !Number.isFinite(v)) return;
      series[k].points.push({ x, loss: v, ...(Number.isFinite(g) ? { gradNorm: g } : {}) });
    });
  }
  return series.filter((s) => s.points.length > 0);
}

/** Series from JSON lines ({"epoch": 3, "loss": 0.1, …} per line). */
export function parseLossJsonLines(text: string, source: string): LossSeries[] {
  const byName = new Map<string, LossSeries>();
  let n = 0;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || ++n > MAX_POINTS) continue;
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch {
      throw new InputError(`${source}: line ${n} is not JSON`);
    }
    if (typeof o !== 'object' || o === null || Array.isArray(o)) continue;
    const rec = o as Record<string, unknown>;
    const xKey = Object.keys(rec).find((k) => X_COLUMNS.some(([re]) => re.test(k)));
    if (!xKey || typeof rec[xKey] !== 'number') continue;
    const unit = X_COLUMNS.find(([re]) => re.test(xKey))![1];
    const g = Object.keys(rec).find((k) => GRAD_COLUMN.test(k));
    for (const [k, v] of Object.entries(rec)) {
      if (!LOSS_COLUMN.test(k) || typeof v !== 'number' || !Number.isFinite(v)) continue;
      const s = byName.get(k) ?? { source, name: k, unit, points: [] };
      s.points.push({ x: rec[xKey] as number, loss: v, ...(g && typeof rec[g] === 'number' ? { gradNorm: rec[g] as number } : {}) });
      byName.set(k, s);
    }
  }
  return [...byName.values()];
}

/** Reads a log by its name: .csv/.tsv/.txt tables, .jsonl/.ndjson lines, TensorBoard event files. */
export function parseLossLog(name: string, bytes: Uint8Array): LossSeries[] {
  if (bytes.length > MAX_LOG_BYTES) throw new InputError(`${name}: a log of ${bytes.length} bytes is larger than the ${MAX_LOG_BYTES}-byte limit`);
  if (/tfevents/.test(name)) {
    const { series, cutOffAt } = readTensorBoardScalars(bytes, name);
    const note = cutOffAt === undefined ? undefined : `${name}: the record at byte ${cutOffAt} is cut short (still being written?); the ones before it are read`;
    return series
      .filter((s) => LOSS_COLUMN.test(s.tag))
      .map((s) => ({ source: name, name: s.tag, unit: 'step' as const, points: s.points.map((p) => ({ x: p.step, loss: p.value })), ...(note ? { note } : {}) }));
  }
  const text = Buffer.from(bytes).toString('utf8');
  if (/\.(jsonl|ndjson)$/i.test(name)) return parseLossJsonLines(text, name);
  return parseLossTable(text, name);
}

/** The series to align with: a training loss before a validation one. */
export function trainingLoss(series: LossSeries[]): LossSeries | undefined {
  // free_loss (scyfi train: the loss without forcing) first: with teacher forcing the logged loss
  // is the forced one, whose jumps are not the model's.
  const rank = (s: LossSeries) => (/^free_loss$/i.test(s.name) ? -1 : /val|valid|test|eval/i.test(s.name) ? 2 : /train/i.test(s.name) || /^loss$/i.test(s.name) ? 0 : 1);
  return [...series].sort((a, b) => rank(a) - rank(b) || b.points.length - a.points.length)[0];
}

export interface LossJump {
  /** Where the loss jumps: the x of the first point after the jump began. */
  x: number;
  /** The x before it. */
  from: number;
  /** The x where it ends: consecutive outstanding changes in one direction are one jump. */
  until: number;
  /** log(loss at `until` / loss at `from`). */
  size: number;
  direction: 'up' | 'down';
  /** How many local MADs the change is from the local median change. */
  score: number;
}

export interface JumpOptions {
  /** A change is a jump when it is this many scaled MADs from the local median (default 6). */
  threshold?: number;
  /** Points on each side of the local window (default 10); a jump needs that many points before it. */
  halfWindow?: number;
  /** Changes smaller than this in |log loss| are never jumps, whatever the scale (default 0.05). */
  minSize?: number;
  /**
   * A jump must also move the loss by this fraction of its range over the run (default 0.01):
   * near the noise floor a loss of 1e-4 doubles and halves by chance, and that is no jump.
   */
  minRangeFraction?: number;
}

export const DEFAULT_MIN_RANGE_FRACTION = 0.01;

export const DEFAULT_JUMP_THRESHOLD = 6;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Loss jumps: the changes d_i = log L_{i+1} − log L_i that stand out from the local scale of
 * fluctuations: |d_i − median| > threshold · 1.4826 · MAD over the 2·halfWindow changes around
 * it (d_i itself left out), and moving the loss by at least minRangeFraction of its range over the
 * run. Consecutive outstanding changes in one direction are one jump. The
 * first halfWindow changes are not judged: their window is one-sided, and the steep start of
 * training would count as a jump. Non-positive losses are skipped (log undefined).
 */
export function detectJumps(series: LossSeries, options: JumpOptions = {}): LossJump[] {
  const threshold = options.threshold ?? DEFAULT_JUMP_THRESHOLD;
  const half = options.halfWindow ?? 10;
  const minSize = options.minSize ?? 0.05;
  const pts = [...series.points].filter((p) => p.loss > 0).sort((a, b) => a.x - b.x);
  const range = pts.reduce((r, p) => [Math.min(r[0], p.loss), Math.max(r[1], p.loss)], [Infinity, -Infinity]);
  const minAbsolute = (options.minRangeFraction ?? DEFAULT_MIN_RANGE_FRACTION) * (range[1] - range[0]);
  const d: { from: number; x: number; v: number; abs: number }[] = [];
  for (let i = 0; i + 1 < pts.length; i++) d.push({ from: pts[i].x, x: pts[i + 1].x, v: Math.log(pts[i + 1].loss) - Math.log(pts[i].loss), abs: Math.abs(pts[i + 1].loss - pts[i].loss) });
  const runs: (LossJump & { moved: number })[] = [];
  let prev = -2;
  for (let i = half; i < d.length; i++) {
    const around: number[] = [];
    for (let j = Math.max(0, i - half); j <= Math.min(d.length - 1, i + half); j++) if (j !== i) around.push(d[j].v);
    if (around.length < 4) continue;
    const med = median(around);
    const mad = 1.4826 * median(around.map((v) => Math.abs(v - med)));
    const scale = Math.max(mad, 1e-12);
    const score = Math.abs(d[i].v - med) / scale;
    if (score <= threshold || Math.abs(d[i].v) < minSize) continue;
    const direction = d[i].v > 0 ? 'up' : 'down';
    const last = runs[runs.length - 1];
    if (last && prev === i - 1 && last.direction === direction) {
      last.until = d[i].x;
      last.size += d[i].v;
      last.score = Math.max(last.score, score);
      last.moved += d[i].abs;
    } else runs.push({ x: d[i].x, from: d[i].from, until: d[i].x, size: d[i].v, direction, score, moved: d[i].abs });
    prev = i;
  }
  // The whole jump, not each of its steps, must move the loss by enough.
  const out: LossJump[] = runs.filter((r) => r.moved >= minAbsolute).map(({ moved: _moved, ...j }) => j);
  return out;
}
