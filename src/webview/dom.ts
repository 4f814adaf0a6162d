type Attrs = Record<string, string | number | boolean | undefined>;
type Child = Node | string | null | undefined | false;

/** Creates an element with attributes (data-*, aria-*, class…) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c);
  }
  return el;
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/** Numbers as people read them: 4 significant digits, a real minus sign, no trailing zeros. */
export function fmt(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  const s = a >= 1e5 || a < 1e-4 ? x.toExponential(digits - 1).replace(/\.?0+e/, 'e') : Number(x.toPrecision(digits)).toString();
  return s.replace(/^-/, '−');
}

export function fmtComplex([re, im]: [number, number]): string {
  if (Math.abs(im) < 1e-12) return fmt(re);
  return `${fmt(re)} ${im < 0 ? '−' : '+'} ${fmt(Math.abs(im))}i`;
}

export function fmtPoint(p: number[]): string {
  return `(${p.map((x) => fmt(x)).join(', ')})`;
}
