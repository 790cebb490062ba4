// DOM helpers. Every node is made with createElement and filled with text nodes: no string from
// the metadata is ever parsed as HTML. Attribute names come from this code, never from data;
// the only data-bearing URL attribute (href) is set from safeHttpUrl's answer alone.
import { safeHttpUrl } from './markdown.js';

export type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined>;

function append(el: Element, children: (Child | Child[])[]): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
}

function setAttrs(el: Element, attrs: Attrs | null | undefined): void {
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'href') throw new Error('set links with link(), which checks the scheme');
    el.setAttribute(k, v === true ? '' : String(v));
  }
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: (Child | Child[])[]
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

/** An http(s) link, or the plain text when the URL is anything else (javascript:, data:, …). */
export function link(url: string | null | undefined, ...children: (Child | Child[])[]): HTMLElement {
  const href = url ? safeHttpUrl(url) : null;
  if (!href) return h('span', null, ...children);
  const a = h('a', { rel: 'noopener noreferrer' }, ...children);
  a.href = href;
  return a;
}

/**
 * A metric's name that a narrow column breaks after `_`, `/` or `.` (at <wbr> elements), never in
 * the middle of a word: `recall_at_10` wraps as `recall_` `at_` `10`.
 */
export function metricName(key: string): HTMLElement {
  const el = h('span', { class: 'metric-name' });
  for (const part of key.split(/(?<=[_/.])/)) {
    if (el.firstChild) el.append(h('wbr'));
    el.append(part);
  }
  return el;
}

/** A visually hidden label for screen readers. */
export function srOnly(text: string): HTMLElement {
  return h('span', { class: 'sr-only' }, text);
}

export function section(id: string, title: string, ...children: (Child | Child[])[]): HTMLElement {
  return h('section', { id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title), ...children);
}

/** A two-column table of strings (params, tags), sorted by key. */
export function keyValueTable(caption: string, map: Record<string, string>, head: [string, string]): HTMLElement {
  const keys = Object.keys(map).sort((a, b) => a.localeCompare(b));
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'kv' },
      h('caption', { class: 'sr-only' }, caption),
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, head[0]), h('th', { scope: 'col' }, head[1]))),
      h(
        'tbody',
        null,
        keys.map((k) => h('tr', null, h('th', { scope: 'row' }, h('code', null, k)), h('td', null, map[k]))),
      ),
    ),
  );
}
