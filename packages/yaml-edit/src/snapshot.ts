import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { PathSegment } from './key-path.js';
import { keyText } from './locate.js';
import type { ParsedDoc } from './locate.js';

/**
 * Every node of every document, by position, as text: scalars by their source value, aliases by
 * name, collections by kind. Comparing two snapshots shows what an edit changed, without following
 * aliases (editing an anchored value legitimately changes what its aliases resolve to).
 */
export function snapshot(docs: ParsedDoc[]): Map<string, string> {
  const out = new Map<string, string>();
  docs.forEach((doc, d) => {
    const visit = (node: unknown, path: PathSegment[]): void => {
      const key = JSON.stringify([d, ...path]);
      if (isAlias(node)) out.set(key, `*${node.source}`);
      else if (isScalar(node)) out.set(key, `=${keyText(node) ?? ''}|${node.tag ?? ''}`);
      else if (isMap(node)) {
        out.set(key, '{}');
        for (const p of node.items) {
          const k = keyText(p.key);
          visit(p.value, [...path, k ?? `?${JSON.stringify(String(p.key))}`]);
        }
      } else if (isSeq(node)) {
        out.set(key, '[]');
        node.items.forEach((item, i) => visit(item, [...path, i]));
      } else out.set(key, 'null');
    };
    visit(doc.contents, []);
  });
  return out;
}

/** Keys present or different in either snapshot, other than `allowed` and its ancestors. */
export function unexpectedDifferences(before: Map<string, string>, after: Map<string, string>, allowed: PathSegment[][]): string[] {
  const ok = new Set<string>();
  for (const p of allowed) for (let i = 0; i <= p.length; i++) ok.add(JSON.stringify(p.slice(0, i)));
  const diff: string[] = [];
  for (const k of new Set([...before.keys(), ...after.keys()])) {
    if (ok.has(k)) continue;
    if (before.get(k) !== after.get(k)) diff.push(k);
  }
  return diff;
}

/** Path of `target` within `doc` (sequence positions as numbers), not following aliases. */
export function pathTo(doc: ParsedDoc, target: unknown): PathSegment[] | undefined {
  const visit = (node: unknown, path: PathSegment[]): PathSegment[] | undefined => {
    if (node === target) return path;
    if (isMap(node)) {
      for (const p of node.items) {
        const found = visit(p.value, [...path, keyText(p.key) ?? '']);
        if (found) return found;
      }
    } else if (isSeq(node)) {
      for (let i = 0; i < node.items.length; i++) {
        const found = visit(node.items[i], [...path, i]);
        if (found) return found;
      }
    }
    return undefined;
  };
  return visit(doc.contents, []);
}
