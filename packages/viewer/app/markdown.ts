// A small Markdown parser (CommonMark's common blocks and inlines, GFM tables, strikethrough and
// bare URLs) that yields a tree of plain data. The page turns the tree into DOM nodes one by one
// (markdown-dom.ts), so no string from the registry is ever parsed as HTML: raw HTML in a
// description is shown as the text it is, and only absolute http(s) links become links.
// Pure (no DOM): unit-tested in Node.

export type Inline =
  | { t: 'text'; v: string }
  | { t: 'code'; v: string }
  | { t: 'br' }
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

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/;
const HR = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const QUOTE = /^ {0,3}> ?(.*)$/;
const BULLET = /^( {0,3})([-*+]|\d{1,9}[.)])([ \t]+|$)(.*)$/;
const TABLE_DELIM = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;

export function parseMarkdown(src: string): Block[] {
  const lines = src.replace(/\r\n?/g, '\n').replace(/\t/g, '    ').split('\n');
  return parseBlocks(lines);
}

function startsBlock(line: string): boolean {
  return FENCE.test(line) || HR.test(line) || HEADING.test(line) || QUOTE.test(line) || /^ {0,3}([-*+]|1[.)])[ \t]+\S/.test(line);
}

function parseBlocks(lines: string[]): Block[] {
  const out: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
      continue;
    }
    let m: RegExpExecArray | null;
    if ((m = FENCE.exec(line))) {
      const fence = m[1]!;
      const body: string[] = [];
      const indent = line.length - line.trimStart().length;
      i++;
      while (i < lines.length && !new RegExp(`^ {0,3}${fence[0]}{${fence.length},}[ \\t]*$`).test(lines[i]!)) {
        body.push(lines[i]!.replace(new RegExp(`^ {0,${indent}}`), ''));
        i++;
      }
      i++; // the closing fence (or the end of the text)
      out.push({ t: 'pre', lang: m[2] ?? '', v: body.join('\n') });
      continue;
    }
    if (HR.test(line)) {
      out.push({ t: 'hr' });
      i++;
      continue;
    }
    if ((m = HEADING.exec(line))) {
      out.push({ t: 'h', level: m[1]!.length, c: parseInline(m[2] ?? '') });
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const body: string[] = [];
      while (i < lines.length && (m = QUOTE.exec(lines[i]!))) {
        body.push(m[1]!);
        i++;
      }
      out.push({ t: 'quote', c: parseBlocks(body) });
      continue;
    }
    if ((m = BULLET.exec(line))) {
      i = parseList(lines, i, out);
      continue;
    }
    if (/^ {4}/.test(line)) {
      const body: string[] = [];
      while (i < lines.length && (/^ {4}/.test(lines[i]!) || lines[i]!.trim() === '')) body.push(lines[i++]!.slice(4));
      while (body.length && body.at(-1)!.trim() === '') body.pop();
      out.push({ t: 'pre', lang: '', v: body.join('\n') });
      continue;
    }
    if (line.includes('|') && i + 1 < lines.length && TABLE_DELIM.test(lines[i + 1]!)) {
      const head = splitRow(line);
      const align = splitRow(lines[i + 1]!).map((c): Align => (c.startsWith(':') ? (c.endsWith(':') ? 'center' : 'left') : c.endsWith(':') ? 'right' : null));
      if (head.length === align.length) {
        i += 2;
        const rows: Inline[][][] = [];
        while (i < lines.length && lines[i]!.trim() !== '' && lines[i]!.includes('|')) {
          const cells = splitRow(lines[i++]!);
          rows.push(head.map((_, k) => parseInline(cells[k] ?? '')));
        }
        out.push({ t: 'table', align, head: head.map(parseInline), rows });
        continue;
      }
    }
    // A paragraph runs to a blank line or the start of another block; `===`/`---` under it makes it a heading.
    const para: string[] = [line];
    i++;
    let heading = 0;
    while (i < lines.length && lines[i]!.trim() !== '') {
      const s = SETEXT.exec(lines[i]!);
      if (s) {
        heading = s[1]![0] === '=' ? 1 : 2;
        i++;
        break;
      }
      if (startsBlock(lines[i]!)) break;
      para.push(lines[i]!);
      i++;
    }
    const text = para.map((l) => l.replace(/^ {0,3}/, '')).join('\n');
    out.push(heading ? { t: 'h', level: heading, c: parseInline(text) } : { t: 'p', c: parseInline(text) });
  }
  return out;
}

/** Reads one list from lines[i], appends it to out and returns the index after it. */
function parseList(lines: string[], i: number, out: Block[]): number {
  const first = BULLET.exec(lines[i]!)!;
  const ordered = /\d/.test(first[2]!);
  const marker = first[2]!.slice(-1);
  const items: string[][] = [];
  let contentIndent = 0;
  let lastBlank = false;
  while (i < lines.length) {
    const line = lines[i]!;
    const m = BULLET.exec(line);
    const sameKind = m && /\d/.test(m[2]!) === ordered && m[2]!.slice(-1) === marker;
    if (m && sameKind && (items.length === 0 || m[1]!.length < contentIndent)) {
      contentIndent = m[1]!.length + m[2]!.length + Math.min(Math.max(m[3]!.length, 1), 4);
      items.push([m[4]!]);
      lastBlank = false;
    } else if (line.trim() === '') {
      items.at(-1)!.push('');
      lastBlank = true;
    } else if (line.length - line.trimStart().length >= contentIndent) {
      items.at(-1)!.push(line.slice(contentIndent));
      lastBlank = false;
    } else if (!lastBlank && !startsBlock(line)) {
      items.at(-1)!.push(line.trim()); // a lazy continuation of the item's paragraph
    } else {
      break;
    }
    i++;
  }
  for (const item of items) while (item.length > 1 && item.at(-1) === '') item.pop();
  out.push({ t: 'list', ordered, start: ordered ? parseInt(first[2]!, 10) : 1, items: items.map(parseBlocks) });
  return i;
}

function splitRow(line: string): string[] {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  const cells: string[] = [];
  let cur = '';
  for (let k = 0; k < s.length; k++) {
    if (s[k] === '\\' && s[k + 1] === '|') {
      cur += '|';
      k++;
    } else if (s[k] === '|') {
      cells.push(cur.trim());
      cur = '';
    } else cur += s[k];
  }
  cells.push(cur.trim());
  return cells;
}

const PUNCT = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;
const BARE_URL = /^https?:\/\/[^\s<>"]*[^\s<>".,;:!?'")\]*_~]/i;

export function parseInline(src: string): Inline[] {
  const out: Inline[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push({ t: 'text', v: text });
    text = '';
  };
  const push = (node: Inline) => {
    flush();
    out.push(node);
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    const rest = src.slice(i);
    if (c === '\\') {
      if (src[i + 1] === '\n') {
        push({ t: 'br' });
        i += 2;
        continue;
      }
      if (i + 1 < src.length && PUNCT.test(src[i + 1]!)) {
        text += src[i + 1];
        i += 2;
        continue;
      }
    }
    if (c === '\n') {
      if (/ {2,}$/.test(text)) {
        text = text.replace(/ +$/, '');
        push({ t: 'br' });
      } else text = text.replace(/ +$/, '') + '\n';
      i++;
      continue;
    }
    if (c === '`') {
      const run = /^`+/.exec(rest)![0];
      const close = src.indexOf(run, i + run.length);
      // The closing run must be exactly as long: a longer one does not close.
      if (close > 0 && src[close + run.length] !== '`') {
        let v = src.slice(i + run.length, close).replace(/\n/g, ' ');
        if (/^ .*[^ ].* $/.test(v)) v = v.slice(1, -1);
        push({ t: 'code', v });
        i = close + run.length;
        continue;
      }
      text += run;
      i += run.length;
      continue;
    }
    let m: RegExpExecArray | null;
    if (c === '<' && (m = /^<(https?:\/\/[^\s<>]+)>/i.exec(rest))) {
      const href = safeHttpUrl(m[1]!);
      if (href) {
        push({ t: 'link', href, c: [{ t: 'text', v: m[1]! }] });
        i += m[0].length;
        continue;
      }
    }
    if ((c === 'h' || c === 'H') && !/[A-Za-z0-9]$/.test(text) && (m = BARE_URL.exec(rest))) {
      const href = safeHttpUrl(m[0]);
      if (href) {
        push({ t: 'link', href, c: [{ t: 'text', v: m[0] }] });
        i += m[0].length;
        continue;
      }
    }
    if (c === '[' || (c === '!' && src[i + 1] === '[')) {
      const link = parseLink(src, c === '!' ? i + 1 : i);
      if (link) {
        const label = parseInline(link.label);
        // An image is shown as a link to it: the page loads nothing from elsewhere.
        if (link.href) push({ t: 'link', href: link.href, c: label.length ? label : [{ t: 'text', v: link.rawHref }] });
        else text += src.slice(i, link.end); // not an http(s) link: shown as written, so the reader sees what it was
        i = link.end;
        continue;
      }
    }
    if (c === '*' || c === '_' || c === '~') {
      const run = new RegExp(`^\\${c}+`).exec(rest)![0];
      const n = c === '~' ? (run.length === 2 ? 2 : 0) : Math.min(run.length, 2);
      const prev = i > 0 ? src[i - 1]! : ' ';
      const next = src[i + run.length] ?? ' ';
      const canOpen = n > 0 && !/\s/.test(next) && !(c === '_' && /[A-Za-z0-9]/.test(prev));
      if (canOpen) {
        const delim = c.repeat(n);
        const close = findCloser(src, i + n, delim);
        if (close > i + n) {
          const inner = parseInline(src.slice(i + n, close));
          push({ t: c === '~' ? 'del' : n === 2 ? 'strong' : 'em', c: inner });
          i = close + n;
          continue;
        }
      }
      text += run;
      i += run.length;
      continue;
    }
    text += c;
    i++;
  }
  flush();
  return out;
}

/** The index of a closing delimiter: not after whitespace, not inside a code span. */
function findCloser(src: string, from: number, delim: string): number {
  for (let k = from; k < src.length; k++) {
    if (src[k] === '\\') {
      k++;
      continue;
    }
    if (src[k] === '`') {
      const run = /^`+/.exec(src.slice(k))![0];
      const end = src.indexOf(run, k + run.length);
      if (end > 0) {
        k = end + run.length - 1;
        continue;
      }
    }
    if (src.startsWith(delim, k) && !/\s/.test(src[k - 1]!) && src[k + delim.length] !== delim[0]) {
      if (delim[0] === '_' && /[A-Za-z0-9]/.test(src[k + delim.length] ?? '')) continue;
      return k;
    }
    if (src.startsWith(delim, k) && delim.length === 1 && src[k + 1] === delim) k++; // skip a ** inside *…*
  }
  return -1;
}

/** `[label](url "title")` starting at src[i] === '['. */
function parseLink(src: string, i: number): { label: string; href: string | null; rawHref: string; end: number } | null {
  let depth = 0;
  let k = i;
  for (; k < src.length; k++) {
    if (src[k] === '\\') k++;
    else if (src[k] === '[') depth++;
    else if (src[k] === ']' && --depth === 0) break;
  }
  if (k >= src.length || src[k + 1] !== '(') return null;
  const m = /^\(\s*(<[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?:\s+("[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/.exec(src.slice(k + 1));
  if (!m) return null;
  const rawHref = m[1]!.replace(/^<|>$/g, '');
  return { label: src.slice(i + 1, k), href: safeHttpUrl(rawHref), rawHref, end: k + 1 + m[0].length };
}
