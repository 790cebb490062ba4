import { isScalar } from 'yaml';
import type { CST, Scalar } from 'yaml';
import { detectIndentStep, renderAddition } from './add-key.js';
import { blockToDoubleQuoted, renderBlockScalar } from './block-scalar.js';
import type { Splice } from './block-scalar.js';
import { YamlEditError } from './errors.js';
import { formatPath, parsePath } from './key-path.js';
import type { PathSegment } from './key-path.js';
import { describe, fail, keyText, locate, parseDocs } from './locate.js';
import type { Located, ParsedDoc, Walk } from './locate.js';
import { matchesIntent, normalizeValue, renderFlowScalar } from './quoting.js';
import type { Intent, ValueType } from './quoting.js';
import { pathTo, snapshot, unexpectedDifferences } from './snapshot.js';
import { detectEol, lineCol } from './source-text.js';

export interface Edit {
  /** A path string (see README: `a.b`, `a\.b`, `list[0]`, `containers[name=app].image`) or segments. */
  path: string | readonly PathSegment[];
  value: string | number | boolean;
  /** What the value must read back as; defaults to the JavaScript type of `value`. */
  type?: ValueType;
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
}

export interface EditResult {
  text: string;
  changes: Change[];
}

/**
 * Applies the edits in order and returns the new text. Everything outside the changed scalars
 * is kept byte for byte. Throws a YamlEditError (and changes nothing) if any edit is refused.
 */
export function setValues(text: string, edits: readonly Edit[], opts: EditOptions = {}): EditResult {
  let current = text;
  const changes: Change[] = [];
  try {
    for (const edit of edits) {
      const r = applyEdit(current, edit, opts.fileName);
      current = r.text;
      changes.push(r.change);
    }
  } catch (e) {
    if (e instanceof YamlEditError && e.fileName === undefined) e.fileName = opts.fileName;
    throw e;
  }
  return { text: current, changes };
}

/** One edit; see `setValues`. */
export function setValue(
  text: string,
  path: string | readonly PathSegment[],
  value: string | number | boolean,
  opts: EditOptions & { type?: ValueType; document?: number } = {},
): EditResult {
  const edit: Edit = { path, value };
  if (opts.type !== undefined) edit.type = opts.type;
  if (opts.document !== undefined) edit.document = opts.document;
  return setValues(text, [edit], opts);
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

function applyEdit(text: string, edit: Edit, fileName: string | undefined): { text: string; change: Change } {
  const path = parsePath(edit.path);
  const intent = normalizeValue(edit.value, edit.type);
  const docs = parseDocs(text, fileName);
  const docIndex = edit.document ?? 0;
  const w: Walk = { text, fileName, doc: pickDocument(docs, docIndex, fileName), followMerges: false };
  const loc = locate(w, path);
  const eol = detectEol(text);
  const base = { path, document: docIndex, next: intent.text };

  let splices: Splice[];
  let previous: string | undefined;
  if (loc.kind === 'scalar') {
    previous = keyText(loc.node) ?? '';
    if (/^\s*ENC\[/.test(previous)) {
      fail(w, 'ENCRYPTED_VALUE', `${formatPath(path)} holds a hiera-eyaml encrypted value (ENC[...]); it is never rewritten, change it with eyaml`, loc.node);
    }
    if (isUnchanged(text, docIndex, path, loc.node, intent, fileName)) {
      const line = loc.node.range ? lineCol(text, loc.node.range[0]).line : 0;
      return { text, change: { ...base, previous, changed: false, added: false, line } };
    }
    splices = replacement(text, loc, intent, eol);
  } else {
    splices = addition(w, docs, path, loc, intent, eol);
    previous = isScalar(loc.inherited) ? (keyText(loc.inherited) ?? '') : undefined;
  }
  const next = applySplices(text, splices);
  const line = verify(next, docs, docIndex, path, intent, fileName);
  return { text: next, change: { ...base, previous, changed: true, added: loc.kind === 'missing', line } };
}

/** Same text and the same type under both YAML 1.2 and 1.1: nothing to do. */
function isUnchanged(text: string, docIndex: number, path: PathSegment[], node: Scalar, intent: Intent, fileName: string | undefined): boolean {
  if (!matchesIntent(node.value, intent)) return false;
  if (intent.type === 'string' && keyText(node) !== intent.text) return false;
  const doc11 = parseDocs(text, fileName, '1.1')[docIndex];
  const loc11 = locate({ text, fileName, doc: doc11, followMerges: false }, path);
  return loc11.kind === 'scalar' && matchesIntent(loc11.node.value, intent);
}

function replacement(text: string, loc: Extract<Located, { kind: 'scalar' }>, intent: Intent, eol: string): Splice[] {
  const token = loc.node.srcToken as CST.Token | undefined;
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
      const s = splices[0] as Splice;
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

function addition(w: Walk, docs: ParsedDoc[], path: PathSegment[], loc: Extract<Located, { kind: 'missing' }>, intent: Intent, eol: string): Splice[] {
  const full = formatPath(path);
  const done = formatPath(path.slice(0, path.length - loc.rest.length)) || '(document root)';
  const host = loc.host;
  if (host.kind === 'seq') {
    fail(w, 'INDEX_OUT_OF_RANGE', `cannot set ${full}: ${done} has ${host.seq.items.length} item(s) and none is ${formatPath(loc.rest.slice(0, 1))}; sequence items are never created`, host.seq);
  }
  const rest = loc.rest;
  if (!rest.every((s): s is string => typeof s === 'string')) {
    fail(w, 'UNSUPPORTED', `cannot set ${full}: ${done} has no ${formatPath(rest)}, and sequence items are never created`);
  }
  if (loc.inherited !== undefined && (rest.length > 1 || !isScalar(loc.inherited))) {
    // A merge is shallow: a local key would hide all of the merged value, not just one field.
    fail(w, 'UNSUPPORTED', `cannot set ${full}: ${formatPath(path.slice(0, path.length - rest.length + 1))} comes from a merge key (<<) and is ${describe(loc.inherited)}; a local copy would hide all of it, so edit the anchored mapping instead`);
  }
  const splice = renderAddition(w.text, host, rest, intent, detectIndentStep(w.text, docs), eol);
  if (!splice) fail(w, 'UNSUPPORTED', `cannot add ${full}: no place to add it under ${done}`);
  return [splice];
}

function applySplices(text: string, splices: Splice[]): string {
  let out = text;
  for (const s of [...splices].sort((a, b) => b.start - a.start)) out = out.slice(0, s.start) + s.insert + out.slice(s.end);
  return out;
}

/**
 * Re-reads the result: an edit that would not read back exactly as asked, or that would change
 * any other node, is a bug and is never returned.
 */
function verify(next: string, before: ParsedDoc[], docIndex: number, path: PathSegment[], intent: Intent, fileName: string | undefined): number {
  const bug = (why: string): never => {
    throw new YamlEditError('INTERNAL', `setting ${formatPath(path)} would ${why}; the file was not changed (please report this)`, { fileName });
  };
  let docs: ParsedDoc[];
  try {
    docs = parseDocs(next, fileName);
  } catch (e) {
    return bug(`produce invalid YAML (${(e as Error).message})`);
  }
  if (docs.length !== Math.max(before.length, 1)) bug('change the number of documents');
  let line = 0;
  for (const version of [undefined, '1.1'] as const) {
    const doc = version ? parseDocs(next, fileName, version)[docIndex] : docs[docIndex];
    const loc = locate({ text: next, fileName, doc, followMerges: false }, path);
    if (loc.kind !== 'scalar' || !matchesIntent(loc.node.value, intent)) {
      return bug(`not read back as ${intent.type} ${JSON.stringify(intent.text)}`);
    }
    if (intent.type === 'string' && keyText(loc.node) !== intent.text) bug('not read back as the same text');
    if (version) continue;
    if (loc.node.range) line = lineCol(next, loc.node.range[0]).line;
    const at = doc ? pathTo(doc, loc.node) : undefined;
    if (!at) return bug('lose track of the value');
    const others = unexpectedDifferences(snapshot(before), snapshot(docs), [[docIndex, ...at]]);
    if (others.length > 0) bug(`also change ${others.slice(0, 3).join(', ')}`);
  }
  return line;
}
