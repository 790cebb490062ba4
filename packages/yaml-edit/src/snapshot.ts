import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { PathSegment } from './key-path.js';
import { keyText } from './locate.js';
import type { ParsedDoc } from './locate.js';

/**
 * A node as the comparison sees it: scalars by their source value and tag, aliases by name,
 * collections by kind. Aliases are not followed (editing an anchored value legitimately changes
 * what its aliases resolve to).
 */
function describeNode(node: unknown): string {
  if (isAlias(node)) return `*${node.source}`;
  if (isScalar(node)) return `=${keyText(node) ?? ''}|${node.tag ?? ''}`;
  if (isMap(node)) return '{}';
  if (isSeq(node)) return '[]';
  return 'null';
}

function children(node: unknown): Map<string, { seg: PathSegment; node: unknown }> {
  const out = new Map<string, { seg: PathSegment; node: unknown }>();
  if (isMap(node)) {
    for (const p of node.items) {
      const seg = keyText(p.key) ?? `?${JSON.stringify(String(p.key))}`;
      out.set(`k${seg}`, { seg, node: p.value });
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => out.set(`i${i}`, { seg: i, node: item }));
  }
  return out;
}

const ABSENT = Symbol('absent');

/**
 * Every node of every document compared by position, both trees walked side by side: the paths
 * (`[document, ...segments]`, as JSON) of nodes that are present in only one of them or differ,
 * other than `allowed` and its ancestors (which an edit of `allowed` may create or change).
 */
export function differences(before: ParsedDoc[], after: ParsedDoc[], allowed: readonly PathSegment[]): string[] {
  const out: string[] = [];
  const path: PathSegment[] = [];
  const visit = (a: unknown, b: unknown, onAllowed: boolean): void => {
    const exempt = onAllowed && path.length <= allowed.length;
    const da = a === ABSENT ? undefined : describeNode(a);
    const db = b === ABSENT ? undefined : describeNode(b);
    if (!exempt && da !== db) out.push(JSON.stringify(path));
    const ca = a === ABSENT ? undefined : children(a);
    const cb = b === ABSENT ? undefined : children(b);
    const keys = new Set([...(ca?.keys() ?? []), ...(cb?.keys() ?? [])]);
    for (const k of keys) {
      const x = ca?.get(k);
      const y = cb?.get(k);
      const seg = (x ?? y)!.seg;
      path.push(seg);
      visit(
        x ? x.node : ABSENT,
        y ? y.node : ABSENT,
        exempt && path.length <= allowed.length && allowed[path.length - 1] === seg,
      );
      path.pop();
    }
  };
  const n = Math.max(before.length, after.length);
  for (let d = 0; d < n; d++) {
    path.push(d);
    visit(
      d < before.length ? before[d]!.contents : ABSENT,
      d < after.length ? after[d]!.contents : ABSENT,
      allowed[0] === d,
    );
    path.pop();
  }
  return out;
}

/** Path of `target` within `doc` (sequence positions as numbers), not following aliases. */
export function pathTo(doc: ParsedDoc, target: unknown): PathSegment[] | undefined {
  const path: PathSegment[] = [];
  const visit = (node: unknown): boolean => {
    if (node === target) return true;
    if (isMap(node)) {
      for (const p of node.items) {
        path.push(keyText(p.key) ?? '');
        if (visit(p.value)) return true;
        path.pop();
      }
    } else if (isSeq(node)) {
      for (let i = 0; i < node.items.length; i++) {
        path.push(i);
        if (visit(node.items[i])) return true;
        path.pop();
      }
    }
    return false;
  };
  return visit(doc.contents) ? path : undefined;
}
