import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Scalar } from 'yaml';
import { YamlEditError } from './errors.js';
import { parsePath } from './key-path.js';
import type { PathSegment } from './key-path.js';
import { keyText, locate, parseDocs } from './locate.js';
import { lineCol } from './source-text.js';

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal' | 'folded' | 'empty';

export interface ScalarInfo {
  document: number;
  path: PathSegment[];
  /** The scalar's text as parsed: `yes` stays "yes", `1.10` stays "1.10", quotes are removed. */
  value: string;
  /** What a YAML 1.2 reader makes of it (string, number, boolean, null). */
  parsed: unknown;
  style: ScalarStyle;
  /** 1-based position of the value in the text. */
  line: number;
  column: number;
  /** Explicit tag such as `!!str` or `!secret`, if written. */
  tag: string | undefined;
}

export interface ReadOptions {
  fileName?: string;
  /** 0-based; default 0. */
  document?: number;
}

function styleOf(node: Scalar): ScalarStyle {
  const token = node.srcToken;
  if (!token) return 'empty';
  if (token.type === 'single-quoted-scalar') return 'single';
  if (token.type === 'double-quoted-scalar') return 'double';
  if (token.type === 'block-scalar') {
    const header = token.props.find((p) => p.type === 'block-scalar-header');
    return header && 'source' in header && header.source.startsWith('>') ? 'folded' : 'literal';
  }
  return 'plain';
}

function info(text: string, document: number, path: PathSegment[], node: Scalar): ScalarInfo {
  const at = lineCol(text, node.range?.[0] ?? 0);
  return {
    document,
    path,
    value: keyText(node) ?? '',
    parsed: node.value,
    style: styleOf(node),
    line: at.line,
    column: at.column,
    // The composer sets `tag` only when one is written in the source.
    tag: node.tag,
  };
}

/**
 * The scalar at `path`, or undefined when the path does not exist. Keys merged in with `<<`
 * are followed. Throws when the path runs through a scalar or an alias, or ends at a collection.
 */
export function getScalar(
  text: string,
  path: string | readonly PathSegment[],
  opts: ReadOptions = {},
): ScalarInfo | undefined {
  const segments = parsePath(path);
  const docs = parseDocs(text, opts.fileName);
  const index = opts.document ?? 0;
  if (!Number.isInteger(index) || index < 0 || (index >= docs.length && !(index === 0 && docs.length === 0))) {
    throw new YamlEditError(
      'NO_SUCH_DOCUMENT',
      `${opts.fileName ?? 'the file'} has ${docs.length} document(s), so there is no document ${index}`,
      {
        fileName: opts.fileName,
      },
    );
  }
  const loc = locate({ text, fileName: opts.fileName, doc: docs[index], followMerges: true }, segments);
  return loc.kind === 'scalar' ? info(text, index, segments, loc.node) : undefined;
}

/** The scalar's text at `path` (see `getScalar`), or undefined when the path does not exist. */
export function getValue(
  text: string,
  path: string | readonly PathSegment[],
  opts: ReadOptions = {},
): string | undefined {
  return getScalar(text, path, opts)?.value;
}

export type ScalarPredicate = (path: readonly PathSegment[], value: string, scalar: ScalarInfo) => boolean;

/**
 * Every scalar value (not key) in every document for which `predicate` holds, in file order.
 * Aliases and `<<` merges are not followed, so each match is a place that can be edited: pass
 * its `path` and `document` to `setValues`.
 */
export function findScalars(text: string, predicate: ScalarPredicate, opts: { fileName?: string } = {}): ScalarInfo[] {
  const docs = parseDocs(text, opts.fileName);
  const out: ScalarInfo[] = [];
  docs.forEach((doc, document) => {
    const visit = (node: unknown, path: PathSegment[]): void => {
      if (isAlias(node)) return;
      if (isScalar(node)) {
        const found = info(text, document, path, node);
        if (predicate(path, found.value, found)) out.push(found);
      } else if (isMap(node)) {
        for (const p of node.items) {
          const k = keyText(p.key);
          if (k !== undefined && k !== '<<') visit(p.value, [...path, k]);
        }
      } else if (isSeq(node)) {
        node.items.forEach((item, i) => visit(item, [...path, i]));
      }
    };
    visit(doc.contents, []);
  });
  return out;
}
