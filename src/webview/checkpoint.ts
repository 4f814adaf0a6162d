// The checkpoint viewer page: the file's tensors, the model they map to (each parameter as a
// table), and the actions.
import { parse } from '../shared/messages';
import { HostToCheckpoint, type CheckpointToHost } from '../shared/protocol';
import type { CheckpointInfo, ParamInfo } from '../shared/shapes';
import { formatParamRef, parseParamRef } from '../core/model/paramRef';
import { describeParam } from '../core/model/registry';
import { clear, fmt, h } from './dom';
import { postToHost } from './vscodeApi';

/** Larger parameters show their top-left corner only. */
const MAX_ROWS = 64;
const MAX_COLS = 32;

function send(m: CheckpointToHost): void {
  postToHost(m);
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

function paramTable(arch: string, p: ParamInfo, tensor: string | undefined): HTMLElement {
  const v = p.values;
  const sweep = p.shape.length > 0 ? h('button', { class: 'secondary', title: `Sweep one entry of ${p.name} and find the bifurcations` }, 'Sweep…') : null;
  sweep?.addEventListener('click', () => send({ type: 'sweep', param: p.name }));
  const section = h(
    'section',
    { class: 'card param-card', 'data-param': p.name },
    h(
      'div',
      { class: 'card-head' },
      h('span', { class: 'mono' }, p.name),
      h('span', { class: 'muted' }, ` ${p.shape.length ? p.shape.join('×') : 'scalar'} · ${p.role}`),
      sweep,
    ),
    // On a line of its own: in the head row a long tensor name squeezed the role into a column
    // one word wide and ran out of the card.
    tensor && tensor !== p.name ? h('div', { class: 'muted mono tensor-source', title: 'the tensor in the file' }, `← ${tensor}`) : null,
  );
  if (v === undefined) {
    section.append(h('p', { class: 'muted' }, 'Too large to show entry by entry.'));
    return section;
  }
  if (typeof v === 'number') {
    section.append(h('p', { class: 'mono' }, String(v)));
    return section;
  }
  const isMatrix = Array.isArray(v[0]);
  const rows: number[][] = isMatrix ? (v as number[][]) : [v as number[]];
  const shownRows = rows.slice(0, MAX_ROWS);
  const cols = rows[0]?.length ?? 0;
  const head = h('tr', {}, h('th', {}, ''), ...Array.from({ length: Math.min(cols, MAX_COLS) }, (_, j) => h('th', {}, String(j))));
  const body = shownRows.map((row, i) =>
    h(
      'tr',
      {},
      h('th', {}, isMatrix ? String(i) : ''),
      ...row.slice(0, MAX_COLS).map((x, j) => {
        const index = isMatrix ? [i, j] : [j];
        return h('td', { class: 'mono', 'data-param': formatParamRef({ name: p.name, index }), title: describeParam(arch, p.name, index) ?? '' }, fmt(x));
      }),
    ),
  );
  section.append(h('div', { class: 'scroll' }, h('table', { class: 'param-values' }, h('thead', {}, head), h('tbody', {}, ...body))));
  if (rows.length > MAX_ROWS || cols > MAX_COLS) section.append(h('p', { class: 'muted' }, `Showing ${Math.min(rows.length, MAX_ROWS)}×${Math.min(cols, MAX_COLS)} of ${rows.length}×${cols}.`));
  return section;
}

/** The models of a file that holds several: each can be shown and analysed on its own. */
function modelsTable(info: CheckpointInfo): HTMLElement {
  const models = info.models ?? [];
  const button = (label: string, m: CheckpointToHost, title: string, disabled = false) => {
    const b = h('button', { class: 'secondary', title, disabled }, label);
    b.addEventListener('click', () => send(m));
    return b;
  };
  return h(
    'section',
    { class: 'card', 'data-testid': 'models' },
    h('h2', {}, `Models in this file (${models.length})`),
    h(
      'p',
      { class: 'muted' },
      info.index === undefined ? 'The file holds several models: choose one to show its parameters or to analyse it.' : `Showing model ${info.index} below.`,
    ),
    h(
      'table',
      { class: 'tensors' },
      h('thead', {}, h('tr', {}, h('th', {}, '#'), h('th', {}, 'in the file'), h('th', {}, 'architecture'), h('th', {}, 'size'), h('th', {}, ''))),
      h(
        'tbody',
        {},
        ...models.map((c) =>
          h(
            'tr',
            { class: c.index === info.index ? 'highlight' : undefined, 'data-model': c.index },
            h('td', { class: 'mono' }, String(c.index)),
            h('td', { class: 'mono' }, c.label),
            h('td', {}, c.architecture ?? '?'),
            h('td', { class: 'mono' }, c.M !== undefined ? `M = ${c.M}, H = ${c.H}` : ''),
            h(
              'td',
              {},
              c.error ? h('span', { class: 'muted', title: c.error }, c.error.replace(/^[^:]*: /, '')) : null,
              button('Show', { type: 'selectModel', model: c.index }, `Show the parameters of model ${c.index}`, c.index === info.index),
              button('Find cycles', { type: 'find', model: c.index }, `Find the fixed points and cycles of model ${c.index}`, !!c.error),
            ),
          ),
        ),
      ),
    ),
  );
}

function render(root: HTMLElement, fileName: string, info: CheckpointInfo): void {
  clear(root);
  const actions = h('div', { class: 'actions' });
  const action = (label: string, m: CheckpointToHost, cls = 'secondary') => {
    const b = h('button', { class: cls }, label);
    b.addEventListener('click', () => send(m));
    actions.append(b);
  };
  if (info.model) {
    action('Find fixed points & cycles', { type: 'find' }, 'primary');
    action('Custom settings…', { type: 'findCustom' });
    action('Sweep parameter…', { type: 'sweep' });
    action('2-D map…', { type: 'sweep2d' });
  }
  if (info.lfs || info.format === 'json') action('Open as text', { type: 'openAsText' });
  const m = info.model;
  root.append(
    h(
      'header',
      {},
      h('div', { class: 'title-row' }, h('h1', {}, fileName), h('span', { class: 'meta' }, `${info.format} · ${bytes(info.size)}${m ? ` · ${m.architecture} · M = ${m.M} · H = ${m.H}` : ''}`)),
      actions,
    ),
  );
  if (info.lfs) {
    root.append(
      h(
        'div',
        { class: 'banner info' },
        `This file is a Git LFS pointer, not the checkpoint itself: the data (${bytes(info.lfs.size)}, ${info.lfs.oid}) is on the LFS server. Run `,
        h('code', {}, 'git lfs pull'),
        ' in the repository to fetch it, then reopen the file.',
      ),
    );
    return;
  }
  if (info.modelError) root.append(h('div', { class: 'banner error', 'data-testid': 'model-error' }, info.modelError));
  if (info.tensorsError) root.append(h('div', { class: 'banner error' }, info.tensorsError));
  if (info.models) root.append(modelsTable(info));
  if (m?.notes?.length) root.append(h('ul', { class: 'notes', 'data-testid': 'notes' }, ...m.notes.map((n) => h('li', {}, n))));
  if (m?.options?.length) {
    root.append(h('p', { class: 'muted' }, `Options: ${m.options.map((o) => `${o.key} = ${o.value} (${o.role})`).join('; ')}.`));
  }
  if (m) {
    root.append(
      h('h2', {}, 'Model parameters'),
      h('p', { class: 'muted' }, info.convention ? `Parameters recognised by their names (${info.convention}).` : ''),
      h('div', { class: 'param-grid' }, ...m.parameters.map((p) => paramTable(m.architecture, p, info.mapping?.[p.name]))),
    );
  }
  if (info.tensors.length > 0) {
    const usedAs = new Map(Object.entries(info.mapping ?? {}).map(([param, tensor]) => [tensor, param]));
    root.append(
      h('h2', {}, `Tensors in the file (${info.tensors.length})`),
      h(
        'table',
        { class: 'tensors' },
        h('thead', {}, h('tr', {}, h('th', {}, 'name'), h('th', {}, 'dtype'), h('th', {}, 'shape'))),
        h(
          'tbody',
          {},
          ...info.tensors.map((t) => h('tr', { 'data-tensor': t.name, 'data-param': usedAs.get(t.name) }, h('td', { class: 'mono' }, t.name), h('td', { class: 'mono' }, t.dtype), h('td', { class: 'mono' }, t.shape.length ? t.shape.join('×') : 'scalar'))),
        ),
      ),
    );
  }
}

function highlight(root: HTMLElement, param: string): void {
  root.querySelectorAll('.highlight').forEach((el) => el.classList.remove('highlight'));
  const ref = parseParamRef(param);
  if (!ref) return;
  const cell = root.querySelector(`td[data-param="${CSS.escape(param)}"]`);
  const card = root.querySelector(`section[data-param="${CSS.escape(ref.name)}"]`);
  const tensorRow = root.querySelector(`tr[data-param="${CSS.escape(ref.name)}"]`);
  for (const el of [card, cell, tensorRow]) el?.classList.add('highlight');
  (cell ?? card)?.scrollIntoView({ block: 'center' });
}

export function startCheckpoint(root: HTMLElement): void {
  root.append(h('p', { class: 'muted' }, 'Reading the file…'));
  window.addEventListener('message', (e: MessageEvent<unknown>) => {
    let m;
    try {
      m = parse(HostToCheckpoint, e.data);
    } catch (err) {
      console.warn(`SCYFI checkpoint viewer: ignored a malformed message (${(err as Error).message})`);
      return;
    }
    if (m.type === 'info') render(root, m.fileName, m.info);
    else if (m.type === 'error') {
      clear(root);
      root.append(h('header', {}, h('h1', {}, m.fileName)), h('div', { class: 'banner error' }, m.message));
    } else highlight(root, m.param);
  });
  send({ type: 'ready' });
}
