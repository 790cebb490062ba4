/** Markdown helpers for step summaries. Cell text is escaped so registry data cannot break a table. */
export function mdEscape(s: string): string {
  return s.replace(/[\\`*_{}[\]<>|#]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

export function mdTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n') + '\n';
}

export function mdLink(text: string, url: string): string {
  return `[${mdEscape(text)}](${url.replace(/[()\s]/g, encodeURIComponent)})`;
}

/**
 * Inline code. Backslash escapes do not work inside a code span, so mdEscape would show its
 * backslashes there; instead the fence grows past the longest run of backticks in the text, and
 * `|` is escaped (GitHub unescapes it in table cells, where it would otherwise end the cell).
 */
export function mdCode(s: string): string {
  const text = s.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  if (text === '') return '_(empty)_';
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  // One space each side is stripped by renderers; it keeps a leading or trailing backtick off the fence.
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}
