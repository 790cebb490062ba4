import { describe, expect, it } from 'vitest';
import { YamlEditError, setValues, type Edit } from '../../packages/yaml-edit/src/index.js';
import { intended, jsAt } from './corpus-helpers.js';
import { applyExpected, loadUpstreamCases, readAs, readUpstream } from '../helpers/upstream-yaml.js';

// Keys set as hiera-bump sets them (one Hiera key each, with its value type) in the Hiera data of
// public Puppet control repositories, two of them with duplicate keys as found upstream: the
// result is byte for byte the expected file, and the data is the original's but for those keys.
const { files, hiera } = loadUpstreamCases();
const fileOf = new Map(files.map((f) => [f.name, f]));
const editsOf = (c: (typeof hiera)[number]): Edit[] =>
  c.set.map((s) => ({ path: s.path ?? [s.key!], value: s.value, ...(s.type ? { type: s.type } : {}) }));
const typeOf = (type: string | undefined, before: unknown): 'string' | 'number' | 'boolean' => {
  if (type === 'integer') return 'number';
  if (type === 'auto')
    return typeof before === 'number' ? 'number' : typeof before === 'boolean' ? 'boolean' : 'string';
  return type === 'boolean' ? 'boolean' : 'string';
};

describe('Hiera data from public control repositories', () => {
  it('covers at least five files and every value type', () => {
    expect(new Set(hiera.map((c) => c.name)).size).toBeGreaterThanOrEqual(5);
    const types = new Set(hiera.flatMap((c) => c.set.map((s) => s.type ?? 'string')));
    expect([...types].sort()).toEqual(['auto', 'boolean', 'integer', 'string']);
  });

  it.each(
    hiera.map((c, i) => [`${c.name} #${i}: ${c.set.map((s) => s.key ?? s.path!.join('.')).join(', ')}`, c] as const),
  )('%s', (_n, c) => {
    const f = fileOf.get(c.name)!;
    const before = readUpstream(f);
    const edits = editsOf(c);
    if (c.refuse) {
      let error: unknown;
      try {
        setValues(before, edits, { fileName: f.path });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(YamlEditError);
      expect(error).toMatchObject({ code: c.refuse.code, line: c.refuse.line, fileName: f.path });
      if (c.refuse.match) expect((error as Error).message).toContain(c.refuse.match);
      return;
    }
    const r = setValues(before, edits, { fileName: f.path });
    expect(r.text).toBe(applyExpected(before, c.expect!));
    expect(r.warnings.map((w) => w.line)).toEqual((c.warnings ?? []).map((w) => w.line));
    (c.warnings ?? []).forEach((w, i) => expect(r.warnings[i]!.message).toContain(w.match));

    // Puppet reads Hiera as YAML 1.1; check 1.2 as well. The value has the type asked for.
    for (const version of ['1.1', '1.2'] as const) {
      const want = readAs(before, version);
      for (const [i, e] of edits.entries()) {
        const old = jsAt(want[0], e.path as never);
        const value = intended({ ...e, type: typeOf(c.set[i]!.type, old) });
        jsAt(want[0], e.path as never, { value });
      }
      expect(readAs(r.text, version)).toEqual(want);
    }
    expect(setValues(r.text, edits, { fileName: f.path }).changes.every((x) => !x.changed)).toBe(true);
  });
});
