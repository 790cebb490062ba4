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
