import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { Edit, PathSegment } from '../../packages/yaml-edit/src/index.js';
import { parsePath } from '../../packages/yaml-edit/src/index.js';

export const CORPUS_DIR = fileURLToPath(new URL('../fixtures/yaml-corpus/', import.meta.url));

export type Variant = 'crlf' | 'bom' | 'crlf+bom';

export interface CorpusEdit extends Edit {
  /** Lines an added key path creates (a missing parent adds one line per level). */
  newKeys?: number;
}
export interface CorpusCase {
  file: string;
  variant?: Variant;
  edits: CorpusEdit[];
  /** For a block scalar edit: the lines the value spans afterwards, header included. */
  lines?: number;
}

export function loadCases(): CorpusCase[] {
  return (JSON.parse(readFileSync(CORPUS_DIR + 'cases.json', 'utf8')) as { cases: CorpusCase[] }).cases;
}

/** Fixture bytes as stored (LF, no BOM), then turned into the variant's bytes. */
export function loadFixture(file: string, variant?: Variant): string {
  let text = readFileSync(CORPUS_DIR + file, 'utf8');
  if (text.includes('\r') || text.startsWith('\uFEFF'))
    throw new Error(`${file}: fixtures are stored with LF and no BOM`);
  if (variant === 'crlf' || variant === 'crlf+bom') text = text.replace(/\n/g, '\r\n');
  if (variant === 'bom' || variant === 'crlf+bom') text = '\uFEFF' + text;
  return text;
}

/** Line numbers (1-based) removed from `a` and added in `b`, by longest common subsequence. */
export function lineDiff(a: string, b: string): { removed: number[]; added: number[] } {
  const x = a.split('\n');
  const y = b.split('\n');
  const n = x.length;
  const m = y.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = x[i] === y[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const removed: number[] = [];
  const added: number[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) {
      i++;
      j++;
    } else if (j < m && (i >= n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) added.push(++j);
    else removed.push(++i);
  }
  return { removed, added };
}

export function intended(edit: Edit): string | number | boolean {
  const type =
    edit.type ?? (typeof edit.value === 'number' ? 'number' : typeof edit.value === 'boolean' ? 'boolean' : 'string');
  if (type === 'number') return Number(edit.value);
  if (type === 'boolean') return edit.value === true || edit.value === 'true';
  return String(edit.value);
}

export function toJS(text: string, version: '1.1' | '1.2'): unknown[] {
  return parseAllDocuments(text, { version }).map((d) => d.toJS({ maxAliasCount: -1 }) as unknown);
}

function step(
  container: unknown,
  seg: PathSegment,
): { parent: Record<string | number, unknown>; key: string | number } {
  if (typeof seg === 'object') {
    const list = container as unknown[];
    const index = list.findIndex(
      (item) =>
        item !== null && typeof item === 'object' && String((item as Record<string, unknown>)[seg.key]) === seg.equals,
    );
    if (index < 0) throw new Error(`no item with ${seg.key}=${seg.equals}`);
    return { parent: list as unknown as Record<number, unknown>, key: index };
  }
  return { parent: container as Record<string | number, unknown>, key: seg };
}

/** The JS value at `path`, creating missing mappings when `create` is set. */
export function jsAt(root: unknown, path: PathSegment[], set?: { value: unknown }): unknown {
  let node = root;
  for (let i = 0; i < path.length; i++) {
    const { parent, key } = step(node, path[i]!);
    if (i === path.length - 1) {
      if (set) parent[key] = set.value;
      return parent[key];
    }
    if (set && (parent[key] === undefined || parent[key] === null)) parent[key] = {};
    node = parent[key];
  }
  return node;
}

export { parsePath };
