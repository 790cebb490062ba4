// Markdown descriptions: parsed by micromark (CommonMark, with GFM's tables, strikethrough, task
// lists and bare URLs) into an mdast tree, which is reduced here to a small tree of plain data that
// holds only what the page shows. The page turns that tree into DOM nodes one by one
// (markdown-dom.ts), so no string from the registry is ever parsed as HTML: raw HTML in a
// description is shown as the text it is, and only absolute http(s) links become links (any other
// link is shown as it was written). Pure (no DOM): unit-tested in Node.
import type { Nodes, PhrasingContent, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmAutolinkLiteralFromMarkdown } from 'mdast-util-gfm-autolink-literal';
import { gfmStrikethroughFromMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item';
import { gfmAutolinkLiteral } from 'micromark-extension-gfm-autolink-literal';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';

export type Inline =
  | { t: 'text'; v: string }
  | { t: 'code'; v: string }
  | { t: 'br' }
  | { t: 'task'; checked: boolean }
  | { t: 'em' | 'strong' | 'del'; c: Inline[] }
  | { t: 'link'; href: string; c: Inline[] };

export type Align = 'left' | 'center' | 'right' | null;

export type Block =
  | { t: 'p'; c: Inline[] }
  | { t: 'h'; level: number; c: Inline[] }
  | { t: 'pre'; lang: string; v: string }
  | { t: 'quote'; c: Block[] }
  | { t: 'list'; ordered: boolean; start: number; items: Block[][] }
  | { t: 'hr' }
  | { t: 'table'; align: Align[]; head: Inline[][]; rows: Inline[][][] };

/** The href for a link target, or null: only absolute http(s) URLs are links. */
export function safeHttpUrl(raw: string): string | null {
  const s = raw.trim();
  if (!/^https?:\/\//i.test(s)) return null;
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

// GFM is CommonMark plus these four; its footnotes are not in the GFM spec and stay as text.
const EXTENSIONS = [gfmAutolinkLiteral(), gfmStrikethrough(), gfmTable(), gfmTaskListItem()];
const MDAST_EXTENSIONS = [
  gfmAutolinkLiteralFromMarkdown(),
  gfmStrikethroughFromMarkdown(),
  gfmTableFromMarkdown(),
  gfmTaskListItemFromMarkdown(),
];

export function parseMarkdown(src: string): Block[] {
  const root = fromMarkdown(src, { extensions: EXTENSIONS, mdastExtensions: MDAST_EXTENSIONS });
  const definitions = new Map<string, string>();
  for (const n of root.children) if (n.type === 'definition') definitions.set(n.identifier, n.url);
  return new Reducer(src, definitions).blocks(root.children);
}

class Reducer {
  private readonly src: string;
  private readonly definitions: Map<string, string>;

  constructor(src: string, definitions: Map<string, string>) {
    this.src = src;
    this.definitions = definitions;
  }

  /** The node as it was written: what a reader sees of a construct the page does not show. */
  private written(n: Nodes): Inline {
    const p = n.position;
    const v =
      p?.start.offset !== undefined && p.end.offset !== undefined ? this.src.slice(p.start.offset, p.end.offset) : '';
    return { t: 'text', v };
  }

  blocks(nodes: RootContent[]): Block[] {
    const out: Block[] = [];
    for (const n of nodes) {
      const b = this.block(n);
      if (b) out.push(b);
    }
    return out;
  }

  private block(n: RootContent): Block | null {
    switch (n.type) {
      case 'paragraph':
        return { t: 'p', c: this.inlines(n.children) };
      case 'heading':
        return { t: 'h', level: n.depth, c: this.inlines(n.children) };
      case 'code':
        return { t: 'pre', lang: n.lang ?? '', v: n.value };
      case 'blockquote':
        return { t: 'quote', c: this.blocks(n.children) };
      case 'thematicBreak':
        return { t: 'hr' };
      case 'definition':
        return null; // used by the links that refer to it
      case 'list':
        return {
          t: 'list',
          ordered: n.ordered === true,
          start: n.ordered ? (n.start ?? 1) : 1,
          items: n.children.map((item) => {
            const c = this.blocks(item.children);
            if (typeof item.checked !== 'boolean') return c;
            const task: Inline = { t: 'task', checked: item.checked };
            const first = c[0];
            if (first?.t === 'p') return [{ t: 'p', c: [task, { t: 'text', v: ' ' }, ...first.c] }, ...c.slice(1)];
            return [{ t: 'p', c: [task] }, ...c];
          }),
        };
      case 'table': {
        const [head, ...rows] = n.children;
        const width = head?.children.length ?? 0;
        const cells = (row: (typeof n.children)[number]) =>
          Array.from({ length: width }, (_, k) => this.inlines(row.children[k]?.children ?? []));
        return {
          t: 'table',
          align: Array.from({ length: width }, (_, k) => n.align?.[k] ?? null),
          head: head ? cells(head) : [],
          rows: rows.map(cells),
        };
      }
      case 'html':
        return { t: 'p', c: [{ t: 'text', v: n.value }] };
      default:
        return { t: 'p', c: [this.written(n)] };
    }
  }

  inlines(nodes: PhrasingContent[]): Inline[] {
    const out: Inline[] = [];
    for (const n of nodes) {
      const i = this.inline(n);
      const last = out.at(-1);
      // Neighbouring text (text next to raw HTML, say) is one text node.
      if (i.t === 'text' && last?.t === 'text') last.v += i.v;
      else out.push(i);
    }
    return out;
  }

  private inline(n: PhrasingContent): Inline {
    switch (n.type) {
      case 'text':
      case 'html':
        return { t: 'text', v: n.value };
      case 'inlineCode':
        return { t: 'code', v: n.value };
      case 'break':
        return { t: 'br' };
      case 'emphasis':
        return { t: 'em', c: this.inlines(n.children) };
      case 'strong':
        return { t: 'strong', c: this.inlines(n.children) };
      case 'delete':
        return { t: 'del', c: this.inlines(n.children) };
      case 'link':
      case 'linkReference': {
        const href = safeHttpUrl(n.type === 'link' ? n.url : (this.definitions.get(n.identifier) ?? ''));
        return href ? { t: 'link', href, c: this.inlines(n.children) } : this.written(n);
      }
      case 'image':
      case 'imageReference': {
        // An image is shown as a link to it: the page loads nothing from elsewhere.
        const url = n.type === 'image' ? n.url : (this.definitions.get(n.identifier) ?? '');
        const href = safeHttpUrl(url);
        return href ? { t: 'link', href, c: [{ t: 'text', v: n.alt || url }] } : this.written(n);
      }
      default:
        return this.written(n);
    }
  }
}
