import { YamlEditError } from './errors.js';

/**
 * One step of a path: a string is always a mapping key (compared with the key's text, so `200`
 * matches both `200:` and `"200":`), a number is a sequence index, and a selector picks the one
 * sequence item that is a mapping whose `key` has the text `equals` (e.g. a container by name).
 */
export type PathSegment = string | number | ItemSelector;
export interface ItemSelector {
  key: string;
  equals: string;
}

export function isSelector(s: PathSegment): s is ItemSelector {
  return typeof s === 'object';
}

const ESCAPABLE = new Set(['.', '[', ']', '\\', '=']);

/**
 * Path strings: segments separated by `.`; `[N]` indexes a sequence and `[key=value]` selects a
 * sequence item by one of its fields; `\.` `\[` `\]` `\=` `\\` are literal. Nothing else is
 * special, so a Hiera key such as `profile::app::version` is a single key.
 */
export function parsePath(path: string | readonly PathSegment[]): PathSegment[] {
  if (typeof path !== 'string') {
    if (path.length === 0) throw new YamlEditError('BAD_PATH', 'empty key path');
    for (const seg of path) {
      if (typeof seg === 'number' && !(Number.isInteger(seg) && seg >= 0)) {
        throw new YamlEditError('BAD_PATH', `bad sequence index ${seg} in key path ${formatPath(path)}`);
      }
    }
    return [...path];
  }
  const fail: (why: string) => never = (why) => {
    throw new YamlEditError('BAD_PATH', `bad key path ${JSON.stringify(path)}: ${why}`);
  };
  const out: PathSegment[] = [];
  let i = 0;
  // `expectKey` is true where a key must start: at the start and after a dot.
  let expectKey = true;
  while (i < path.length) {
    const ch = path[i];
    if (ch === '[') {
      const close = findClosingBracket(path, i + 1);
      if (close < 0) fail(`unclosed "[" at character ${i + 1}`);
      out.push(parseBracket(path.slice(i + 1, close), fail));
      i = close + 1;
      if (i < path.length) {
        if (path[i] === '.') {
          i++;
          if (i >= path.length) fail('ends with "."');
          expectKey = true;
          continue;
        }
        if (path[i] !== '[') fail(`expected "." or "[" after "]" at character ${i + 1}`);
      }
      expectKey = false;
      continue;
    }
    if (!expectKey) fail(`unexpected ${JSON.stringify(ch)} at character ${i + 1}`);
    let key = '';
    while (i < path.length && path[i] !== '.' && path[i] !== '[') {
      if (path[i] === ']') fail(`unescaped "]" at character ${i + 1}`);
      if (path[i] === '\\') {
        const next = path[i + 1];
        if (next === undefined || !ESCAPABLE.has(next)) fail(`unknown escape at character ${i + 1}`);
        key += next;
        i += 2;
      } else {
        key += path.charAt(i);
        i++;
      }
    }
    if (key === '') fail(`empty key at character ${i + 1}`);
    out.push(key);
    expectKey = false;
    if (path[i] === '.') {
      i++;
      if (i >= path.length) fail('ends with "."');
      expectKey = true;
    }
  }
  if (out.length === 0) fail('no segments');
  return out;
}

function findClosingBracket(s: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === ']') return i;
  }
  return -1;
}

function unescape(s: string, fail: (why: string) => never): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') {
      const next = s[i + 1];
      if (next === undefined || !ESCAPABLE.has(next)) fail('unknown escape inside [...]');
      out += next;
      i++;
    } else out += s.charAt(i);
  }
  return out;
}

function parseBracket(inner: string, fail: (why: string) => never): PathSegment {
  if (/^[0-9]+$/.test(inner)) return Number(inner);
  let eq = -1;
  for (let i = 0; i < inner.length; i++) {
    if (inner[i] === '\\') i++;
    else if (inner[i] === '=') {
      eq = i;
      break;
    }
  }
  if (eq <= 0) fail(`"[${inner}]" is neither an index nor a key=value selector`);
  return { key: unescape(inner.slice(0, eq), fail), equals: unescape(inner.slice(eq + 1), fail) };
}

function escapeKey(s: string): string {
  return s.replace(/[\\.[\]]/g, (c) => '\\' + c);
}

/** The inverse of `parsePath` for segments it can express (an empty key cannot be). */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (typeof seg === 'object') {
      const esc = (s: string) => s.replace(/[\\=[\]]/g, (c) => '\\' + c);
      out += `[${esc(seg.key)}=${esc(seg.equals)}]`;
    } else out += (out === '' ? '' : '.') + escapeKey(seg);
  }
  return out;
}
