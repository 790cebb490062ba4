import { isAlias, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Alias, Document, Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { linesText, pairsWithKey } from './duplicates.js';
import { YamlEditError, YamlSyntaxError } from './errors.js';
import type { YamlEditErrorCode } from './errors.js';
import { formatPath, isSelector } from './key-path.js';
import type { PathSegment } from './key-path.js';
import { lineCol } from './source-text.js';

export type ParsedDoc = Document.Parsed;

/**
 * Parses every document, keeping source tokens so each node knows its exact source text.
 * The YAML 1.2 parse (the default) is the one edits navigate; a syntax error in it is fatal.
 * Duplicate keys are not: Puppet and Helm read them (the last wins), so `locate` refuses only
 * paths through them and `duplicateKeys` lists them for a warning.
 */
export function parseDocs(text: string, fileName?: string, version?: '1.1' | '1.2'): ParsedDoc[] {
  // uniqueKeys: false because the library's own check compares each new key with every earlier
  // one (quadratic: 12 s on a 13,000-key Hiera file), and because duplicates are handled above.
  const docs = Array.from(
    parseAllDocuments(text, {
      keepSourceTokens: true,
      prettyErrors: false,
      uniqueKeys: false,
      ...(version ? { version } : {}),
    }),
  );
  if (version === undefined) {
    const problems = docs.flatMap((d) =>
      d.errors.map((e) => ({ ...lineCol(text, e.pos[0]), message: e.message, parserCode: e.code })),
    );
    if (problems.length > 0) throw new YamlSyntaxError(fileName, problems);
  }
  return docs;
}

/** Where the path leads: to a scalar, or to the place the missing rest of it would be added. */
export type Located =
  | { kind: 'scalar'; node: Scalar; flow: boolean; pair: Pair | undefined }
  | {
      kind: 'missing';
      host: Host;
      /** The part of the path that does not exist yet. */
      rest: PathSegment[];
      /** What `<<` merges in under the first missing key, if anything. */
      inherited: unknown;
    };

export type Host =
  | { kind: 'map'; map: YAMLMap; flow: boolean }
  /** `key:` with no value, which becomes a mapping. */
  | { kind: 'empty-value'; pair: Pair; value: Scalar }
  | { kind: 'empty-document'; doc: ParsedDoc | undefined }
  /** A sequence without the wanted item: items are never created. */
  | { kind: 'seq'; seq: YAMLSeq }
  | { kind: 'no-node' };

export interface Walk {
  text: string;
  fileName: string | undefined;
  /** Undefined for a stream with no documents (empty, or only comments). */
  doc: ParsedDoc | undefined;
  /** Reads may see keys merged in with `<<`; writes add a local key instead. */
  followMerges: boolean;
}

export function keyText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  return typeof node.source === 'string' ? node.source : String(node.value);
}

/** `key:` with nothing after it (not `~` or `null`, which are values someone wrote). */
export function isEmptyValue(node: unknown): node is Scalar {
  return isScalar(node) && node.value === null && node.srcToken === undefined;
}

export function findPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => keyText(p.key) === key);
}

export function fail(w: Walk, code: YamlEditErrorCode, message: string, node?: Node | null): never {
  const at = node?.range ? lineCol(w.text, node.range[0]) : {};
  throw new YamlEditError(code, message, { fileName: w.fileName, ...at });
}

export function describe(node: unknown): string {
  if (isScalar(node)) return `a scalar (${JSON.stringify(node.source ?? node.value)})`;
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a sequence';
  if (isAlias(node)) return `an alias (*${node.source})`;
  return 'empty';
}

/** Keys merged into `map` by `<<: *anchor` (or `<<: [*a, *b]`), nearest first. */
function mergedPair(w: Walk, map: YAMLMap, key: string, seen = new Set<YAMLMap>()): Pair | undefined {
  if (seen.has(map)) return undefined;
  seen.add(map);
  for (const p of map.items) {
    if (keyText(p.key) !== '<<') continue;
    const sources = isSeq(p.value) ? p.value.items : [p.value];
    for (const s of sources) {
      const target = isAlias(s) && w.doc ? s.resolve(w.doc) : s;
      if (!isMap(target)) continue;
      const found = findPair(target, key) ?? mergedPair(w, target, key, seen);
      if (found) return found;
    }
  }
  return undefined;
}

export function locate(w: Walk, path: PathSegment[]): Located {
  let node: unknown = w.doc?.contents;
  let flow = false;
  let pair: Pair | undefined;
  const missing = (host: Host, i: number, inherited?: unknown): Located => ({
    kind: 'missing',
    host,
    rest: path.slice(i),
    inherited,
  });
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const here = formatPath(path.slice(0, i)) || '(document root)';
    const full = formatPath(path);
    if (node === null || node === undefined || isEmptyValue(node)) {
      if (pair && isEmptyValue(node)) return missing({ kind: 'empty-value', pair, value: node }, i);
      return missing(i === 0 ? { kind: 'empty-document', doc: w.doc } : { kind: 'no-node' }, i);
    }
    if (isAlias(node)) aliasInPath(w, node, path.slice(0, i), full);
    if (typeof seg === 'string') {
      if (!isMap(node)) {
        fail(
          w,
          isScalar(node) ? 'PATH_THROUGH_SCALAR' : 'WRONG_COLLECTION',
          `cannot ${w.followMerges ? 'read' : 'set'} ${full}: ${here} is ${describe(node)}, not a mapping`,
          node as Node,
        );
      }
      flow ||= node.flow === true;
      const own = findPair(node, seg);
      if (own) refuseDuplicate(w, node, seg, path.slice(0, i + 1), full, i === path.length - 1);
      const merged = own ? undefined : mergedPair(w, node, seg);
      const next = own ?? (w.followMerges ? merged : undefined);
      if (!next) return missing({ kind: 'map', map: node, flow }, i, merged?.value);
      pair = next;
      node = next.value;
      continue;
    }
    if (!isSeq(node)) {
      fail(
        w,
        isScalar(node) ? 'PATH_THROUGH_SCALAR' : 'WRONG_COLLECTION',
        `cannot ${w.followMerges ? 'read' : 'set'} ${full}: ${here} is ${describe(node)}, not a sequence`,
        node as Node,
      );
    }
    flow ||= node.flow === true;
    pair = undefined;
    if (typeof seg === 'number') {
      if (seg >= node.items.length) return missing({ kind: 'seq', seq: node }, i);
      node = node.items[seg];
      continue;
    }
    if (isSelector(seg)) {
      const hits = node.items.filter((item) => {
        if (!isMap(item)) return false;
        const p = findPair(item, seg.key);
        return p !== undefined && isScalar(p.value) && keyText(p.value) === seg.equals;
      });
      if (hits.length === 0) return missing({ kind: 'seq', seq: node }, i);
      if (hits.length > 1) {
        fail(
          w,
          'NO_MATCHING_ITEM',
          `cannot use ${full}: ${hits.length} items of ${here} have ${seg.key}: ${seg.equals} (need exactly one)`,
          node,
        );
      }
      node = hits[0];
    }
  }
  const full = formatPath(path);
  if (isAlias(node)) aliasInPath(w, node, path, full);
  if (node === null || node === undefined) return missing({ kind: 'no-node' }, path.length);
  if (!isScalar(node)) {
    fail(
      w,
      'NOT_A_SCALAR',
      `${full} is ${describe(node)}; only scalar values can be ${w.followMerges ? 'read' : 'set'}`,
      node as Node,
    );
  }
  return { kind: 'scalar', node, flow, pair };
}

/** A key written twice: which one to edit (and which one readers use) is not ours to guess. */
function refuseDuplicate(w: Walk, map: YAMLMap, key: string, at: PathSegment[], full: string, isTarget: boolean): void {
  const pairs = pairsWithKey(map, key);
  if (pairs.length < 2) return;
  const lines = pairs.map((p) => lineCol(w.text, (p.key as Node).range?.[0] ?? 0).line);
  fail(
    w,
    'DUPLICATE_KEY',
    `cannot ${w.followMerges ? 'read' : 'set'} ${full}: ` +
      `${isTarget ? 'the key' : 'its parent'} ${formatPath(at)} is in the file more than once ` +
      `(${linesText(lines)}); Puppet and Helm use the last one, so remove the others first`,
    pairs[pairs.length - 1]!.key as Node,
  );
}

function aliasInPath(w: Walk, alias: Alias, at: PathSegment[], full: string): never {
  const anchored = w.doc ? anchorPath(w.doc, alias.source) : undefined;
  const hint = anchored
    ? `; edit the anchored node at ${formatPath(anchored) || '(document root)'} instead (that changes every alias of it)`
    : '';
  fail(
    w,
    'ALIAS',
    `cannot ${w.followMerges ? 'read' : 'set'} ${full}: ` +
      `${formatPath(at) || '(document root)'} is an alias (*${alias.source}) of another node${hint}`,
    alias,
  );
}

/** Path of the first node that defines `&name`. */
export function anchorPath(doc: ParsedDoc, name: string): PathSegment[] | undefined {
  let found: PathSegment[] | undefined;
  const visit = (node: unknown, path: PathSegment[]): void => {
    if (isAlias(node)) return;
    if ((isScalar(node) || isMap(node) || isSeq(node)) && node.anchor === name && found === undefined) found = path;
    if (isMap(node)) {
      for (const p of node.items) {
        const k = keyText(p.key);
        if (k !== undefined) visit(p.value, [...path, k]);
      }
    } else if (isSeq(node)) node.items.forEach((item, i) => visit(item, [...path, i]));
  };
  visit(doc.contents, []);
  return found;
}
