import { isMap, isNode, isSeq } from 'yaml';
import type { Node, Pair } from 'yaml';
import type { Splice } from './block-scalar.js';
import type { Host, ParsedDoc } from './locate.js';
import { doubleQuote, isPlainSafeString, renderFlowScalar } from './quoting.js';
import type { Intent } from './quoting.js';
import { afterLastContentLine, columnOf } from './source-text.js';

/**
 * The file's indentation step: the smallest indent of a block mapping nested in another, so new
 * nested keys look like their neighbours (2 for most Kubernetes files, 4 in some Hiera trees).
 */
export function detectIndentStep(text: string, docs: ParsedDoc[]): number {
  let best = Infinity;
  const visit = (node: unknown, col: number | undefined): void => {
    if (isMap(node)) {
      for (const p of node.items) {
        const kcol = keyColumn(text, p);
        if (!node.flow && col !== undefined && kcol !== undefined && kcol > col) best = Math.min(best, kcol - col);
        visit(p.value, node.flow ? undefined : kcol);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) visit(item, undefined);
    }
  };
  for (const d of docs) visit(d.contents, undefined);
  return Number.isFinite(best) ? best : 2;
}

function keyColumn(text: string, pair: Pair): number | undefined {
  const key = pair.key as Node | null;
  return isNode(key) && key.range ? columnOf(text, key.range[0]) : undefined;
}

function renderKey(key: string, flow: boolean): string {
  return isPlainSafeString(key, flow) ? key : doubleQuote(key);
}

function blockLines(rest: string[], intent: Intent, col: number, step: number, eol: string): string {
  return rest
    .map((k, i) => {
      const pad = ' '.repeat(col + i * step);
      const last = i === rest.length - 1;
      return `${pad}${renderKey(k, false)}:${last ? ' ' + renderFlowScalar(intent, 'plain', false) : ''}${eol}`;
    })
    .join('');
}

function flowEntry(rest: string[], intent: Intent): string {
  const [first, ...more] = rest;
  const value = more.length === 0 ? renderFlowScalar(intent, 'plain', true) : `{${flowEntry(more, intent)}}`;
  return `${renderKey(first ?? '', true)}: ${value}`;
}

/** Adds a new line (or lines) after the last content line at or before `end`. */
function appendLines(text: string, end: number, lines: string, eol: string): Splice {
  const at = afterLastContentLine(text, end);
  if (at >= 0) return { start: at, end: at, insert: lines };
  // The last line has no line break; keep the file without one at its end.
  const body = lines.endsWith(eol) ? lines.slice(0, -eol.length) : lines;
  return { start: text.length, end: text.length, insert: (text.length > 0 ? eol : '') + body };
}

function nodeEnd(node: unknown): number | undefined {
  return isNode(node) && node.range ? node.range[1] : undefined;
}

/**
 * End of a `|+` block (possibly the last thing in a nested collection): it keeps its trailing blank
 * lines as content, so new lines go after them.
 */
function keepBlockEnd(node: unknown): number | undefined {
  if (isMap(node) && !node.flow) return keepBlockEnd(node.items[node.items.length - 1]?.value);
  if (isSeq(node) && !node.flow) return keepBlockEnd(node.items[node.items.length - 1]);
  const token = isNode(node) ? node.srcToken : undefined;
  if (token?.type !== 'block-scalar') return undefined;
  if (!token.props.some((p) => p.type === 'block-scalar-header' && p.source.includes('+'))) return undefined;
  const last = token.props[token.props.length - 1];
  return last && 'source' in last ? last.offset + last.source.length + token.source.length : undefined;
}

/**
 * Where and what to insert so `rest` (one or more missing keys) exists under `host`: at the end
 * of the mapping, indented like its other keys, with the file's own line ending.
 * Returns undefined for hosts that cannot take new keys.
 */
export function renderAddition(
  text: string,
  host: Host,
  rest: string[],
  intent: Intent,
  step: number,
  eol: string,
): Splice | undefined {
  if (host.kind === 'map' && host.map.flow) {
    const map = host.map;
    const last = map.items[map.items.length - 1];
    if (!last) {
      const open = map.range?.[0];
      return open === undefined ? undefined : { start: open + 1, end: open + 1, insert: flowEntry(rest, intent) };
    }
    const end = nodeEnd(last.value) ?? nodeEnd(last.key);
    return end === undefined ? undefined : { start: end, end, insert: `, ${flowEntry(rest, intent)}` };
  }
  if (host.kind === 'map') {
    const first = host.map.items[0];
    const last = host.map.items[host.map.items.length - 1];
    const col = first ? keyColumn(text, first) : undefined;
    const end = last ? (nodeEnd(last.value) ?? nodeEnd(last.key)) : undefined;
    if (col === undefined || end === undefined) return undefined;
    const lines = blockLines(rest, intent, col, step, eol);
    const exact = keepBlockEnd(last?.value);
    if (exact !== undefined && text[exact - 1] === '\n') return { start: exact, end: exact, insert: lines };
    return appendLines(text, end, lines, eol);
  }
  if (host.kind === 'empty-value') {
    const col = keyColumn(text, host.pair);
    const end = nodeEnd(host.value);
    if (col === undefined || end === undefined) return undefined;
    return appendLines(text, end, blockLines(rest, intent, col + step, step, eol), eol);
  }
  if (host.kind === 'empty-document') {
    const lines = blockLines(rest, intent, 0, step, eol);
    const end = host.doc?.range[1];
    if (end === undefined || end >= text.length) {
      const needsBreak = text.length > 0 && !text.endsWith('\n');
      return { start: text.length, end: text.length, insert: (needsBreak ? eol : '') + lines };
    }
    return appendLines(text, end, lines, eol);
  }
  return undefined;
}
