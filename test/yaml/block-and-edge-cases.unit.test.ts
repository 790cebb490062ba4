import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { setValue } from '../../packages/yaml-edit/src/index.js';

describe('block scalars', () => {
  it.each([
    [
      'keeps a literal block, its indentation and CRLF',
      'a: |\r\n  x\r\n  y\r\nb: 1\r\n',
      'p\nq\n',
      'a: |\r\n  p\r\n  q\r\nb: 1\r\n',
    ],
    ['sets the chomping indicator for a missing final line break', 'a: |\n  x\nb: 1\n', 'p', 'a: |-\n  p\nb: 1\n'],
    ['keeps a block at the end of a file without a final line break', 'a: |\n  x', 'p\nq', 'a: |-\n  p\n  q'],
    [
      'keeps the header comment and trailing blank lines',
      'a: | # notes\n  x\n\nb: 1\n',
      'p\n',
      'a: | # notes\n  p\n\nb: 1\n',
    ],
    [
      'writes several lines of a folded block literally',
      'a: >\n  folded\n  text\n\nb: 1\n',
      'one\ntwo\n',
      'a: |\n  one\n  two\n\nb: 1\n',
    ],
    ['keeps a folded block for one line', 'a: >-\n  folded\n  text\nb: 1\n', 'one line', 'a: >-\n  one line\nb: 1\n'],
    ['keeps trailing line breaks with |+', 'a: |+\n  x\n\nb: 1\n', 'p\n\n\n', 'a: |+\n  p\n\n\nb: 1\n'],
    [
      'falls back to double quotes for leading spaces',
      'a: |\n  x\nb: 1\n',
      '  indented\n',
      'a: "  indented\\n"\nb: 1\n',
    ],
    ['falls back to double quotes with an indentation indicator', 'a: |2\n    x\nb: 1\n', 'p\n', 'a: "p\\n"\nb: 1\n'],
  ])('%s', (_name, before, value, after) => {
    const { text } = setValue(before, 'a', value);
    expect(text).toBe(after);
    expect(parseDocument(text).get('a')).toBe(value);
    expect(parseDocument(text).get('b')).toBe(parseDocument(before).get('b'));
  });

  it('adds a key after a |+ block without taking its kept blank lines', () => {
    const before = 'a:\n  b: |+\n    text\n\n';
    const { text } = setValue(before, 'a.c', 'x');
    expect(text).toBe('a:\n  b: |+\n    text\n\n  c: x\n');
    expect(parseDocument(text).getIn(['a', 'b'])).toBe('text\n\n');
  });
});

describe('other shapes', () => {
  it.each([
    ['a plain scalar over two lines', 'a: this is a long\n  plain scalar\nb: 1\n', 'a', 'short', 'a: short\nb: 1\n'],
    ['a value on the line after its key', 'a:\n  next-line\nb: 1\n', 'a', 'nv', 'a:\n  nv\nb: 1\n'],
    ['an explicit tag', 'a: !!str 1.0\n', 'a', '1.1', 'a: !!str "1.1"\n'],
    ['a local tag', 'a: !secret old\n', 'a', 'new', 'a: !secret new\n'],
    ['a %YAML 1.1 document', '%YAML 1.1\n---\na: yes\n', 'a', 'no', '%YAML 1.1\n---\na: "no"\n'],
    ['a zero-indented sequence', 'list:\n- a\n- b\n', 'list[1]', 'c', 'list:\n- a\n- c\n'],
    ['a multi-line double-quoted scalar', 'key: "multi\n  line"\nz: 1\n', 'key', 'x', 'key: "x"\nz: 1\n'],
    ['an explicit key', '? complex\n: value\n', 'complex', 'x', '? complex\n: x\n'],
    ['a key added before a document end marker', 'a: 1\n...\n', 'b', 'x', 'a: 1\nb: x\n...\n'],
    ['a key added to a multi-line flow mapping', 'a: {b: 1,\n  c: 2\n}\n', 'a.d', 'x', 'a: {b: 1,\n  c: 2, d: x\n}\n'],
    [
      'a key added to a flow mapping with a trailing comma',
      'a: {b: 1, c: 2,}\n',
      'a.d',
      'x',
      'a: {b: 1, c: 2, d: x,}\n',
    ],
    [
      'a key added to a mapping in a sequence',
      '- a: 1\n  b: 2\n- a: 3\n',
      '[1].b',
      'x',
      '- a: 1\n  b: 2\n- a: 3\n  b: x\n',
    ],
  ])('%s', (_name, before, path, value, after) => {
    expect(setValue(before, path, value).text).toBe(after);
  });

  it('refuses keys on a root that is not a mapping', () => {
    expect(() => setValue('[1, 2]\n', 'a', 'x')).toThrow(/document root\) is a sequence/);
    expect(() => setValue('just text\n', 'a', 'x')).toThrow(/document root\) is a scalar/);
  });
});
