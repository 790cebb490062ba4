import { YamlEditError } from './errors.js';
import { formatPath } from './key-path.js';
import type { PathSegment } from './key-path.js';
import { normalizeValue } from './quoting.js';
import type { Intent, ValueType } from './quoting.js';

/** `auto`: whatever type the value being replaced has (a string when the key is new). */
export type EditType = ValueType | 'auto';

/** The old value as both YAML versions read it; undefined when the key is being added. */
export interface OldValue {
  text: string;
  v12: unknown;
  v11: unknown;
  line?: number | undefined;
  column?: number | undefined;
}

function typeOf(v: unknown): ValueType | 'null' | 'other' {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (v === null || v === undefined) return 'null';
  return 'other';
}

/**
 * The type `auto` keeps. Puppet reads Hiera as YAML 1.1 and Helm as 1.2; a value that the two
 * read as different types (`yes`, `0755`, `12:30`) has no one type to keep, so the caller must say.
 */
export function autoType(
  old: OldValue | undefined,
  path: readonly PathSegment[],
  fileName: string | undefined,
): ValueType {
  if (old === undefined) return 'string';
  const t12 = typeOf(old.v12);
  const t11 = typeOf(old.v11);
  const where = { fileName, line: old.line, column: old.column };
  if (t12 !== t11) {
    throw new YamlEditError(
      'BAD_VALUE',
      `cannot keep the type of ${formatPath(path)}: its value ${old.text} is ${article(t11)} to YAML 1.1 readers ` +
        `(Puppet) but ${article(t12)} to YAML 1.2 readers (Helm, Kubernetes); give the type (string, integer or boolean)`,
      where,
    );
  }
  // `key:` or `key: ~` has no type to keep; a string is what the key would get without auto.
  return t12 === 'null' || t12 === 'other' ? 'string' : t12;
}

function article(t: string): string {
  return t === 'integer' ? 'an integer' : t === 'null' ? 'null' : `a ${t}`;
}

/** `normalizeValue`, with `auto` resolved against the old value and its refusal explained. */
export function intentFor(
  value: string | number | boolean,
  type: EditType | undefined,
  oldOf: () => OldValue | undefined,
  path: readonly PathSegment[],
  fileName: string | undefined,
): Intent {
  if (type !== 'auto') return normalizeValue(value, type);
  // Read only for auto: the old value under YAML 1.1 may need a second parse of the file.
  const old = oldOf();
  const kept = autoType(old, path, fileName);
  try {
    return normalizeValue(value, kept);
  } catch (e) {
    if (!(e instanceof YamlEditError) || old === undefined) throw e;
    throw new YamlEditError(
      'BAD_VALUE',
      `cannot set ${formatPath(path)} to ${JSON.stringify(String(value))}: it holds ${article(kept)} (${old.text}) and ` +
        `auto keeps that type, but ${e.message}; ask for a string to write a string`,
      { fileName, line: old.line, column: old.column },
    );
  }
}
