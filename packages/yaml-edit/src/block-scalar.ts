import type { CST } from 'yaml';
import { doubleQuote } from './quoting.js';

/** A replacement of source text, applied to the original (unedited) string. */
export interface Splice {
  start: number;
  end: number;
  insert: string;
}

// Characters a literal block can hold as they are; others need a double-quoted escape.
// eslint-disable-next-line no-control-regex
const BLOCK_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]|\p{Cs}/u;

interface BlockParts {
  header: CST.SourceToken;
  bodyStart: number;
  /** Body text up to and including the last line with content (and its line break, if any). */
  content: string;
  /** Blank lines after the content: kept as they are so only the value's own lines change. */
  trailing: string;
}

function parts(token: CST.BlockScalar): BlockParts | undefined {
  const header = token.props.find((p): p is CST.SourceToken => p.type === 'block-scalar-header');
  const last = token.props[token.props.length - 1];
  if (!header || !last || !('source' in last)) return undefined;
  const bodyStart = last.offset + last.source.length;
  const body = token.source;
  const m = /(?:^|\n)(?:[ \t]*\r?\n)*[ \t]*$/.exec(body);
  // `m` is the run of blank lines at the end, starting at the break that ends the last content line.
  let contentEnd = body.length;
  if (!/\S/.test(body)) contentEnd = 0;
  else if (m) contentEnd = m.index + (m[0].startsWith('\n') ? 1 : 0);
  return { header, bodyStart, content: body.slice(0, contentEnd), trailing: body.slice(contentEnd) };
}

/**
 * Rewrites a `|` or `>` block scalar in place, keeping its indentation, its header comment and the
 * blank lines after it. Returns undefined when the value cannot be a block scalar with the same
 * indentation (empty, leading whitespace, control characters, or an explicit indentation digit).
 */
export function renderBlockScalar(token: CST.BlockScalar, value: string, eol: string): Splice[] | undefined {
  const p = parts(token);
  if (!p) return undefined;
  const hm = /^([|>])[-+]?$/.exec(p.header.source);
  if (!hm) return undefined;
  const style = hm[1];
  const indentMatch = /^( *)\S/m.exec(p.content);
  if (!indentMatch || BLOCK_UNSAFE.test(value) || value.includes('\r')) return undefined;
  const indent = indentMatch[1] ?? '';
  const breaks = /\n*$/.exec(value)?.[0].length ?? 0;
  const body = value.slice(0, value.length - breaks);
  if (body === '' || /^\s/.test(body.replace(/^\n+/, ''))) return undefined;
  const lines = body.split('\n');
  if (lines.some((l) => l !== '' && l.trim() === '')) return undefined;
  const chomp = breaks === 0 ? '-' : breaks === 1 ? '' : '+';
  // Folding would join several lines, so a multi-line value is written literally.
  const newStyle = style === '>' && lines.length > 1 ? '|' : style;
  const endsWithBreak = p.content.endsWith('\n');
  let rendered = lines.map((l) => (l === '' ? '' : indent + l)).join(eol);
  if (chomp === '+') rendered += eol.repeat(breaks);
  else rendered += (endsWithBreak ? eol : '') + p.trailing;
  return [
    { start: p.bodyStart, end: p.bodyStart + token.source.length, insert: rendered },
    { start: p.header.offset, end: p.header.offset + p.header.source.length, insert: `${newStyle}${chomp}` },
  ];
}

/** Replaces a block scalar by a double-quoted one on the header's line, keeping trailing blanks. */
export function blockToDoubleQuoted(token: CST.BlockScalar, value: string, eol: string): Splice[] | undefined {
  const p = parts(token);
  if (!p) return undefined;
  const endsWithBreak = p.content.endsWith('\n') || p.content === '';
  return [
    {
      start: token.offset,
      end: p.bodyStart + p.content.length,
      insert: doubleQuote(value) + (endsWithBreak ? eol : ''),
    },
  ];
}
