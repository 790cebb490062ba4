// Turns the Markdown tree into DOM nodes, text by text (see markdown.ts for why not HTML).
import { h, link } from './dom.js';
import type { Block, Inline } from './markdown.js';

function inline(nodes: Inline[]): Node[] {
  return nodes.map((n): Node => {
    switch (n.t) {
      case 'text':
        return document.createTextNode(n.v);
      case 'code':
        return h('code', null, n.v);
      case 'br':
        return h('br');
      case 'task':
        return h(
          'span',
          { class: 'task', role: 'img', 'aria-label': n.checked ? 'done' : 'not done' },
          n.checked ? '☑' : '☐',
        );
      case 'em':
      case 'strong':
      case 'del':
        return h(n.t, null, inline(n.c));
      case 'link':
        return link(n.href, inline(n.c));
    }
  });
}

/** Headings start at h3: the page has its own h1 and h2. */
export function renderMarkdown(blocks: Block[]): Node[] {
  return blocks.map((b): Node => {
    switch (b.t) {
      case 'p':
        return h('p', null, inline(b.c));
      case 'h':
        return h(`h${Math.min(6, b.level + 2)}` as 'h3', null, inline(b.c));
      case 'pre': {
        const code = h('code', null, b.v);
        if (/^[\w+-]+$/.test(b.lang)) code.className = `language-${b.lang}`;
        return h('pre', { tabindex: 0 }, code);
      }
      case 'quote':
        return h('blockquote', null, renderMarkdown(b.c));
      case 'hr':
        return h('hr');
      case 'list': {
        const items = b.items.map((item) => {
          // A one-paragraph item shows its text without the paragraph's margins.
          const only = item.length === 1 && item[0]!.t === 'p' ? item[0] : null;
          return h('li', null, only ? inline(only.c) : renderMarkdown(item));
        });
        return b.ordered ? h('ol', b.start !== 1 ? { start: b.start } : null, items) : h('ul', null, items);
      }
      case 'table': {
        const cls = (k: number) => (b.align[k] ? `align-${b.align[k]}` : null);
        return h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            null,
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                b.head.map((c, k) => h('th', { scope: 'col', class: cls(k) }, inline(c))),
              ),
            ),
            h(
              'tbody',
              null,
              b.rows.map((r) =>
                h(
                  'tr',
                  null,
                  r.map((c, k) => h('td', { class: cls(k) }, inline(c))),
                ),
              ),
            ),
          ),
        );
      }
    }
  });
}
