// What the results panel and the sweep panel pages share: the header (file, model, status,
// progress, buttons), the banner (error, stale file, cancelled run), the reader's notes, and the
// page loop (validated messages from the host, one render per animation frame, the state saved
// for reloads, theme changes).
import { parse, type Channel, type MessageDecl, type MessageOf } from '../shared/messages';
import type { ModelInfo } from '../shared/shapes';
import type { RunStatus } from '../shared/protocol';
import { clear, h } from './dom';
import { onThemeChange, type ThemeColors } from './theme';
import { orderStyle, SWATCH_SHAPE } from './orderStyle';
import { postToHost, saveState, savedState } from './vscodeApi';

const STATUS_TEXT: Record<RunStatus, string> = { running: 'running…', done: 'done', cancelled: 'cancelled', error: 'error' };

export function button(label: string, title: string, onClick: () => void, cls = 'secondary'): HTMLButtonElement {
  const b = h('button', { class: cls, title }, label);
  b.addEventListener('click', onClick);
  return b;
}

/** A link that runs `onClick` (keyboard reachable: it has an href). */
export function actionLink(text: string, title: string, onClick: () => void, attrs: Record<string, string> = {}): HTMLAnchorElement {
  const a = h('a', { href: '#', title, ...attrs }, text);
  a.addEventListener('click', (e) => {
    e.preventDefault();
    onClick();
  });
  return a;
}

/** A legend's sample of a colour: a dot (filled or hollow), a marker shape, a line or a box. */
export function swatch(color: string, filled: boolean, shape: 'dot' | 'square' | 'triangle' | 'diamond' | 'line' | 'box' = 'dot', opacity = 1): HTMLElement {
  const el = h('span', { class: `swatch ${shape}`, 'aria-hidden': 'true' });
  el.style.borderColor = color;
  el.style.background = filled ? color : 'transparent';
  el.style.opacity = String(opacity);
  return el;
}

/** An order's legend swatch: its colour in its marker's shape (orderStyle). */
export function orderSwatch(colors: ThemeColors, order: number): HTMLElement {
  const s = orderStyle(colors, order);
  return swatch(s.color, true, SWATCH_SHAPE[s.shape]);
}

/**
 * A card holding one plot: its head (title, controls, Save PNG), the canvas in a box of class
 * `plotClass` (its height), then what goes under it (captions, a legend).
 */
export function plotCard(title: string | HTMLElement, controls: HTMLElement[], onSavePng: () => void, canvas: HTMLCanvasElement, plotClass: string, ...below: HTMLElement[]): HTMLElement {
  return h(
    'section',
    { class: 'card' },
    h('div', { class: 'card-head' }, typeof title === 'string' ? h('span', { class: 'nowrap' }, title) : title, ...controls, button('Save PNG', 'Save this plot as a PNG image', onSavePng)),
    h('div', { class: `plot ${plotClass}`.trim() }, canvas),
    ...below,
  );
}

export interface Frame {
  title: HTMLElement;
  meta: HTMLElement;
  status: HTMLElement;
  progress: HTMLElement;
  banner: HTMLElement;
  notes: HTMLElement;
  /** The header, banner and notes, to put first on the page. */
  top: HTMLElement[];
}

export function panelFrame(actions: HTMLElement[]): Frame {
  const title = h('h1', {});
  const meta = h('span', { class: 'meta' });
  const status = h('span', { 'data-testid': 'status', class: 'status' });
  const progress = h('span', { class: 'progress muted', 'aria-live': 'polite' });
  const banner = h('div', { class: 'banner', role: 'status' });
  const notes = h('ul', { class: 'notes', 'data-testid': 'notes' });
  const header = h('header', {}, h('div', { class: 'title-row' }, title, meta, status, progress), h('div', { class: 'actions' }, ...actions));
  return { title, meta, status, progress, banner, notes, top: [header, banner, notes] };
}

/** "model 2 · plrnn · M = 2 · H = 2 · pytorch · clip 10". */
export function modelMeta(m: ModelInfo | undefined, modelIndex?: number): string {
  if (!m) return '';
  return `${modelIndex !== undefined ? `model ${modelIndex} · ` : ''}${m.architecture} · M = ${m.M} · H = ${m.H}${m.format !== 'json' ? ` · ${m.format}` : ''}${
    m.options?.length ? ` · ${m.options.map((o) => `${o.key} ${o.value}`).join(', ')}` : ''
  }`;
}

export interface HeaderState {
  fileName: string;
  modelIndex?: number;
  model?: ModelInfo;
  status: RunStatus;
  error?: string;
  stale?: boolean;
}

/** Fills the header, the notes and the banner; `cancelledText` is what the banner says after a cancel. */
export function renderFrame(f: Frame, s: HeaderState, progressText: string, cancelledText: string, onRerun: () => void, staleText = 'The file changed after this run. '): void {
  f.title.textContent = s.fileName;
  f.meta.textContent = modelMeta(s.model, s.modelIndex);
  clear(f.notes);
  for (const n of s.model?.notes ?? []) f.notes.append(h('li', {}, n));
  f.notes.hidden = !s.model?.notes?.length;
  f.status.textContent = STATUS_TEXT[s.status];
  f.status.className = `status ${s.status}`;
  f.progress.textContent = s.status === 'running' ? progressText : '';
  clear(f.banner);
  f.banner.className = 'banner';
  // A file that changed says so first, also over an error: the error may be fixed by now.
  const stale = s.stale
    ? h(
        'div',
        { 'data-testid': 'stale' },
        s.status === 'error'
          ? `${staleText.trim().replace(/\.$/, '')}: the error below is of the earlier text. `
          : s.status === 'running'
            ? `${staleText.trim().replace(/\.$/, '')} (this run started before: it reads the earlier text). `
            : staleText,
        actionLink('Re-run', 'Run it again on the file as it is now', onRerun),
      )
    : null;
  if (s.status === 'error' && s.error) {
    f.banner.className = 'banner error';
    f.banner.append(...(stale ? [stale] : []), h('div', { 'data-testid': 'error' }, s.error));
  } else if (stale) {
    f.banner.className = 'banner info';
    f.banner.append(stale);
  } else if (s.status === 'cancelled') {
    f.banner.className = 'banner info';
    f.banner.append(cancelledText);
  }
}

/** Saved for reloads: the host's state of the panel and the page's own view (sorting, selection…). */
export interface Saved<S, V> {
  panel?: S;
  view?: V;
}

export function restore<S>(parseState: (v: unknown, what: string) => S): { panel?: S; view?: unknown } {
  const saved = savedState() as { panel?: unknown; view?: unknown } | undefined;
  try {
    return { panel: saved?.panel ? parseState(saved.panel, 'saved state') : undefined, view: saved?.view };
  } catch {
    return { view: saved?.view };
  }
}

/**
 * The page loop: each message from the host is validated against `incoming` and applied, then the
 * page renders once on the next animation frame (however many messages came); the theme's
 * colours changing renders too. `render` returns what to save for a reload. Returns `schedule`.
 */
export function startPage<D extends MessageDecl>(page: string, incoming: Channel<D>, apply: (m: MessageOf<D>) => void, render: () => unknown, saveEveryMs = 0): () => void {
  let pending = false;
  let lastSave = 0;
  const schedule = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      const toSave = render();
      // Saving serialises the whole state: a long sweep streaming thousands of steps saves now and then.
      const now = performance.now();
      if (saveEveryMs === 0 || now - lastSave >= saveEveryMs || (toSave as Saved<{ status?: string }, unknown>)?.panel?.status !== 'running') {
        saveState(toSave);
        lastSave = now;
      }
    });
  };
  onThemeChange(schedule);
  window.addEventListener('message', (e: MessageEvent<unknown>) => {
    let m: MessageOf<D>;
    try {
      m = parse(incoming, e.data);
    } catch (err) {
      console.warn(`SCYFI ${page}: ignored a malformed message (${(err as Error).message})`);
      return;
    }
    apply(m);
    schedule();
  });
  schedule();
  postToHost({ type: 'ready' });
  return schedule;
}
