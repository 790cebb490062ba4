import { isScalar } from 'yaml';
import type { Scalar } from 'yaml';
import { detectIndentStep, renderAddition } from './add-key.js';
import { blockToDoubleQuoted, renderBlockScalar } from './block-scalar.js';
import type { Splice } from './block-scalar.js';
import { YamlEditError } from './errors.js';
import { formatPath, parsePath } from './key-path.js';
import type { PathSegment } from './key-path.js';
import { describe, fail, keyText, locate, parseDocs } from './locate.js';
import type { Located, ParsedDoc, Walk } from './locate.js';
import { duplicateKeys, duplicateWarnings } from './duplicates.js';
import type { EditWarning } from './duplicates.js';
import { matchesIntent, readToken, readsBackAs, renderFlowScalar } from './quoting.js';
import type { Intent } from './quoting.js';
import { intentFor } from './value-type.js';
import type { EditType, OldValue } from './value-type.js';
import { fastLocate, fastRecheck } from './fast-scan.js';
import { differences, pathTo } from './snapshot.js';
import { detectEol, lineCol } from './source-text.js';

export interface Edit {
  /** A path string (see README: `a.b`, `a\.b`, `list[0]`, `containers[name=app].image`) or segments. */
  path: string | readonly PathSegment[];
  value: string | number | boolean;
  /**
   * What the value must read back as; defaults to the JavaScript type of `value`. `auto` keeps
   * the type of the value it replaces (a string for a new key).
   */
  type?: EditType;
  /** 0-based index of the document in a `---`-separated stream. Default 0. */
  document?: number;
}

export interface EditOptions {
  /** Used in error messages and error locations only. */
  fileName?: string;
}

export interface Change {
  path: PathSegment[];
  document: number;
  /** The old scalar's text as parsed (e.g. `yes`, `1.10`); undefined if the key was added. */
  previous: string | undefined;
  next: string;
  changed: boolean;
  added: boolean;
  /** 1-based line of the value in the returned text. */
  line: number;
  /** The type written (`auto` resolved). */
  type: Intent['type'] | 'integer';
}

export interface EditResult {
  text: string;
  changes: Change[];
  /**
   * Problems of the file that did not stop the edits, once each, with lines in the returned text:
   * duplicate keys off every edited path (see README).
   */
  warnings: EditWarning[];
}

/**
 * Applies the edits in order and returns the new text. Everything outside the changed scalars
 * is kept byte for byte. Throws a YamlEditError (and changes nothing) if any edit is refused.
 */
export function setValues(text: string, edits: readonly Edit[], opts: EditOptions = {}): EditResult {
  return editText(text, edits, opts, LARGE_FILE);
}

/** One edit; see `setValues`. */
export function setValue(
  text: string,
  path: string | readonly PathSegment[],
  value: string | number | boolean,
  opts: EditOptions & { type?: EditType; document?: number } = {},
): EditResult {
  const edit: Edit = { path, value };
  if (opts.type !== undefined) edit.type = opts.type;
  if (opts.document !== undefined) edit.document = opts.document;
  return setValues(text, [edit], opts);
}

/**
 * From this size on (in UTF-16 code units) an edit is checked locally instead of by re-parsing
 * the whole result, and the subset reader (fast-scan.ts) is tried before the `yaml` library.
 * Below it, a full parse costs a few milliseconds and the whole-document comparison is kept.
 */
export const LARGE_FILE = 64 * 1024;

/** `setValues` with the size threshold as a parameter, so tests can run either path on any file. */
export function editText(text: string, edits: readonly Edit[], opts: EditOptions, largeFrom: number): EditResult {
  let current = text;
  const changes: Change[] = [];
  // Keys are never removed, so the last parse that saw duplicates has them all, at the result's
  // lines. The fast path parses nothing, but it only accepts files without duplicates.
  let warnings: EditWarning[] = [];
  try {
    for (const edit of edits) {
      const r = applyEdit(current, edit, opts.fileName, current.length >= largeFrom);
      current = r.text;
      changes.push(r.change);
      if (r.parsed) warnings = duplicateWarnings(duplicateKeys(r.parsed.text, r.parsed.docs), opts.fileName);
    }
  } catch (e) {
    if (e instanceof YamlEditError && e.fileName === undefined) e.fileName = opts.fileName;
    throw e;
  }
  return { text: current, changes, warnings };
}

function pickDocument(docs: ParsedDoc[], index: number, fileName: string | undefined): ParsedDoc | undefined {
  if (!Number.isInteger(index) || index < 0 || (index >= docs.length && !(index === 0 && docs.length === 0))) {
    throw new YamlEditError(
      'NO_SUCH_DOCUMENT',
      `${fileName ?? 'the file'} has ${docs.length} document(s), so there is no document ${index} (counting from 0)`,
      { fileName },
    );
  }
  return docs[index];
}

/** One edit's result, and the parse of a text equal to it line for line (undefined on the fast path). */
interface Applied {
  text: string;
  change: Change;
  parsed: { text: string; docs: ParsedDoc[] } | undefined;
}

function applyEdit(text: string, edit: Edit, fileName: string | undefined, large: boolean): Applied {
  const path = parsePath(edit.path);
  const docIndex = edit.document ?? 0;
  if (large) {
    const fast = fastEdit(text, path, docIndex, edit, fileName);
    if (fast) return { ...fast, parsed: undefined };
  }
  const docs = parseDocs(text, fileName);
  const w: Walk = { text, fileName, doc: pickDocument(docs, docIndex, fileName), followMerges: false };
  const loc = locate(w, path);
  const eol = detectEol(text);
  const intent = intentFor(edit.value, edit.type, () => oldValue(text, docIndex, path, loc, fileName), path, fileName);
  const base = { path, document: docIndex, next: intent.text, type: writtenType(edit, intent) };

  let splices: Splice[];
  let previous: string | undefined;
  if (loc.kind === 'scalar') {
    previous = keyText(loc.node) ?? '';
    if (/^\s*ENC\[/.test(previous)) {
      fail(
        w,
        'ENCRYPTED_VALUE',
        `${formatPath(path)} holds a hiera-eyaml encrypted value (ENC[...]); it is never rewritten, change it with eyaml`,
        loc.node,
      );
    }
    if (isUnchanged(text, docIndex, path, loc, intent, fileName)) {
      const line = loc.node.range ? lineCol(text, loc.node.range[0]).line : 0;
      return { text, change: { ...base, previous, changed: false, added: false, line }, parsed: { text, docs } };
    }
    splices = replacement(text, loc, intent, eol);
  } else {
    splices = addition(w, docs, path, loc, intent, eol);
    previous = isScalar(loc.inherited) ? (keyText(loc.inherited) ?? '') : undefined;
  }
  const next = applySplices(text, splices);
  const local = large && loc.kind === 'scalar' ? tokenSwap(text, loc, splices) : undefined;
  // A token swap keeps every line where it was, so the original's parse still gives the result's lines.
  const checked = local
    ? { line: verifyLocally(text, local, path, intent, fileName), parsed: { text, docs } }
    : verify(next, docs, docIndex, path, intent, fileName);
  const change = { ...base, previous, changed: true, added: loc.kind === 'missing', line: checked.line };
  return { text: next, change, parsed: checked.parsed };
}

/** The value being replaced, as YAML 1.2 and 1.1 read it (what `auto` keeps). */
function oldValue(
  text: string,
  docIndex: number,
  path: PathSegment[],
  loc: Located,
  fileName: string | undefined,
): OldValue | undefined {
  if (loc.kind !== 'scalar') return undefined;
  const at = loc.node.range ? lineCol(text, loc.node.range[0]) : undefined;
  const v11 = valueUnder11(text, docIndex, path, loc.node, loc.flow, fileName);
  return { text: keyText(loc.node) ?? '', v12: loc.node.value, v11, line: at?.line, column: at?.column };
}

function writtenType(edit: Edit, intent: Intent): Change['type'] {
  if (intent.type !== 'number') return intent.type;
  return edit.type === 'integer' || (edit.type === 'auto' && Number.isInteger(intent.js)) ? 'integer' : 'number';
}

/**
 * The subset reader's edit of a large file: find the scalar's token without the `yaml` library,
 * replace it, and check the result with the same reader. Returns undefined whenever the file, the
 * target or the result leaves the subset; the caller then takes the full path, which also
 * produces every error message.
 *
 * Why the check is sound: the reader accepted the whole original, and `fastRecheck` shows that
 * it reads the result the same way up to the replaced token, reads the new token as one one-line
 * scalar ending exactly where the replacement ends, and so (the rest being the same text read
 * from the same state) reads everything after it as before: the same structure, no new error,
 * and the new token at the target's place. What the new token itself means is checked by
 * `renderFlowScalar`, which parses it in the same context (`k: …` or `[…]`) under YAML 1.2 and
 * 1.1 with the `yaml` library and requires one scalar spanning all of it with the intended value.
 */
function fastEdit(
  text: string,
  path: PathSegment[],
  docIndex: number,
  edit: Edit,
  fileName: string | undefined,
): { text: string; change: Change } | undefined {
  if (!Number.isInteger(docIndex) || docIndex < 0) return undefined;
  const hit = fastLocate(text, docIndex, path);
  if (!hit) return undefined;
  const old = readToken(text.slice(hit.start, hit.end), hit.flow);
  // Encrypted values are refused by the full path, which points at them.
  if (!old || /^\s*ENC\[/.test(old.text)) return undefined;
  const column = hit.start - text.lastIndexOf('\n', hit.start - 1);
  const intent = intentFor(edit.value, edit.type, () => ({ ...old, line: hit.line, column }), path, fileName);
  const base = {
    path,
    document: docIndex,
    next: intent.text,
    previous: old.text,
    added: false,
    line: hit.line,
    type: writtenType(edit, intent),
  };
  const sameText = intent.type !== 'string' || old.text === intent.text;
  if (sameText && matchesIntent(old.v12, intent) && matchesIntent(old.v11, intent))
    return { text, change: { ...base, changed: false } };
  const insert = renderFlowScalar(intent, hit.style, hit.flow);
  if (/[\r\n]/.test(insert)) return undefined;
  const next = text.slice(0, hit.start) + insert + text.slice(hit.end);
  if (!fastRecheck(next, hit, path, insert.length)) return undefined;
  return { text: next, change: { ...base, changed: true } };
}

/** Same text and the same type under both YAML 1.2 and 1.1: nothing to do. */
function isUnchanged(
  text: string,
  docIndex: number,
  path: PathSegment[],
  loc: Extract<Located, { kind: 'scalar' }>,
  intent: Intent,
  fileName: string | undefined,
): boolean {
  const node = loc.node;
  if (!matchesIntent(node.value, intent)) return false;
  if (intent.type === 'string' && keyText(node) !== intent.text) return false;
  return matchesIntent(valueUnder11(text, docIndex, path, loc.node, loc.flow, fileName), intent);
}

/**
 * What a YAML 1.1 reader makes of `node`. Only an untagged plain scalar can read differently
 * from YAML 1.2 (quoted and block scalars are strings under both schemas), and what it reads as
 * depends only on its text, so that text alone is read under 1.1. A tagged scalar (a `%TAG`
 * handle may be involved) or a multi-line one is looked up in a 1.1 parse of the whole text.
 */
function valueUnder11(
  text: string,
  docIndex: number,
  path: PathSegment[],
  node: Scalar,
  flow: boolean,
  fileName: string | undefined,
): unknown {
  const token = node.srcToken;
  if (
    node.tag === undefined &&
    token &&
    (token.type === 'single-quoted-scalar' || token.type === 'double-quoted-scalar' || token.type === 'block-scalar')
  ) {
    return node.value;
  }
  const source = keyText(node);
  if (node.tag === undefined && token?.type === 'scalar' && source !== undefined && !/[\r\n]/.test(source)) {
    const r = readToken(source, flow);
    if (r?.text === source) return r.v11;
  }
  const doc11 = parseDocs(text, fileName, '1.1')[docIndex];
  const loc11 = locate({ text, fileName, doc: doc11, followMerges: false }, path);
  return loc11.kind === 'scalar' ? loc11.node.value : undefined;
}

function replacement(text: string, loc: Extract<Located, { kind: 'scalar' }>, intent: Intent, eol: string): Splice[] {
  const token = loc.node.srcToken;
  if (token === undefined) {
    // `key:` with nothing after it: the value goes after the colon, before any comment.
    const at = loc.node.range?.[0];
    if (at === undefined) throw new YamlEditError('INTERNAL', 'empty value without a position');
    const value = renderFlowScalar(intent, 'plain', loc.flow);
    const before = text[at - 1] === ' ' || text[at - 1] === '\t' ? '' : ' ';
    const after = text[at] === '#' ? ' ' : '';
    return [{ start: at, end: at, insert: before + value + after }];
  }
  if (token.type === 'block-scalar') {
    const asBlock = intent.type === 'string' ? renderBlockScalar(token, intent.text, eol) : undefined;
    const splices = asBlock ?? blockToDoubleQuoted(token, intent.text, eol);
    if (!splices) throw new YamlEditError('UNSUPPORTED', 'cannot rewrite this block scalar');
    if (!asBlock && intent.type !== 'string') {
      // A typed value is plain, never quoted; reuse the double-quote splice's extent.
      const s = splices[0]!;
      return [{ ...s, insert: s.insert.replace(/^"(?:[^"\\]|\\.)*"/, intent.text) }];
    }
    return splices;
  }
  if (token.type === 'scalar' || token.type === 'single-quoted-scalar' || token.type === 'double-quoted-scalar') {
    const style = token.type === 'scalar' ? 'plain' : token.type === 'single-quoted-scalar' ? 'single' : 'double';
    const insert = renderFlowScalar(intent, style, loc.flow);
    return [{ start: token.offset, end: token.offset + token.source.length, insert }];
  }
  throw new YamlEditError('UNSUPPORTED', `cannot rewrite a ${token.type} token`);
}

function addition(
  w: Walk,
  docs: ParsedDoc[],
  path: PathSegment[],
  loc: Extract<Located, { kind: 'missing' }>,
  intent: Intent,
  eol: string,
): Splice[] {
  const full = formatPath(path);
  const done = formatPath(path.slice(0, path.length - loc.rest.length)) || '(document root)';
  const host = loc.host;
  if (host.kind === 'seq') {
    fail(
      w,
      'INDEX_OUT_OF_RANGE',
      `cannot set ${full}: ${done} has ${host.seq.items.length} item(s) and none is ${formatPath(loc.rest.slice(0, 1))}; ` +
        'sequence items are never created',
      host.seq,
    );
  }
  const rest = loc.rest;
  if (!rest.every((s): s is string => typeof s === 'string')) {
    fail(
      w,
      'UNSUPPORTED',
      `cannot set ${full}: ${done} has no ${formatPath(rest)}, and sequence items are never created`,
    );
  }
  if (loc.inherited !== undefined && (rest.length > 1 || !isScalar(loc.inherited))) {
    // A merge is shallow: a local key would hide all of the merged value, not just one field.
    fail(
      w,
      'UNSUPPORTED',
      `cannot set ${full}: ${formatPath(path.slice(0, path.length - rest.length + 1))} comes from a merge key (<<) ` +
        `and is ${describe(loc.inherited)}; a local copy would hide all of it, so edit the anchored mapping instead`,
    );
  }
  const splice = renderAddition(w.text, host, rest, intent, detectIndentStep(w.text, docs), eol);
  if (!splice) fail(w, 'UNSUPPORTED', `cannot add ${full}: no place to add it under ${done}`);
  return [splice];
}

function applySplices(text: string, splices: Splice[]): string {
  let out = text;
  for (const s of splices.slice().sort((a, b) => b.start - a.start))
    out = out.slice(0, s.start) + s.insert + out.slice(s.end);
  return out;
}

/** A scalar token replaced by another on the same line: what `verifyLocally` can check. */
interface TokenSwap {
  start: number;
  end: number;
  insert: string;
  flow: boolean;
}

/**
 * The splice as a token swap when it is one: one splice that replaces a whole one-line plain or
 * quoted scalar token by a one-line token, not a quoted one by a plain one, and followed by
 * spaces and a comment, a line break or the end (or `,` `]` `}` in a flow collection).
 */
function tokenSwap(text: string, loc: Extract<Located, { kind: 'scalar' }>, splices: Splice[]): TokenSwap | undefined {
  const token = loc.node.srcToken;
  const s = splices.length === 1 ? splices[0] : undefined;
  if (!token || !s || loc.node.tag !== undefined) return undefined;
  if (token.type !== 'scalar' && token.type !== 'single-quoted-scalar' && token.type !== 'double-quoted-scalar')
    return undefined;
  if (s.start !== token.offset || s.end !== token.offset + token.source.length) return undefined;
  if (/[\r\n]/.test(token.source) || /[\r\n]/.test(s.insert) || s.insert === '') return undefined;
  if (token.type !== 'scalar' && !/^['"]/.test(s.insert)) return undefined;
  let k = s.end;
  while (text[k] === ' ' || text[k] === '\t') k++;
  const next = text[k];
  const ends =
    next === undefined ||
    next === '\n' ||
    next === '\r' ||
    (next === '#' && k > s.end) ||
    (loc.flow && (next === ',' || next === ']' || next === '}'));
  if (!ends) return undefined;
  return { start: s.start, end: s.end, insert: s.insert, flow: loc.flow };
}

/**
 * The check for a token swap in a large file, instead of parsing the whole result again.
 *
 * Why it is sound: the result equals the original before `start` and after the old token's
 * end. The `yaml` lexer reads the text in order, so everything before `start` lexes as before,
 * and the old token was a one-line value scalar (not a key) ending where `tokenSwap` saw spaces
 * and a comment, a line break or the end (or a flow indicator). The new token is checked here to
 * lex, in the same context (after `k: ` in block context, inside `[...]` in a flow collection),
 * as one scalar spanning all of it that reads back as intended under YAML 1.2 and 1.1; a
 * quoted scalar ends at its closing quote and a plain one stops before ` #`, a line break (it
 * continues onto the next line exactly when the old plain token would have) or a flow indicator.
 * So the token stream is the old one with one scalar token swapped for another, and the parser
 * and composer build the same nodes from it: their structure depends on token kinds and
 * positions, never on a scalar's text (multi-line tokens, whose line count matters, are excluded).
 * Keys, anchors, tags and comments are outside the replaced range and unchanged.
 */
function verifyLocally(
  text: string,
  swap: TokenSwap,
  path: PathSegment[],
  intent: Intent,
  fileName: string | undefined,
): number {
  if (!readsBackAs(swap.insert, swap.flow, intent)) {
    throw new YamlEditError(
      'INTERNAL',
      `setting ${formatPath(path)} would not read back as ${intent.type} ${JSON.stringify(intent.text)}; the file was not changed`,
      { fileName },
    );
  }
  return lineCol(text, swap.start).line;
}

/**
 * Re-reads the result: an edit that would not read back exactly as asked, or that would change
 * any other node, is a bug and is never returned.
 */
function verify(
  next: string,
  before: ParsedDoc[],
  docIndex: number,
  path: PathSegment[],
  intent: Intent,
  fileName: string | undefined,
): { line: number; parsed: { text: string; docs: ParsedDoc[] } } {
  const bug = (why: string): never => {
    throw new YamlEditError('INTERNAL', `setting ${formatPath(path)} would ${why}; the file was not changed`, {
      fileName,
    });
  };
  let docs: ParsedDoc[];
  try {
    docs = parseDocs(next, fileName);
  } catch (e) {
    return bug(`produce invalid YAML (${(e as Error).message})`);
  }
  if (docs.length !== Math.max(before.length, 1)) bug('change the number of documents');
  const doc = docs[docIndex];
  const loc = locate({ text: next, fileName, doc, followMerges: false }, path);
  if (loc.kind !== 'scalar' || !matchesIntent(loc.node.value, intent)) {
    return bug(`not read back as ${intent.type} ${JSON.stringify(intent.text)}`);
  }
  if (intent.type === 'string' && keyText(loc.node) !== intent.text) bug('not read back as the same text');
  if (!matchesIntent(valueUnder11(next, docIndex, path, loc.node, loc.flow, fileName), intent)) {
    bug(`not read back as ${intent.type} ${JSON.stringify(intent.text)} under YAML 1.1`);
  }
  const at = doc ? pathTo(doc, loc.node) : undefined;
  if (!at) return bug('lose track of the value');
  const others = differences(before, docs, [docIndex, ...at]);
  if (others.length > 0) bug(`also change ${others.slice(0, 3).join(', ')}`);
  return { line: loc.node.range ? lineCol(next, loc.node.range[0]).line : 0, parsed: { text: next, docs } };
}
