import type { PathSegment } from './key-path.js';

/**
 * A one-pass, line-by-line reader for the plain, common shape of large YAML files (Hiera data,
 * Helm values): block mappings and sequences, one-line plain and quoted scalars, one-line flow
 * collections, comments, anchors and aliases, `|`/`>` block scalars and `---` document markers.
 *
 * It exists because the `yaml` library needs ~300-450 ms (cold) to lex, parse and compose a
 * 20,000-line file, which is most of an edit's cost. This reader checks the whole file for the
 * subset it knows and finds one scalar's token in 25-60 ms cold (a few ms once V8 has optimised
 * it), mostly with native string searches.
 *
 * It is deliberately a recogniser of a strict subset, not a YAML parser: anything it does not
 * understand completely (tabs, directives, tags, multi-line flow scalars or flow collections,
 * explicit keys, keys that would not read as strings, a value on the line after its key, ...)
 * makes it give up (`undefined`), and the caller then takes the full `yaml`-library path. For
 * every file it accepts, the `yaml` library reports no error or duplicate key, and the token it
 * returns is the one the library's node for that path comes from (test/yaml/fast-scan.unit.test.ts
 * checks both on the corpus and on thousands of mutated files).
 */

export type FastStyle = 'plain' | 'single' | 'double';

export interface FastHit {
  /** The scalar token's source range: quotes included, trailing spaces and comment excluded. */
  start: number;
  end: number;
  style: FastStyle;
  /** Inside a flow collection. */
  flow: boolean;
  /** 1-based. */
  line: number;
  /** End of the token's line (before its line break). */
  lineEnd: number;
}

/** Thrown (as a value, never escaping this module) when the text leaves the subset. */
const GIVE_UP: unique symbol = Symbol('give up');

interface Block {
  kind: 'map' | 'seq';
  indent: number;
  /** How many segments of the target path lead here, or -1 when this node is off the path. */
  d: number;
  /** Keys seen so far (mappings only). */
  keys: Set<string>;
  items: number;
  /** A sequence written at the same indentation as the keys of the mapping it belongs to. */
  zero: boolean;
}

interface Pending {
  /** `key:` or `-` with nothing after it: a nested block collection, or null. */
  kind: 'value' | 'item';
  /** Column of the key or of the dash. */
  indent: number;
  d: number;
}

// C0 and C1 controls (but LF and a CR that starts CRLF), tab, line and paragraph separators,
// BOM (after the first character), non-characters and unpaired surrogates: outside the subset.

const OUTSIDE = new RegExp(
  [
    String.raw`[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]`,
    String.raw`\r(?!\n)`,
    String.raw`[\ud800-\udbff](?![\udc00-\udfff])`,
    String.raw`(?:^|[^\ud800-\udbff])[\udc00-\udfff]`,
  ].join('|'),
  'g',
);
// Plain scalars that the YAML 1.2 core schema does not read as strings may start like this (or
// be one of the words below); such keys are compared by value, not text, so they are left to the
// full parser.
const NON_STRING_START = /^[-+]?[.0-9]/;
const NON_STRING_WORD = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE)$/;
const ANCHOR_NAME = /^[A-Za-z0-9_.-]+$/;
const ESCAPES = new Set(['0', 'a', 'b', 't', 'n', 'v', 'f', 'r', 'e', ' ', '"', '/', '\\', 'N', '_', 'L', 'P']);
const HEX = /^[0-9a-fA-F]+$/;
// Characters that cannot start a plain scalar here (a `-` followed by a non-space can).
const NOT_PLAIN_START = new Set([
  '?',
  ':',
  ',',
  '[',
  ']',
  '{',
  '}',
  '#',
  '&',
  '*',
  '!',
  '|',
  '>',
  "'",
  '"',
  '%',
  '@',
  '`',
]);
const MAX_KEY = 1000;
const MAX_FLOW_DEPTH = 32;
const NO_KEYS = new Set<string>();
// A run of characters a flow plain scalar may hold (it stops before `:`, which the caller checks).
const FLOW_PLAIN = /[^,\]}:[{#\n\r]*/y;

/**
 * The next occurrence of `s` at or after a position. Lines are read in order, so the answers are
 * reused until a search starts past them: looking on every line costs one pass over the text, not
 * one per line (a per-line `indexOf` would run to the end of the file on every line without one).
 */
class Finder {
  private from = -1;
  private at = -1;
  constructor(
    private readonly t: string,
    private readonly s: string,
  ) {}

  next(from: number): number {
    if (this.from < 0 || from < this.from || (this.at >= 0 && this.at < from)) {
      this.from = from;
      this.at = this.t.indexOf(this.s, from);
    }
    return this.at;
  }
}

/**
 * The scalar token at `path` in document `document`, when the whole text is in the subset and
 * the path leads, through block or flow mappings and sequences written in it, to a one-line
 * plain or quoted scalar without a tag. Otherwise undefined: use the `yaml` library.
 * Segments are keys (strings) and indexes (numbers); a selector is not handled here.
 */
export function fastLocate(text: string, document: number, path: readonly PathSegment[]): FastHit | undefined {
  if (path.length === 0 || path.some((s) => typeof s === 'object' || s === '<<')) return undefined;
  try {
    return new Scanner(text, document, path).run();
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}

/**
 * Whether `next` (the text of `hit`'s scan with the token replaced by `length` characters
 * starting at `hit.start`) is in the subset with the same structure, the new token being the
 * target. It re-reads only the new token, with the same code and in the same context.
 *
 * Why that is enough: the scanner reads lines in order and each line from left to right, and
 * what it makes of text depends only on the text before it. `next` equals the scanned text
 * before `hit.start`, so the scanner arrives there in the same state. If the token it reads
 * there is a one-line scalar ending at `hit.start + length`, it goes on from the same state at
 * the same remaining text (a scalar leaves nothing behind but a count), so every later line and
 * character reads as before: the same documents, keys, items, collections, anchors and aliases,
 * and no new error.
 */
export function fastRecheck(next: string, hit: FastHit, path: readonly PathSegment[], length: number): boolean {
  const lineEnd = hit.lineEnd + length - (hit.end - hit.start);
  if (/[\r\n]/.test(next.slice(hit.start, hit.start + length))) return false;
  try {
    const found = new Scanner(next, 0, path).token(hit.start, lineEnd, hit.flow);
    return found.end === hit.start + length;
  } catch (e) {
    if (e === GIVE_UP) return false;
    throw e;
  }
}

function giveUp(): never {
  // A symbol, not an Error: the scanner gives up often, and the callers above catch it at once.
  // eslint-disable-next-line @typescript-eslint/only-throw-error
  throw GIVE_UP;
}

function isStringKey(key: string): boolean {
  return key.length <= MAX_KEY && !NON_STRING_START.test(key) && !NON_STRING_WORD.test(key);
}

class Scanner {
  private readonly t: string;
  private readonly want: number;
  private readonly path: readonly PathSegment[];
  private stack: Block[] = [];
  private pending: Pending | undefined;
  /** Inside a block scalar's body: its parent's indentation and (once known) the body's. */
  private block: { parent: number; content: number; blankMax: number } | undefined;
  private docs = 0;
  private doc = -1;
  private rootDone = false;
  private anchors = new Set<string>();
  private hit: FastHit | undefined;
  private lineNo = 0;
  private lineStart = 0;
  private readonly colonSpace: Finder;
  private readonly spaceHash: Finder;
  private readonly backslash: Finder;

  constructor(text: string, document: number, path: readonly PathSegment[]) {
    this.t = text;
    this.want = document;
    this.path = path;
    this.colonSpace = new Finder(text, ': ');
    this.spaceHash = new Finder(text, ' #');
    this.backslash = new Finder(text, '\\');
  }

  /**
   * The `:` that ends a plain block key starting at `i` (the first `: `, or a `:` ending the
   * line), or -1 when there is none or a comment (` #`) comes first.
   */
  private plainKeyColon(i: number, end: number): number {
    const cs = this.colonSpace.next(i);
    const colon = cs >= 0 && cs < end ? cs : this.t.charCodeAt(end - 1) === 58 ? end - 1 : -1;
    if (colon < 0) return -1;
    const h = this.spaceHash.next(i);
    return h >= 0 && h < colon ? -1 : colon;
  }

  run(): FastHit | undefined {
    const t = this.t;
    let pos = t.charCodeAt(0) === 0xfeff ? 1 : 0;
    OUTSIDE.lastIndex = pos;
    if (OUTSIDE.test(t)) giveUp();
    const len = t.length;
    for (;;) {
      const nl = t.indexOf('\n', pos);
      let end = nl < 0 ? len : nl;
      if (end > pos && t.charCodeAt(end - 1) === 13) end--;
      this.lineNo++;
      this.lineStart = pos;
      this.line(pos, end);
      if (nl < 0) break;
      pos = nl + 1;
    }
    this.endDocument();
    return this.hit;
  }

  /** The scalar token at `j`, read exactly as `run` reads a value there (see `fastRecheck`). */
  token(j: number, end: number, flow: boolean): { end: number; style: FastStyle } {
    if (flow) {
      const c = this.t[j];
      if (c === '"' || c === "'") {
        const q = this.quotedEnd(j, end);
        if (q < 0) giveUp();
        return { end: q, style: c === '"' ? 'double' : 'single' };
      }
      return { end: this.flowPlainEnd(j, end), style: 'plain' };
    }
    this.lineNo = 1;
    this.value(j, end, this.path.length, 'value', 0);
    const hit = this.hit;
    if (hit?.start !== j || this.pending || this.block) giveUp();
    return { end: hit.end, style: hit.style };
  }

  private line(start: number, end: number): void {
    const t = this.t;
    let i = start;
    while (i < end && t.charCodeAt(i) === 32) i++;
    const n = i - start;
    const b = this.block;
    if (b) {
      if (i === end) {
        if (b.content < 0) b.blankMax = Math.max(b.blankMax, n);
        return;
      }
      if (b.content < 0 && n > b.parent) {
        // More-indented leading blank lines need an explicit indentation indicator.
        if (b.blankMax > n) giveUp();
        b.content = n;
        return;
      }
      if (b.content >= 0 && n >= b.content) return;
      this.block = undefined;
    }
    if (i === end) return;
    const c = t[i];
    if (c === '#') return;
    if (n === 0 && (c === '-' || c === '.' || c === '%')) {
      if (c === '-' && t.startsWith('---', i) && (i + 3 === end || t[i + 3] === ' ')) {
        let k = i + 3;
        while (k < end && t[k] === ' ') k++;
        if (k < end && t[k] !== '#') giveUp();
        this.newDocument();
        return;
      }
      if (c !== '-' || t.startsWith('--', i)) giveUp();
    }
    this.content(i, end, n);
  }

  private newDocument(): void {
    this.endDocument();
    this.doc = this.docs++;
    this.stack = [];
    this.rootDone = false;
    this.anchors = new Set();
  }

  private endDocument(): void {
    this.resolvePendingAsNull();
    this.block = undefined;
  }

  private resolvePendingAsNull(): void {
    const p = this.pending;
    this.pending = undefined;
    // An empty value on the path: filling it in is the full path's job.
    if (p && p.d >= 0) giveUp();
  }

  private content(i: number, end: number, n: number): void {
    const t = this.t;
    if (this.doc < 0) this.doc = this.docs++;
    const isItem = t[i] === '-' && (i + 1 === end || t[i + 1] === ' ');
    // The `yaml` library misreads indentation and `- ` on the line that starts with a BOM.
    if (this.lineStart === 1 && this.lineNo === 1 && (n > 0 || isItem)) giveUp();
    let nested = false;
    const p = this.pending;
    if (p) {
      if (n > p.indent || (n === p.indent && isItem && p.kind === 'value')) {
        this.pending = undefined;
        this.push(isItem ? 'seq' : 'map', n, p.d, n === p.indent);
        nested = true;
      } else this.resolvePendingAsNull();
    }
    if (!nested) {
      const s = this.stack;
      while (s.length > 0 && s[s.length - 1]!.indent > n) s.pop();
      let top = s[s.length - 1];
      if (top && top.zero && top.indent === n && !isItem) {
        s.pop();
        top = s[s.length - 1];
      }
      if (!top) {
        if (this.rootDone) giveUp();
        this.rootDone = true;
        this.push(isItem ? 'seq' : 'map', n, this.doc === this.want ? 0 : -1, false);
      } else if (top.indent !== n || (top.kind === 'seq') !== isItem) giveUp();
    }
    const top = this.stack[this.stack.length - 1]!;
    if (isItem) this.item(top, i, end);
    else this.entry(top, i, end);
  }

  private push(kind: 'map' | 'seq', indent: number, d: number, zero: boolean): void {
    this.checkCollection(kind, d);
    this.stack.push({ kind, indent, d, keys: kind === 'map' ? new Set() : NO_KEYS, items: 0, zero });
  }

  /** A collection at depth `d` of the path: it must be the kind the next segment needs. */
  private checkCollection(kind: 'map' | 'seq', d: number): void {
    if (d < 0) return;
    // A collection where the target scalar should be, or the wrong kind of collection on the way:
    // both are errors the full path words properly.
    if (d >= this.path.length) giveUp();
    const seg = this.path[d];
    if ((kind === 'map') !== (typeof seg === 'string')) giveUp();
  }

  private childOf(parent: number, seg: string | number): number {
    return parent >= 0 && parent < this.path.length && this.path[parent] === seg ? parent + 1 : -1;
  }

  private spaces(k: number, end: number): number {
    while (k < end && this.t.charCodeAt(k) === 32) k++;
    return k;
  }

  /** After a complete value: only spaces, then a comment or the end of the line. */
  private restOfLine(k: number, end: number): void {
    if (k === end) return;
    if (this.t[k] !== ' ') giveUp();
    k = this.spaces(k, end);
    if (k < end && this.t[k] !== '#') giveUp();
  }

  private item(seq: Block, i: number, end: number): void {
    const t = this.t;
    const d = this.childOf(seq.d, seq.items);
    seq.items++;
    const dash = i - this.lineStart;
    const j = this.spaces(i + 1, end);
    if (j === end || t[j] === '#') {
      this.pending = { kind: 'item', indent: dash, d };
      return;
    }
    const c = t[j]!;
    if ((c === '-' || c === '?' || c === ':') && (j + 1 === end || t[j + 1] === ' ')) giveUp();
    if (this.keyEnd(j, end) >= 0) {
      this.push('map', j - this.lineStart, d, false);
      this.entry(this.stack[this.stack.length - 1]!, j, end);
      return;
    }
    this.value(j, end, d, 'item', dash);
  }

  /**
   * Where the `:` of a `key: ` starting at `j` is, or -1 when the line holds no block mapping
   * key there. Gives up on keys outside the subset.
   */
  private keyEnd(j: number, end: number): number {
    const t = this.t;
    const c = t[j]!;
    if (c === '"' || c === "'") {
      const q = this.quotedEnd(j, end);
      if (q < 0) giveUp();
      return t[q] === ':' && (q + 1 === end || t[q + 1] === ' ') ? q : -1;
    }
    // A flow collection, alias, anchor, tag or block scalar: `value` takes it (and gives up if a
    // key follows it).
    if (NOT_PLAIN_START.has(c)) return -1;
    return this.plainKeyColon(j, end);
  }

  private entry(map: Block, i: number, end: number): void {
    const t = this.t;
    const c = t[i]!;
    let key: string;
    let colon: number;
    if (c === '"' || c === "'") {
      const q = this.quotedEnd(i, end);
      if (q < 0) giveUp();
      const inner = t.slice(i + 1, q - 1);
      if (c === '"' && inner.includes('\\')) giveUp();
      key = c === "'" ? inner.replace(/''/g, "'") : inner;
      colon = q;
      if (key.length > MAX_KEY) giveUp();
    } else {
      if (NOT_PLAIN_START.has(c) || (c === '-' && t[i + 1] === ' ')) giveUp();
      colon = this.plainKeyColon(i, end);
      if (colon < 0 || t[colon - 1] === ' ') giveUp();
      key = t.slice(i, colon);
      if (!isStringKey(key)) giveUp();
    }
    if (t[colon] !== ':' || (colon + 1 < end && t[colon + 1] !== ' ')) giveUp();
    const keys = map.keys;
    if (key !== '<<') {
      if (keys.has(key)) giveUp();
      keys.add(key);
    }
    const d = this.childOf(map.d, key);
    const col = i - this.lineStart;
    const j = this.spaces(colon + 1, end);
    if (j === end || t[j] === '#') {
      this.pending = { kind: 'value', indent: col, d };
      return;
    }
    this.value(j, end, d, 'value', col);
  }

  /** A value that starts on this line at `j`, in block context; `parent` is its key's or dash's column. */
  private value(j: number, end: number, d: number, kind: Pending['kind'], parent: number): void {
    const t = this.t;
    let c = t[j]!;
    if (c === '&') {
      let k = j + 1;
      while (k < end && t[k] !== ' ') k++;
      const name = t.slice(j + 1, k);
      if (!ANCHOR_NAME.test(name)) giveUp();
      this.anchors.add(name);
      j = this.spaces(k, end);
      if (j === end || t[j] === '#') {
        this.pending = { kind, indent: parent, d };
        return;
      }
      c = t[j]!;
      if (c === '&' || c === '*' || c === '!') giveUp();
    }
    if (c === '*') {
      let k = j + 1;
      while (k < end && t[k] !== ' ') k++;
      const name = t.slice(j + 1, k);
      if (!ANCHOR_NAME.test(name) || !this.anchors.has(name)) giveUp();
      // An alias at or on the way to the target: the full path explains that it is refused.
      if (d >= 0) giveUp();
      this.restOfLine(k, end);
      return;
    }
    if (c === '|' || c === '>') {
      // Block scalars are left to the full path as targets; elsewhere, their body is skipped.
      if (d >= 0) giveUp();
      let k = j + 1;
      if (t[k] === '-' || t[k] === '+') k++;
      this.restOfLine(k, end);
      this.block = { parent, content: -1, blankMax: 0 };
      return;
    }
    if (c === '"' || c === "'") {
      const q = this.quotedEnd(j, end);
      if (q < 0) giveUp();
      this.restOfLine(q, end);
      this.scalar(j, q, d, c === '"' ? 'double' : 'single', false);
      return;
    }
    if (c === '[' || c === '{') {
      const k = this.flow(j, end, d, 1);
      this.restOfLine(k, end);
      return;
    }
    if (NOT_PLAIN_START.has(c) || (c === '-' && (j + 1 === end || t[j + 1] === ' '))) giveUp();
    const h = this.spaceHash.next(j);
    const stop = h >= 0 && h < end ? h : end;
    // `a: b: c` is not allowed, and `a: b:` neither.
    const cs = this.colonSpace.next(j);
    if (cs >= 0 && cs < stop) giveUp();
    let last = stop - 1;
    while (last > j && t.charCodeAt(last) === 32) last--;
    if (t.charCodeAt(last) === 58) giveUp();
    this.scalar(j, last + 1, d, 'plain', false);
  }

  private scalar(start: number, end: number, d: number, style: FastStyle, flow: boolean): void {
    if (d < 0) return;
    // A scalar on the way to the target: the full path reports PATH_THROUGH_SCALAR.
    if (d < this.path.length) giveUp();
    let lineEnd = this.t.indexOf('\n', end);
    if (lineEnd < 0) lineEnd = this.t.length;
    if (this.t.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    this.hit = { start, end, style, flow, line: this.lineNo, lineEnd };
  }

  /**
   * End (just past the closing quote) of a one-line quoted scalar starting at `j`, or -1 if it
   * does not close on this line. Gives up on escapes the subset does not take.
   */
  private quotedEnd(j: number, end: number): number {
    const t = this.t;
    if (t[j] === "'") {
      let q = t.indexOf("'", j + 1);
      while (q >= 0 && q + 1 < end && t.charCodeAt(q + 1) === 39) q = t.indexOf("'", q + 2);
      return q >= 0 && q < end ? q + 1 : -1;
    }
    const close = t.indexOf('"', j + 1);
    if (close < 0 || close >= end) return -1;
    const bs = this.backslash.next(j + 1);
    if (bs < 0 || bs > close) return close + 1;
    let k = j + 1;
    while (k < end) {
      const ch = t[k];
      if (ch === '"') return k + 1;
      if (ch === '\\') {
        const e = t[k + 1];
        if (k + 1 >= end || e === undefined) return -1;
        if (ESCAPES.has(e)) k += 2;
        else if (e === 'x' || e === 'u') {
          const w = e === 'x' ? 2 : 4;
          if (k + 2 + w > end || !HEX.test(t.slice(k + 2, k + 2 + w))) giveUp();
          k += 2 + w;
        } else giveUp();
        continue;
      }
      k++;
    }
    return -1;
  }

  /**
   * A one-line flow collection starting at `j` (`[` or `{`); returns the offset after its
   * closing bracket. Keys are plain or quoted scalars followed by `: `; values are scalars or
   * nested collections.
   */
  private flow(j: number, end: number, d: number, depth: number): number {
    const t = this.t;
    if (depth > MAX_FLOW_DEPTH) giveUp();
    const isMap = t.charCodeAt(j) === 123; // {
    const close = isMap ? 125 : 93; // } ]
    if (d >= 0) this.checkCollection(isMap ? 'map' : 'seq', d);
    // Flow mappings are small: a list finds repeated keys faster than a Set.
    const keys: string[] | undefined = isMap ? [] : undefined;
    let k = j + 1;
    while (t.charCodeAt(k) === 32) k++;
    if (t.charCodeAt(k) === close) return k + 1;
    for (let index = 0; ; index++) {
      if (k >= end) giveUp();
      let cd = -1;
      let c = t.charCodeAt(k);
      if (keys) {
        let key: string;
        if (c === 34 || c === 39) {
          const q = this.quotedEnd(k, end);
          if (q < 0) giveUp();
          const inner = t.slice(k + 1, q - 1);
          if (c === 34 && inner.includes('\\')) giveUp();
          key = c === 39 ? inner.replace(/''/g, "'") : inner;
          if (key.length > MAX_KEY) giveUp();
          k = q;
        } else {
          const e = this.flowPlainEnd(k, end);
          key = t.slice(k, e);
          if (!isStringKey(key)) giveUp();
          k = e;
        }
        if (t.charCodeAt(k) !== 58 || t.charCodeAt(k + 1) !== 32) giveUp(); // `: `
        if (key === '<<' || keys.includes(key)) giveUp();
        keys.push(key);
        if (d >= 0) cd = this.childOf(d, key);
        k += 2;
        while (t.charCodeAt(k) === 32) k++;
        c = t.charCodeAt(k);
      } else if (d >= 0) cd = this.childOf(d, index);
      if (c === 91 || c === 123)
        k = this.flow(k, end, cd, depth + 1); // [ {
      else if (c === 34 || c === 39) {
        const q = this.quotedEnd(k, end);
        if (q < 0) giveUp();
        if (cd >= 0) this.scalar(k, q, cd, c === 34 ? 'double' : 'single', true);
        k = q;
      } else {
        const e = this.flowPlainEnd(k, end);
        if (cd >= 0) this.scalar(k, e, cd, 'plain', true);
        k = e;
      }
      while (t.charCodeAt(k) === 32) k++;
      c = t.charCodeAt(k);
      if (c === 44) {
        // `,`, and a trailing one is allowed
        k++;
        while (t.charCodeAt(k) === 32) k++;
        if (t.charCodeAt(k) === close) return k + 1;
        continue;
      }
      if (c === close && k < end) return k + 1;
      giveUp();
    }
  }

  /** End of a plain scalar in a flow collection (trailing spaces excluded); never empty. */
  private flowPlainEnd(k: number, end: number): number {
    const t = this.t;
    const c = t[k];
    if (c === undefined || k >= end || c === ' ' || NOT_PLAIN_START.has(c) || c === '-') giveUp();
    FLOW_PLAIN.lastIndex = k;
    FLOW_PLAIN.test(t);
    const stop = FLOW_PLAIN.lastIndex;
    // The collection must close on this line; `#` (even without a space before it) is left out.
    if (stop >= end || t[stop] === '[' || t[stop] === '{' || t[stop] === '#') giveUp();
    let last = stop - 1;
    while (t.charCodeAt(last) === 32) last--;
    return last + 1;
  }
}
