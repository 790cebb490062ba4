/** Offsets, lines and columns in the original text, which may start with a BOM and use CRLF. */

const BOM = '\uFEFF';

/** Offset where the line holding `offset` starts; a leading BOM is not part of line 1. */
export function lineStart(text: string, offset: number): number {
  const nl = text.lastIndexOf('\n', offset - 1);
  if (nl >= 0) return nl + 1;
  return text.startsWith(BOM) ? 1 : 0;
}

export function columnOf(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

// Offsets where each line starts, for the last text asked about: callers ask about many offsets
// of one text (every scalar `findScalars` reports), and scanning from 0 each time is quadratic.
let indexed: string | undefined;
let starts: number[] = [0];

function lineStarts(text: string): number[] {
  if (text !== indexed) {
    starts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    indexed = text;
  }
  return starts;
}

/** 1-based line and column, as GitHub annotations want them. */
export function lineCol(text: string, offset: number): { line: number; column: number } {
  const at = Math.max(0, Math.min(offset, text.length));
  const s = lineStarts(text);
  // The last line start at or before `at`.
  let lo = 0;
  let hi = s.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (s[mid]! <= at) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: at - lineStart(text, at) + 1 };
}

/** The file's own line ending, judged by its first line break. */
export function detectEol(text: string): '\n' | '\r\n' {
  const nl = text.indexOf('\n');
  return nl > 0 && text[nl - 1] === '\r' ? '\r\n' : '\n';
}

/**
 * Offset just past the line break of the last line with content at or before `end`: where a new
 * line belongs after a node whose range ends at `end` (ranges may or may not include the break).
 * Returns -1 when that line is the last of the file and has no line break.
 */
export function afterLastContentLine(text: string, end: number): number {
  let i = Math.min(end, text.length) - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i--;
  const nl = text.indexOf('\n', Math.max(i, 0));
  return nl < 0 ? -1 : nl + 1;
}

export function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}
