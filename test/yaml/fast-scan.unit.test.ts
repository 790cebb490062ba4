// The subset reader (packages/yaml-edit/src/fast-scan.ts) against the `yaml` library, and the
// large-file edit path (subset reader or local check) against the full re-parse path.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import { YamlEditError } from '../../packages/yaml-edit/src/index.js';
import type { Edit, PathSegment } from '../../packages/yaml-edit/src/index.js';
import { fastLocate, fastRecheck } from '../../packages/yaml-edit/src/fast-scan.js';
import { duplicateKeys } from '../../packages/yaml-edit/src/duplicates.js';
import { keyText, parseDocs } from '../../packages/yaml-edit/src/locate.js';
import { readsBackAs } from '../../packages/yaml-edit/src/quoting.js';
import { differences } from '../../packages/yaml-edit/src/snapshot.js';
import { lineCol } from '../../packages/yaml-edit/src/source-text.js';
import { LARGE_FILE, editText } from '../../packages/yaml-edit/src/yaml-edit.js';
import { CORPUS_DIR, lineDiff, loadCases, loadFixture } from './corpus-helpers.js';
import type { Variant } from './corpus-helpers.js';

// Mutations per corpus file; YAML_FUZZ_ROUNDS=1500 runs ~50,000 in a few minutes.
const rounds = Number(process.env.YAML_FUZZ_ROUNDS ?? 60);

interface LibScalar {
  start: number;
  end: number;
  style: string;
  flow: boolean;
  tagged: boolean;
  multiLine: boolean;
}

/** What the `yaml` library makes of `text`: valid or not, and every node by path (not through aliases). */
function libView(text: string): {
  valid: boolean;
  scalars: Map<string, LibScalar>;
  paths: [number, PathSegment[]][];
} {
  // Valid here means what the subset promises: no syntax error and no duplicate key (the editor
  // tolerates duplicates off the edited path, but only after a full parse has listed them).
  let valid: boolean;
  try {
    valid = duplicateKeys(text, parseDocs(text)).length === 0;
  } catch {
    valid = false;
  }
  const scalars = new Map<string, LibScalar>();
  const paths: [number, PathSegment[]][] = [];
  const docs = Array.from(parseAllDocuments(text, { keepSourceTokens: true, uniqueKeys: false, prettyErrors: false }));
  docs.forEach((doc, d) => {
    const visit = (node: unknown, path: PathSegment[], flow: boolean): void => {
      if (path.length > 0) paths.push([d, path]);
      if (isAlias(node)) return;
      if (isScalar(node)) {
        const token = node.srcToken;
        if (token && 'source' in token && 'offset' in token) {
          const style =
            token.type === 'scalar'
              ? 'plain'
              : token.type === 'single-quoted-scalar'
                ? 'single'
                : token.type === 'double-quoted-scalar'
                  ? 'double'
                  : token.type;
          scalars.set(JSON.stringify([d, ...path]), {
            start: token.offset,
            end: token.offset + token.source.length,
            style,
            flow,
            tagged: node.tag !== undefined,
            multiLine: /[\r\n]/.test(token.source),
          });
        }
      } else if (isMap(node)) {
        for (const p of node.items) {
          const k = keyText(p.key);
          if (k !== undefined) visit(p.value, [...path, k], flow || node.flow === true);
        }
      } else if (isSeq(node)) {
        node.items.forEach((item, i) => visit(item, [...path, i], flow || node.flow === true));
      }
    };
    visit(doc.contents, [], false);
  });
  return { valid, scalars, paths };
}

/**
 * Asks the subset reader for every candidate path; whenever it answers, the text must be valid to
 * the library and the answer must be the library's token. Returns how many paths it answered.
 */
function checkAgainstLibrary(text: string, extra: [number, PathSegment[]][], label: string): number {
  const lib = libView(text);
  const candidates = [...extra, ...candidatesOf(lib.paths)];
  let answered = 0;
  for (const [doc, path] of candidates) {
    const hit = fastLocate(text, doc, path);
    if (!hit) continue;
    answered++;
    const where = `${label}: document ${doc}, ${JSON.stringify(path)}\n${text}`;
    expect(lib.valid, `accepted a file the library refuses: ${where}`).toBe(true);
    const want = lib.scalars.get(JSON.stringify([doc, ...path]));
    expect(want, `found a scalar the library does not have: ${where}`).toBeDefined();
    expect({ start: hit.start, end: hit.end, style: hit.style, flow: hit.flow }, where).toEqual({
      start: want!.start,
      end: want!.end,
      style: want!.style,
      flow: want!.flow,
    });
    expect(want!.tagged || want!.multiLine, where).toBe(false);
    expect(hit.line, where).toBe(lineCol(text, hit.start).line);
  }
  return answered;
}

function corpusFiles(): string[] {
  const out: string[] = [];
  for (const dir of readdirSync(CORPUS_DIR, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const f of readdirSync(CORPUS_DIR + dir.name)) if (f.endsWith('.yaml')) out.push(`${dir.name}/${f}`);
  }
  return out.sort();
}

function candidatesOf(paths: [number, PathSegment[]][]): [number, PathSegment[]][] {
  const out: [number, PathSegment[]][] = [...paths];
  // Paths that do not exist, or run through a scalar.
  for (const [d, p] of paths.slice(0, 20)) out.push([d, [...p, 'missing']], [d, [...p, 0]], [d + 1, p]);
  return out;
}

// A small deterministic generator, so a failure can be reproduced.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = [
  ' ',
  ' ',
  '  ',
  ':',
  ': ',
  '-',
  '- ',
  '#',
  ' #',
  "'",
  '"',
  '[',
  ']',
  '{',
  '}',
  ',',
  '&a ',
  '*a',
  '|',
  '>',
  '\n',
  'x',
  '1',
  '!',
  '?',
  '%',
  '@',
  '\\',
  '\t',
  '---',
  '...',
  '<<',
  'yes',
  '\r\n',
  '\u00e9',
  '\ud83d\ude00',
  '\ud83d',
];

function mutate(text: string, r: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const at = Math.floor(r() * (text.length + 1));
  const lines = text.split('\n');
  const li = Math.floor(r() * lines.length);
  switch (Math.floor(r() * 7)) {
    case 0:
      return text.slice(0, at) + text.slice(at + 1 + Math.floor(r() * 3));
    case 1:
    case 2:
      return text.slice(0, at) + pick(ALPHABET) + text.slice(at);
    case 3:
      lines.splice(li, 0, lines[li] ?? '');
      return lines.join('\n');
    case 4:
      lines[li] = ' '.repeat(Math.floor(r() * 3)) + (lines[li] ?? '');
      return lines.join('\n');
    case 5:
      lines[li] = (lines[li] ?? '').replace(/^ {1,2}/, '');
      return lines.join('\n');
    default: {
      const other = Math.floor(r() * lines.length);
      [lines[li], lines[other]] = [lines[other] ?? '', lines[li] ?? ''];
      return lines.join('\n');
    }
  }
}

describe('subset reader against the yaml library', () => {
  const files = corpusFiles();

  it("reads most corpus files, finding exactly the library's tokens", () => {
    let accepted = 0;
    for (const file of files) {
      for (const variant of [undefined, 'crlf', 'bom', 'crlf+bom'] as (Variant | undefined)[]) {
        const text = loadFixture(file, variant);
        const n = checkAgainstLibrary(text, [], `${file} ${variant ?? ''}`);
        if (n > 0 && variant === undefined) accepted++;
      }
    }
    // The subset is meant for the usual shapes; most of the corpus is in it.
    expect(accepted).toBeGreaterThanOrEqual(Math.floor(files.length * 0.6));
  });

  it(`never accepts a mutated file the library refuses, nor finds another token (${rounds} mutations per file)`, () => {
    const r = rng(Number(process.env.YAML_FUZZ_SEED ?? 20260101));
    let answered = 0;
    for (const file of files) {
      const original = loadFixture(file);
      const base = candidatesOf(libView(original).paths);
      for (let i = 0; i < rounds; i++) {
        let text = original;
        const n = 1 + Math.floor(r() * 3);
        for (let k = 0; k < n; k++) text = mutate(text, r);
        const v = r();
        if (v < 0.1) text = '\uFEFF' + text;
        else if (v < 0.2) text = text.replace(/\r?\n/g, '\r\n');
        answered += checkAgainstLibrary(text, base, `${file} mutation ${i}`);
      }
    }
    expect(answered).toBeGreaterThan(rounds * 10);
  }, 600_000);

  // Edge cases of the YAML syntax near the subset's borders: whatever the reader accepts must be
  // valid and read exactly as the library reads it.
  const TRICKY = [
    'a: b#c\n',
    'a: b #c\n',
    "a: 'b' #c\n",
    'a: "b\\"c"\n',
    "a: 'it''s'\n",
    'a: x:y\n',
    'a: x: y\n',
    'a: -1\n',
    'a: - 1\n',
    'a: -\n',
    'a: [a, b,]\n',
    'a: {a: 1,}\n',
    'a: {a: 1,,}\n',
    'a: [,]\n',
    'a: [a b, c]\n',
    'a: {a b: c d}\n',
    'a: {"a": 1}\n',
    'a: {"a":1}\n',
    "a: {'a': 1}\n",
    'a: [a]b\n',
    'a: [a] b\n',
    'a: [a] #c\n',
    'a: {a: [1, {b: 2}]}\n',
    '- a\n- b: 1\n  c: 2\n- - x\n',
    'a:\n- 1\n- 2\nb: 3\n',
    'a:\n  - 1\n  - 2\nb: 3\n',
    'a:\n- 1\n  - 2\n',
    'a:\n  b:\n  c: 1\n',
    'a: &x 1\nb: *x\n',
    'a: &x\n  b: 1\nc: *x\n',
    'a: *x\nb: &x 1\n',
    'a: &x &y 1\n',
    'a: |\n  x\n b: 1\n',
    'a: |\n  x\n\n   \nb: 1\n',
    'a: |\n\n   \n  x\nb: 1\n',
    'a: |-\n  x\nb: 1\n',
    'a: >+\n  x\n\nb: 1\n',
    'a: |\nb: 1\n',
    'a: |\n  x\n  # text\nb: 1\n',
    'b: |\n  x\n# c\n  y\na: 1\n',
    'b: |\n    x\n  y\na: 1\n',
    'b: |1\n  x\na: 1\n',
    'b: |x\na: 1\n',
    '- |\n  x\n- a\n',
    '---\na: 1\n---\nb: 2\n',
    'a: 1\n---\n',
    '--- # c\na: 1\n',
    '---a: 1\n',
    'a: 1\n--- \nb: 2\n',
    '--- a: 1\n',
    '  a: 1\n  b: 2\n',
    '  a: 1\nb: 2\n',
    'a: 1\n  # comment\nb: 2\n',
    'a: b\n\n  c\n',
    'a: "b"\n  c\n',
    'a: [b]\n  c\n',
    '- a\n  b\n',
    '-a: 1\n',
    '<<: 1\na: 2\n',
    'a: 1\n"a": 2\n',
    "a: 1\n'a': 2\n",
    'a:: 1\n',
    'a :1\n',
    'a : 1\n',
    '"a" : 1\n',
    'a: "\\x41"\n',
    'a: "\\u00e9"\n',
    'a: "\\U0001F600"\n',
    'a: "\\\n  b"\n',
    'a: "b\\\\"\n',
    'a: "b\\\\\\"c"\n',
    'a: @x\n',
    'a: `x\n',
    'a: %x\n',
    'a: ,x\n',
    'a: ]x\n',
    'a: }\n',
    'a: ?x\n',
    'a: :x\n',
    'a: x,y\n',
    'a: x[0]\n',
    'a: {x}\n',
    'a: {x: }\n',
    'a: {x: y: z}\n',
    'a: [x: y]\n',
    'a: [*x]\n',
    'a: [&x y]\n',
    'a: [!t y]\n',
    'a: [-1]\n',
    'a: [- 1]\n',
    'a: [.5]\n',
    'a: {.5: x}\n',
    'a: {"x": y, x: z}\n',
    'a: [a #b]\n',
    'a: [a#b]\n',
    'a: ["a" b]\n',
    "a: ['a'b]\n",
    "a: ['a''b']\n",
    'a: "a"b\n',
    'key with spaces: v\na: 1\n',
    'a: v with spaces   \n',
    'null: 1\na: 2\n',
    '"null": 1\na: 2\n',
    'Null: 1\n',
    'y: 1\nyes: 2\na: 3\n',
    'true: 1\n',
    '~: 1\n',
    '.inf: 1\n',
    '0x1: 1\n',
    'a: 1\nb:\n  - x\n  -\n  - y\n',
    'a:\n  -\n    b: 1\n',
    '- \n  a: 1\n',
    '-\n  - x\n',
    'a: - \n',
    'a: 1 # c\n# c2\n  # c3\nb: 2\n',
    'a:\n  # c\n  b: 1\n',
    'a:\n# c\n  b: 1\n',
    'a: &x\n# c\n  b: 1\n',
    'a: "x" # c\n',
    'a: {x: 1} # c\n',
    'a: {x: 1}# c\n',
    'a: [x]#c\n',
    "a: 'x'# c\n",
    'a: [x, [y, [z]]]\n',
    'a: {}\nb: []\n',
    'a: [ ]\nb: { }\n',
    'a: {b: {}}\n',
    'a: &b-1.x v\nc: *b-1.x\n',
    'a: &b: v\n',
    'a: *\n',
    'a: &\n',
    'a:\n  b: 1\n   c: 2\n',
    'a:\n  b: 1\n c: 2\n',
    'a:\n    b: 1\n  c: 2\n',
    '- a: 1\n   b: 2\n',
    '- a: 1\n -b\n',
    'a: b\n- c\n',
    '- a\nb: c\n',
    'a: x\n...\n',
    'a: 1\n%TAG ! x\n',
    `${'k'.repeat(1100)}: 1\na: 2\n`,
    `"${'k'.repeat(1100)}": 1\na: 2\n`,
    'a: \u00e9\u00e8: x\n',
    'a: \u00a0x\n',
    '\u00a0a: 1\n',
    'a: 1\n\u00a0 b: 2\n',
    'a: "\u00a0"\n',
    'a:\u00a0x\n',
    'a: x\u2028y\n',
    'a: "x\u0085"\n',
    'a: !x\n',
    'a: !!str\n',
    '? a\n',
    'a: ? b\n',
    'a: [a, ? b]\n',
    'a: {? b}\n',
    'a: [b, c] [d]\n',
    'a: {b: c}: d\n',
    '[a]: b\n',
    '{a: b}: c\n',
    '"a\\tb": 1\n',
    'a: 1\r\nb: 2\n',
    'a: 1\r\n  b: 2\r\n',
    'a: |\r\n  x\r\n\r\nb: 1\r\n',
  ];
  it('agrees with the library on syntax edge cases', () => {
    for (const text of TRICKY) {
      for (const t of [text, '\uFEFF' + text, text.replace(/\r?\n/g, '\r\n')]) {
        const extra: [number, PathSegment[]][] = [
          [0, ['a']],
          [0, ['b']],
          [0, ['a', 0]],
          [0, ['a', 'b']],
          [0, ['a', 'x']],
          [1, ['b']],
          [0, [0]],
          [0, [1, 'b']],
        ];
        checkAgainstLibrary(t, extra, JSON.stringify(t));
      }
    }
  });

  it.each([
    ['a tab', 'a: 1\nb:\t2\n'],
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['a document end marker', 'a: 1\n...\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a multi-line quoted scalar', 'a: "one\n  two"\n'],
    ['a multi-line flow collection', 'a: [1,\n  2]\n'],
    ['an explicit key', '? a\n: 1\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a duplicate key in a flow mapping', 'b: {x: 1, x: 2}\na: 1\n'],
    ['a key that reads as a number', '1: x\na: 1\n'],
    ['an alias with no anchor', 'b: *nope\na: 1\n'],
    ['a value on the line after its key', 'a:\n  1\n'],
    ["a nested mapping on the key's line", 'b: c: 1\na: 1\n'],
    ['a bad indentation', 'a: 1\n b: 2\n'],
    ['an unpaired surrogate', 'a: 1\nb: \ud83d\n'],
    ['a lone CR', 'a: 1\rb: 2\n'],
    ['a control character', 'a: 1\nb: \u0007\n'],
    ['a comment without a space', 'a: 1\nb: "x"#c\n'],
    ['an unknown escape', 'a: 1\nb: "\\q"\n'],
  ])('gives up on %s', (_name, text) => {
    expect(fastLocate(text, 0, ['a'])).toBeUndefined();
  });

  it('takes anchors, aliases elsewhere, block scalars, flow collections, CRLF, a BOM and several documents', () => {
    const text =
      '\uFEFF# head\r\n---\r\nbase: &b\r\n  x: 1\r\nother: *b\r\nnotes: |\r\n  text\r\n\r\n  more\r\n' +
      "list:\r\n- {a: 1, b: [2, \"3\"]}\r\n- k: v\r\n  t: 'it''s'  # c\r\n---\r\nz: 1\r\n";
    expect(checkAgainstLibrary(text, [], 'sample')).toBeGreaterThanOrEqual(8);
    expect(fastLocate(text, 0, ['list', 0, 'b', 1])).toMatchObject({ style: 'double', flow: true, line: 11 });
    expect(fastLocate(text, 0, ['list', 1, 't'])).toMatchObject({ style: 'single', flow: false, line: 13 });
    expect(fastLocate(text, 1, ['z'])).toMatchObject({ line: 15 });
    // Targets the full path must handle (and word the refusal of): aliases, block scalars, collections.
    expect(fastLocate(text, 0, ['other'])).toBeUndefined();
    expect(fastLocate(text, 0, ['notes'])).toBeUndefined();
    expect(fastLocate(text, 0, ['base'])).toBeUndefined();
    expect(fastLocate(text, 0, ['base', 'x', 'y'])).toBeUndefined();
  });
});

describe('the checks that stand in for a full re-parse', () => {
  it('fastRecheck refuses a replacement that would not be exactly one scalar token there', () => {
    const text = 'a: 1\nb: old # comment\nc: {x: old, y: 2}\n';
    const block = fastLocate(text, 0, ['b'])!;
    const flow = fastLocate(text, 0, ['c', 'x'])!;
    const swap = (hit: typeof block, insert: string) => {
      const next = text.slice(0, hit.start) + insert + text.slice(hit.end);
      return fastRecheck(next, hit, hit === block ? ['b'] : ['c', 'x'], insert.length);
    };
    expect(swap(block, 'new')).toBe(true);
    expect(swap(block, '"new"')).toBe(true);
    expect(swap(block, 'x # y')).toBe(false);
    expect(swap(block, 'x: y')).toBe(false);
    expect(swap(block, '"open')).toBe(false);
    expect(swap(block, '[1]')).toBe(false);
    expect(swap(block, '*a')).toBe(false);
    expect(swap(block, '|')).toBe(false);
    expect(swap(block, 'x\nd: 1')).toBe(false);
    expect(swap(flow, 'new')).toBe(true);
    expect(swap(flow, 'n, z')).toBe(false);
    expect(swap(flow, 'n}')).toBe(false);
    expect(swap(flow, "'q'")).toBe(true);
  });

  it('readsBackAs wants one scalar spanning the whole text', () => {
    const s = { type: 'string', text: 'x', js: 'x' } as const;
    expect(readsBackAs('x', false, s)).toBe(true);
    expect(readsBackAs('x # y', false, s)).toBe(false);
    expect(readsBackAs('"x" ', false, s)).toBe(false);
    expect(readsBackAs('x', true, s)).toBe(true);
    expect(readsBackAs('x, y', true, s)).toBe(false);
  });

  it('differences names every node that changed, appeared or disappeared, but the edited path', () => {
    const docs = (t: string) => parseDocs(t);
    const before = docs('a: 1\nb: {c: 2}\nl: [1, 2]\n');
    expect(differences(before, docs('a: 9\nb: {c: 2}\nl: [1, 2]\n'), [0, 'a'])).toEqual([]);
    expect(differences(before, docs('a: 9\nb: {c: 3}\nl: [1, 2]\n'), [0, 'a'])).toEqual(['[0,"b","c"]']);
    expect(differences(before, docs('a: 1\nb: {c: 2, d: 1}\nl: [1]\n'), [0, 'b', 'd'])).toEqual(['[0,"l",1]']);
    expect(differences(before, docs('a: 1\nb: {c: 2}\nl: [1, 2]\nx: 1\n'), [0, 'a'])).toEqual(['[0,"x"]']);
    expect(differences(before, docs('a: 1\nb: [2]\nl: [1, 2]\n'), [0, 'a'])).toEqual([
      '[0,"b"]',
      '[0,"b","c"]',
      '[0,"b",0]',
    ]);
    expect(differences(before, docs('a: 1\nb: {c: 2}\nl: [1, 2]\n---\n'), [0, 'a'])).toEqual(['[1]']);
  });
});

describe('large-file edits equal full re-parse edits', () => {
  const VALUES = [
    'x',
    'yes',
    '1.0',
    '0755',
    'a: b',
    '#x',
    "it's",
    'say "hi"',
    '',
    ' padded ',
    'two\nlines',
    'ENC[PKCS7,abc]',
    'tab\there',
    '[x]',
    42,
    3.5,
    true,
  ] as const;

  function outcome(text: string, edits: Edit[], largeFrom: number): unknown {
    try {
      return editText(text, edits, { fileName: 'f.yaml' }, largeFrom);
    } catch (e) {
      if (e instanceof YamlEditError) return { code: e.code, line: e.line, column: e.column };
      throw e;
    }
  }

  it('on every scalar of every corpus file, for strings, numbers and booleans', () => {
    let compared = 0;
    for (const file of corpusFiles()) {
      for (const variant of [undefined, 'crlf+bom'] as (Variant | undefined)[]) {
        const text = loadFixture(file, variant);
        const { scalars } = libView(text);
        let i = 0;
        for (const key of scalars.keys()) {
          const [doc, ...path] = JSON.parse(key) as [number, ...PathSegment[]];
          const value = VALUES[i++ % VALUES.length]!;
          const edits: Edit[] = [{ path, document: doc, value }];
          expect(outcome(text, edits, 0), `${file} ${variant ?? ''} ${key} = ${JSON.stringify(value)}`).toEqual(
            outcome(text, edits, Infinity),
          );
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it(`on mutated corpus files (${Math.ceil(rounds / 4)} per file), whatever the outcome`, () => {
    const r = rng(Number(process.env.YAML_FUZZ_SEED ?? 20260101) + 1);
    let compared = 0;
    for (const file of corpusFiles()) {
      const original = loadFixture(file);
      for (let i = 0; i < Math.ceil(rounds / 4); i++) {
        let text = mutate(original, r);
        if (r() < 0.2) text = text.replace(/\r?\n/g, '\r\n');
        const { paths } = libView(text);
        const [doc, path] = paths[Math.floor(r() * paths.length)] ?? [0, ['a']];
        const edits: Edit[] = [
          {
            path: [...path, ...(r() < 0.1 ? ['new'] : [])],
            document: doc,
            value: VALUES[Math.floor(r() * VALUES.length)]!,
          },
        ];
        expect(outcome(text, edits, 0), `${file} mutation ${i}: ${JSON.stringify(edits)}\n${text}`).toEqual(
          outcome(text, edits, Infinity),
        );
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(0);
  }, 600_000);

  it('on the corpus cases (including additions and block scalars)', () => {
    for (const c of loadCases()) {
      const text = loadFixture(c.file, c.variant);
      expect(outcome(text, c.edits, 0), c.file).toEqual(outcome(text, c.edits, Infinity));
    }
  });

  function bigValues(services: number): string {
    const out = [
      '# values',
      '---',
      'global:',
      '  registry: r.example.com  # mirrored',
      '  pull: &pull IfNotPresent',
      'services:',
    ];
    for (let i = 0; i < services; i++) {
      out.push(
        `  # svc-${i}`,
        `  svc-${i}:`,
        '    enabled: yes',
        '    image:',
        `      repository: r.example.com/svc-${i}`,
        `      tag: "1.${i % 50}.0"  # bumped by CI`,
        '      pullPolicy: *pull',
        `    resources: { requests: { cpu: 100m, memory: 128Mi }, limits: { memory: ${256 + (i % 4) * 128}Mi } }`,
        '    env:',
        '      - { name: LOG_LEVEL, value: info }',
        '      - name: FLAGS',
        '        value: "a,b,c"',
        '    config: |',
        '      line one',
        '',
        '      line three',
        '',
      );
    }
    return out.join('\n') + '\n';
  }

  it('on a large values file: one changed line, through the subset reader', () => {
    const text = bigValues(200);
    expect(text.length).toBeGreaterThan(LARGE_FILE);
    const path = ['services', 'svc-117', 'image', 'tag'];
    expect(fastLocate(text, 0, path)).toBeDefined();
    const fast = editText(text, [{ path, value: '2.0.0' }], {}, LARGE_FILE);
    expect(fast).toEqual(editText(text, [{ path, value: '2.0.0' }], {}, Infinity));
    expect(lineDiff(text, fast.text)).toEqual({ removed: [fast.changes[0]!.line], added: [fast.changes[0]!.line] });
    expect(fast.text.split('\n')[fast.changes[0]!.line - 1]).toBe('      tag: "2.0.0"  # bumped by CI');
    for (const [p, v] of [
      [['services', 'svc-3', 'resources', 'limits', 'memory'], '1Gi'],
      [['services', 'svc-3', 'env', 0, 'value'], 'debug, verbose'],
      [['services', 'svc-3', 'enabled'], false],
      [['services', 'svc-3', 'enabled'], 'yes'],
      [['global', 'registry'], 'mirror.example.com'],
    ] as [PathSegment[], string | boolean][]) {
      const edits = [{ path: p, value: v }];
      expect(outcome(text, edits, LARGE_FILE)).toEqual(outcome(text, edits, Infinity));
    }
  });

  it('on a large file outside the subset (a tab in a comment): one parse and the local check', () => {
    const text = bigValues(200).replace('# values', '#\tvalues');
    expect(fastLocate(text, 0, ['global', 'registry'])).toBeUndefined();
    for (const [p, v] of [
      [['services', 'svc-5', 'image', 'tag'], '2.0.0'],
      [['services', 'svc-5', 'resources', 'requests', 'cpu'], '250m'],
      [['services', 'svc-5', 'config'], 'new\n'],
      [['services', 'svc-5', 'image', 'digest'], 'sha256:abc'],
      [['services', 'svc-5', 'image', 'pullPolicy'], 'Always'],
    ] as [PathSegment[], string][]) {
      const edits = [{ path: p, value: v }];
      expect(outcome(text, edits, LARGE_FILE)).toEqual(outcome(text, edits, Infinity));
    }
  });
});
