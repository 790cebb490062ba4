import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Pair, YAMLMap } from 'yaml';
import { formatPath } from './key-path.js';
import type { PathSegment } from './key-path.js';
import type { ParsedDoc } from './locate.js';
import { lineCol } from './source-text.js';

/**
 * A key written more than once in one mapping. YAML forbids it, but Puppet (Psych) and Helm (Go's
 * yaml) read such files and keep the last value, and real Hiera data has them; so the editor
 * edits around them and refuses only to edit through them (see `locate`).
 */
export interface DuplicateKey {
  document: number;
  /** Path of the key itself (its mapping's path and the key). */
  path: PathSegment[];
  /** 1-based line of every occurrence, in file order; the last is the one readers use. */
  lines: number[];
  /** 1-based column of the last occurrence. */
  column: number;
}

/** A warning about the file that did not stop the edit. */
export interface EditWarning {
  message: string;
  line: number;
  column: number;
}

function scalarKey(pair: Pair): string | undefined {
  if (!isScalar(pair.key)) return undefined;
  return typeof pair.key.source === 'string' ? pair.key.source : String(pair.key.value);
}

/** The pairs of `map` whose key is `key`, in order (more than one: a duplicate). */
export function pairsWithKey(map: YAMLMap, key: string): Pair[] {
  return map.items.filter((p) => scalarKey(p) === key);
}

/** Every duplicated scalar key in every document (merge keys aside), in file order. */
export function duplicateKeys(text: string, docs: readonly ParsedDoc[]): DuplicateKey[] {
  const out: DuplicateKey[] = [];
  docs.forEach((doc, document) => {
    const visit = (node: unknown, path: PathSegment[]): void => {
      if (isAlias(node)) return;
      if (isSeq(node)) node.items.forEach((item, i) => visit(item, [...path, i]));
      if (!isMap(node)) return;
      const seen = new Map<string, Pair[]>();
      for (const pair of node.items) {
        const k = scalarKey(pair);
        if (k === undefined || k === '<<') continue;
        const same = seen.get(k);
        if (same) same.push(pair);
        else seen.set(k, [pair]);
      }
      for (const [k, pairs] of seen) {
        if (pairs.length > 1) {
          const at = pairs.map((p) => lineCol(text, (p.key as { range?: [number, number, number] }).range?.[0] ?? 0));
          out.push({ document, path: [...path, k], lines: at.map((a) => a.line), column: at[at.length - 1]!.column });
        }
        for (const p of pairs) visit(p.value, [...path, k]);
      }
    };
    visit(doc.contents, []);
  });
  return out.sort((a, b) => a.lines[a.lines.length - 1]! - b.lines[b.lines.length - 1]!);
}

/** "lines 2 and 5", "lines 2, 5 and 9". */
export function linesText(lines: readonly number[]): string {
  return `lines ${lines.slice(0, -1).join(', ')} and ${lines[lines.length - 1]}`;
}

/** One warning per duplicated key, pointing at its last occurrence (the one readers use). */
export function duplicateWarnings(dups: readonly DuplicateKey[], fileName: string | undefined): EditWarning[] {
  return dups.map((d) => ({
    message:
      `${fileName ?? 'the file'} has the key ${formatPath(d.path)} more than once (${linesText(d.lines)})` +
      `${d.document > 0 ? ` in document ${d.document}` : ''}; Puppet and Helm use the last one, ` +
      `and it was left as it is (remove the others to make the file valid YAML)`,
    line: d.lines[d.lines.length - 1]!,
    column: d.column,
  }));
}
