import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { getScalar, isPlainSafeString, setValues } from '../../packages/yaml-edit/src/index.js';
import { lineDiff } from './corpus-helpers.js';

/** Values that change type, break syntax or lose characters when written plain. */
const TRICKY: string[] = [
  // YAML 1.1 booleans and nulls (Puppet/Hiera read 1.1), 1.2 core booleans and nulls
  'yes',
  'no',
  'on',
  'off',
  'y',
  'n',
  'Y',
  'N',
  'Yes',
  'NO',
  'On',
  'OFF',
  'true',
  'false',
  'True',
  'FALSE',
  'null',
  'Null',
  'NULL',
  '~',
  '',
  // numbers in some version
  '1e3',
  '1E3',
  '1.5e3',
  '0755',
  '0o755',
  '0x1F',
  '0b1010',
  '1_000',
  '1,000',
  '.inf',
  '-.inf',
  '+.INF',
  '.nan',
  '.NaN',
  '12:30',
  '1:20:30',
  '190:20:30.15',
  '3.14',
  '1.10',
  '.5',
  '-5',
  '+5',
  '0',
  '007',
  '.',
  // timestamps
  '2024-01-01',
  '2024-01-01T10:00:00Z',
  '2001-12-14 21:59:43.10 -5',
  // indicators at the start
  '*ref',
  '&anchor',
  '!tag',
  '!!str',
  '%{lookup("x")}',
  '@handle',
  '`cmd`',
  '- item',
  '-',
  '--flag',
  '?',
  '? q',
  ':',
  ':sym',
  '::',
  ',x',
  '[x]',
  '{x}',
  '#x',
  '|',
  '>',
  "'q",
  '"q',
  '=',
  '<<',
  '---',
  '...',
  // inside
  'a: b',
  'a #b',
  'ends:',
  'a:b',
  'x,y',
  'a[0]',
  'key: value # c',
  "it's",
  'say "hi"',
  'back\\slash',
  'C:\\temp',
  'a|b|c',
  '^/(predict|health)$',
  // whitespace and line breaks
  ' lead',
  'trail ',
  '  ',
  'multi\nline',
  'ends with break\n',
  '\nstarts with break',
  'tab\there',
  'cr\rhere',
  'bell\u0007',
  // unicode
  'café',
  'naïve — dash',
  '😀 emoji',
  '\u2028sep',
  '\ufeffbom',
  // ordinary values that must stay readable
  'prod-recommendation-engine-3-1767225600',
  'v1.11.2',
  '1.2.3',
  'sha256:d5f8217feeac4887cb1ed21f27c2674e58be06bd8f5184cacea2a69abaf78dce',
  'ghcr.io/acme/model-server:2024.12.1',
  'registry:5000/img@sha256:abc',
  'https://example.com/a?b=c#frag',
  '20%',
  'ENC is fine here',
];

/** Host documents: each holds the target `k` in a different syntactic position and style. */
const HOSTS: { name: string; text: string; path: (string | number)[]; added?: boolean }[] = [
  { name: 'plain value', text: 'a: 1\nk: old # note\nz: 2\n', path: ['k'] },
  { name: 'single-quoted value', text: "a: 1\nk: 'old'\nz: 2\n", path: ['k'] },
  { name: 'double-quoted value', text: 'a: 1\nk: "old"\nz: 2\n', path: ['k'] },
  { name: 'empty value', text: 'a: 1\nk:\nz: 2\n', path: ['k'] },
  { name: 'block sequence item', text: 'list:\n  - first\n  - old # note\n  - last\n', path: ['list', 1] },
  { name: 'flow sequence item', text: 'list: [first, old, last]\n', path: ['list', 1] },
  { name: 'flow mapping value', text: 'm: {a: 1, k: old, z: 2}\n', path: ['m', 'k'] },
  { name: 'literal block scalar', text: 'k: |\n  old\n  text\nz: 2\n', path: ['k'] },
  { name: 'folded block scalar', text: 'k: >-\n  old\nz: 2\n', path: ['k'] },
  { name: 'added block key', text: 'a: 1\nnested:\n  b: 2\n', path: ['nested', 'k'], added: true },
  { name: 'added flow key', text: 'nested: {b: 2}\n', path: ['nested', 'k'], added: true },
];

function readBoth(text: string, path: (string | number)[]): unknown[] {
  return (['1.2', '1.1'] as const).map((version) => parseDocument(text, { version }).getIn(path));
}

describe.each(HOSTS)('quoting: $name', (host) => {
  it.each(TRICKY.map((v) => [JSON.stringify(v), v] as const))(
    '%s reads back as the same string in YAML 1.1 and 1.2',
    (_label, value) => {
      const { text, changes } = setValues(host.text, [{ path: host.path, value }]);
      expect(readBoth(text, host.path)).toEqual([value, value]);
      expect(changes[0]!.next).toBe(value);
      expect(getScalar(text, host.path)!.value).toBe(value);
      if (!host.name.includes('block scalar')) {
        // A flow scalar is always written on one line: multi-line text is escaped.
        const diff = lineDiff(host.text, text);
        expect(diff.added).toHaveLength(1);
        expect(diff.removed).toHaveLength(host.added && !host.name.includes('flow') ? 0 : 1);
      }
    },
  );
});

describe('quoting: style is kept where it can be', () => {
  const set = (text: string, value: string) => setValues(text, [{ path: 'k', value }]).text;
  it.each([
    ['k: old\n', 'v1.2.3', 'k: v1.2.3\n'],
    ['k: old\n', 'yes', 'k: "yes"\n'],
    ['k: old\n', '1.10', 'k: "1.10"\n'],
    ['k: old\n', "it's", "k: it's\n"],
    ['k: old\n', 'a: b', 'k: "a: b"\n'],
    ["k: 'old'\n", 'yes', "k: 'yes'\n"],
    ["k: 'old'\n", "it's", "k: 'it''s'\n"],
    ["k: 'old'\n", 'a\\b', "k: 'a\\b'\n"],
    ["k: 'old'\n", 'two\nlines', 'k: "two\\nlines"\n'],
    ['k: "old"\n', 'plain-safe', 'k: "plain-safe"\n'],
    ['k: "old"\n', 'say "hi"', 'k: "say \\"hi\\""\n'],
    ['k: "old"\n', 'tab\there', 'k: "tab\\there"\n'],
    ['k: "old"\n', '', 'k: ""\n'],
    ['k: old\n', '', 'k: ""\n'],
    ['k: old\n', '😀 emoji', 'k: 😀 emoji\n'],
  ])('%j set to %j gives %j', (before, value, after) => {
    expect(set(before, value)).toBe(after);
  });

  it('plain-safety rules are exported for callers that build YAML themselves', () => {
    expect(isPlainSafeString('prod-recommendation-engine-3-1767225600', false)).toBe(true);
    expect(isPlainSafeString('on', false)).toBe(false);
    expect(isPlainSafeString('a,b', false)).toBe(true);
    expect(isPlainSafeString('a,b', true)).toBe(false);
  });
});

describe('typed values', () => {
  it.each([
    [42, undefined, '42', 42],
    ['42', 'number', '42', 42],
    [1.5, undefined, '1.5', 1.5],
    [-3, undefined, '-3', -3],
    ['0x1F', 'number', '0x1F', 31],
    [1e21, undefined, '1.0e+21', 1e21],
    [1e-7, undefined, '1.0e-7', 1e-7],
    [true, undefined, 'true', true],
    ['false', 'boolean', 'false', false],
    ['yes', 'boolean', 'true', true],
    [8080, 'string', '"8080"', '8080'],
    [true, 'string', '"true"', 'true'],
  ] as const)('%j as %s is written %s', (value, type, source, js) => {
    const { text } = setValues('k: "old"\n', [{ path: 'k', value, ...(type ? { type } : {}) }]);
    expect(text).toBe(`k: ${source}\n`);
    expect(readBoth(text, ['k'])).toEqual([js, js]);
  });

  it('a typed value replaces quotes and block scalars by a plain scalar', () => {
    expect(setValues("k: '3'\n", [{ path: 'k', value: 4 }]).text).toBe('k: 4\n');
    expect(setValues('k: |\n  3\nz: 1\n', [{ path: 'k', value: 4 }]).text).toBe('k: 4\nz: 1\n');
  });

  it.each([
    ['0755', 'number'],
    ['1e3', 'number'],
    ['12:30', 'number'],
    ['abc', 'number'],
    ['maybe', 'boolean'],
  ] as const)('refuses %j as a %s: it would not read the same in YAML 1.1 and 1.2', (value, type) => {
    expect(() => setValues('k: 1\n', [{ path: 'k', value, type }])).toThrow(
      expect.objectContaining({ code: 'BAD_VALUE' }),
    );
  });

  it('refuses non-finite numbers', () => {
    expect(() => setValues('k: 1\n', [{ path: 'k', value: Number.NaN }])).toThrow(/finite/);
  });
});
