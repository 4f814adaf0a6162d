// The model's parameters as links back to their text in the model file.
import type { ModelInfo, ParamInfo } from '../shared/shapes';
import { formatParamRef } from '../core/model/paramRef';
import { describeParam } from '../core/model/registry';
import { fmt, h } from './dom';
import { actionLink } from './frame';

/** Parameters with at most this many entries show each entry as a link. */
const MAX_LINKED_ENTRIES = 144;

function link(architecture: string, name: string, index: number[], text: string, onReveal: (ref: string) => void): HTMLAnchorElement {
  const ref = formatParamRef({ name, index });
  return actionLink(text, `${describeParam(architecture, name, index) ?? ref} — click to show it in the file`, () => onReveal(ref), { 'data-testid': 'param-link', 'data-param': ref });
}

function entries(arch: string, p: ParamInfo, onReveal: (ref: string) => void): HTMLElement | null {
  const v = p.values;
  if (v === undefined || typeof v === 'number') return null;
  const count = p.shape.reduce((a, b) => a * b, 1);
  if (count > MAX_LINKED_ENTRIES) return null;
  const rows: number[][] = Array.isArray(v[0]) ? (v as number[][]) : [v as number[]];
  const isMatrix = Array.isArray(v[0]);
  return h(
    'table',
    { class: 'param-values mono' },
    h(
      'tbody',
      {},
      ...rows.map((row, i) => h('tr', {}, ...row.map((x, j) => h('td', {}, link(arch, p.name, isMatrix ? [i, j] : [j], fmt(x), onReveal))))),
    ),
  );
}

/** The parameters, each a link to its text; `onSweep` offers a sweep of one entry of each array. */
export function renderParams(model: ModelInfo, onReveal: (ref: string) => void, onSweep?: (param: string) => void): HTMLElement {
  const items = model.parameters.map((p) => {
    const shape = p.shape.length === 0 ? (typeof p.values === 'number' ? `= ${p.values}` : 'scalar') : p.shape.join('×');
    const sweep = onSweep && p.shape.length > 0 ? actionLink('Sweep…', `Sweep one entry of ${p.name} and find the bifurcations`, () => onSweep(p.name), { class: 'sweep-link', 'data-testid': 'sweep-param' }) : null;
    return h(
      'div',
      { class: 'param' },
      h('div', { class: 'param-head' }, link(model.architecture, p.name, [], p.name, onReveal), h('span', { class: 'muted' }, ` ${shape} · ${p.role} `), sweep),
      entries(model.architecture, p, onReveal),
    );
  });
  return h('div', { class: 'params' }, ...items);
}
