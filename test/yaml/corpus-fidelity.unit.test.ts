import { describe, expect, it } from 'vitest';
import { getScalar, parsePath, setValues, type PathSegment } from '../../packages/yaml-edit/src/index.js';
import { intended, jsAt, lineDiff, loadCases, loadFixture, toJS } from './corpus-helpers.js';

const cases = loadCases();
const pathText = (path: string | readonly PathSegment[]) => (typeof path === 'string' ? path : JSON.stringify(path));
/** Segments joined as text; a selector ({ key, equals }) as its JSON, not as [object Object]. */
const pathKey = (path: readonly PathSegment[]) =>
  path.map((s) => (typeof s === 'object' ? JSON.stringify(s) : String(s))).join('\u0000');

describe('corpus: an edit changes only the target value', () => {
  it('has at least 30 distinct files and every file parses', () => {
    const files = new Set(cases.map((c) => c.file));
    expect(files.size).toBeGreaterThanOrEqual(30);
    expect(cases.some((c) => c.variant?.includes('crlf'))).toBe(true);
    expect(cases.some((c) => c.variant?.includes('bom'))).toBe(true);
  });

  it.each(
    cases.map(
      (c, i) =>
        [
          `${i} ${c.file}${c.variant ? ` (${c.variant})` : ''}: ${c.edits.map((e) => pathText(e.path)).join(', ')}`,
          c,
        ] as const,
    ),
  )('%s', (_name, c) => {
    const before = loadFixture(c.file, c.variant);
    const { text: after, changes } = setValues(before, c.edits, { fileName: c.file });

    expect(changes.every((ch) => ch.changed)).toBe(true);
    // Bytes outside the edited values: BOM, line endings.
    expect(after.startsWith('\uFEFF')).toBe(before.startsWith('\uFEFF'));
    if (c.variant?.includes('crlf')) expect(after.replace(/\r\n/g, '')).not.toContain('\n');
    else expect(after).not.toContain('\r');

    // Line diff: only the target values' lines (and, for an added key, its new lines).
    const expectedLines = new Set<number>();
    for (const e of c.edits) {
      const line = getScalar(after, e.path, e.document === undefined ? {} : { document: e.document })!.line;
      const change = changes.find(
        (ch) => pathKey(ch.path) === pathKey(parsePath(e.path)) && ch.document === (e.document ?? 0),
      )!;
      const span = change.added ? (e.newKeys ?? 1) : (c.lines ?? 1);
      for (let k = 0; k < span; k++) expectedLines.add(change.added ? line - k : line + k);
    }
    const diff = lineDiff(before, after);
    const growth = after.split('\n').length - before.split('\n').length;
    if (c.lines === undefined) {
      expect(new Set(diff.added)).toEqual(expectedLines);
      expect(diff.removed.length).toBe(expectedLines.size - growth);
    } else {
      for (const l of diff.added) expect(expectedLines.has(l)).toBe(true);
    }

    // Parsed data: equal to the original with the targets set, under YAML 1.2 and 1.1.
    for (const version of ['1.2', '1.1'] as const) {
      const want = toJS(before, version);
      for (const e of c.edits) jsAt(want[e.document ?? 0], parsePath(e.path), { value: intended(e) });
      const got = toJS(after, version);
      expect(got).toEqual(want);
      for (const e of c.edits) {
        const value = jsAt(got[e.document ?? 0], parsePath(e.path));
        expect(typeof value).toBe(typeof intended(e));
        expect(value).toBe(intended(e));
      }
    }

    // Applying the same edits again is a no-op that reports nothing changed.
    const again = setValues(after, c.edits);
    expect(again.text).toBe(after);
    expect(again.changes.every((ch) => !ch.changed)).toBe(true);
  });
});
