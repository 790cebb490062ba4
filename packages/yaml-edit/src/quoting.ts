import { isScalar, parseDocument } from 'yaml';
import type { Scalar } from 'yaml';
import { YamlEditError } from './errors.js';

/** `integer` is a `number` that must be a whole number (Puppet's `Integer` rejects `1.5`). */
export type ValueType = 'string' | 'number' | 'integer' | 'boolean';
export type FlowStyle = 'plain' | 'single' | 'double';

/** What the caller wants the scalar to read back as, in every YAML version a consumer may use. */
export interface Intent {
  /** `integer` is checked when the value is normalised, then written and compared as a number. */
  type: Exclude<ValueType, 'integer'>;
  /** The scalar's text once parsed (a string's content, a number's or boolean's plain form). */
  text: string;
  js: string | number | boolean;
}

export function normalizeValue(value: string | number | boolean, type?: ValueType): Intent {
  const want: ValueType =
    type ?? (typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'string');
  if (want === 'string') return { type: 'string', text: String(value), js: String(value) };
  if (want === 'boolean') {
    let b: boolean | undefined;
    if (typeof value === 'boolean') b = value;
    else if (typeof value === 'string') {
      const s = value.trim().toLowerCase();
      if (s === 'true' || s === 'yes' || s === 'on') b = true;
      if (s === 'false' || s === 'no' || s === 'off') b = false;
    }
    if (b === undefined)
      throw new YamlEditError('BAD_VALUE', `${JSON.stringify(value)} is not a boolean (use true or false)`);
    // `true`/`false` mean the same in YAML 1.1 and 1.2; `yes`/`on` do not.
    return { type: 'boolean', text: String(b), js: b };
  }
  if (typeof value === 'boolean') throw new YamlEditError('BAD_VALUE', `${value} is not a number`);
  const text = typeof value === 'number' ? numberText(value) : value.trim();
  if (want === 'integer' && !/^[-+]?[0-9]+$/.test(text)) {
    throw new YamlEditError(
      'BAD_VALUE',
      `${JSON.stringify(String(value))} is not an integer (write it in decimal digits, e.g. 42)`,
    );
  }
  const n12 = readPlain(text, '1.2');
  const n11 = readPlain(text, '1.1');
  // Psych and PyYAML want a dot and a signed exponent (1.0e+3); `yaml`'s 1.1 schema is laxer.
  const strictExponent = !/e/i.test(text) || /^[-+]?[0-9][0-9_]*\.[0-9_]*e[-+][0-9]+$/i.test(text);
  if (typeof n12 !== 'number' || typeof n11 !== 'number' || !sameNumber(n12, n11) || !strictExponent) {
    throw new YamlEditError(
      'BAD_VALUE',
      `${JSON.stringify(String(value))} is not a number that reads the same in YAML 1.1 and 1.2 (write it in decimal, e.g. 42 or 1.5)`,
    );
  }
  return { type: 'number', text, js: n12 };
}

function numberText(n: number): string {
  if (!Number.isFinite(n)) throw new YamlEditError('BAD_VALUE', `${n} is not a finite number`);
  const s = String(n);
  // YAML 1.1 floats need a dot before an exponent: 1e-7 would be a string there.
  const m = /^(-?\d+)e([-+]\d+)$/.exec(s);
  return m ? `${m[1]}.0e${m[2]}` : s;
}

function sameNumber(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

function readPlain(text: string, version: '1.1' | '1.2'): unknown {
  const doc = parseDocument(`k: ${text}\n`, { version, prettyErrors: false });
  if (doc.errors.length > 0) return undefined;
  const node = (doc.contents as { get?: (k: string, keep: true) => unknown } | null)?.get?.('k', true);
  return isScalar(node) ? node.value : undefined;
}

// Words that some YAML reader (1.1 spec, 1.2 core, Ruby's Psych as used by Puppet/Hiera, PyYAML)
// resolves to a non-string. Matched case-insensitively, which only ever over-quotes.
const SPECIAL_WORDS = /^(?:y|yes|n|no|true|false|on|off|null|~|=|<<)$/i;
const NUMBER_LIKE: RegExp[] = [
  /^[-+]?[0-9][0-9_,]*$/, // decimal, 1.1 octal 0755, Psych's 1,000
  /^[-+]?0[xob][0-9a-f_]+$/i,
  /^[-+]?(?:[0-9][0-9_,]*)?\.[0-9_]*(?:e[-+]?[0-9]+)?$/i, // 1.5, .5, 1.0e+3, and the lone "."
  /^[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?e[-+]?[0-9]+$/i, // 1e3 (a number in 1.2 only)
  /^[-+]?\.(?:inf|nan)$/i,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/, // 1.1 sexagesimal 12:30, 1:20:30.5
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:$|[Tt ])/, // timestamps, read as dates by 1.1 readers
];
const INDICATOR_START = /^[-?:,[\]{}#&*!|>'"%@`]/;
// C0/C1 controls, line and paragraph separators, BOM, non-characters and lone surrogates (the `u`
// flag keeps an emoji's surrogate pair whole, so it stays printable): never plain.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]|\p{Cs}/u;

/** Whether `text` may be written as a plain scalar and still read back as this very string. */
export function isPlainSafeString(text: string, flow: boolean): boolean {
  if (text === '' || text.trim() !== text || UNPRINTABLE.test(text)) return false;
  if (INDICATOR_START.test(text)) return false;
  if (text.includes(': ') || text.includes(' #') || text.endsWith(':')) return false;
  if (flow && /[,[\]{}:]/.test(text)) return false;
  if (text.startsWith('---') || text.startsWith('...')) return false;
  if (SPECIAL_WORDS.test(text) || NUMBER_LIKE.some((re) => re.test(text))) return false;
  return true;
}

export function doubleQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\u0085') out += '\\N';
    else if (ch === '\u2028') out += '\\L';
    else if (ch === '\u2029') out += '\\P';
    else if (UNPRINTABLE.test(ch)) out += cp <= 0xff ? `\\x${hex(cp, 2)}` : `\\u${hex(cp, 4)}`;
    else out += ch;
  }
  return out + '"';
}

function hex(n: number, width: number): string {
  return n.toString(16).toUpperCase().padStart(width, '0');
}

export function canSingleQuote(s: string): boolean {
  // A line break inside single quotes is folded, and there are no escapes to write controls with.
  return !UNPRINTABLE.test(s);
}

export function singleQuote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/**
 * The source text for a flow (single-line) scalar. Typed values are always plain, since quoting
 * makes a string. Strings keep `preferred` where it can express them: plain falls back to double
 * quotes, single falls back to double for text that needs escapes.
 */
export function renderFlowScalar(intent: Intent, preferred: FlowStyle, flow: boolean): string {
  let out: string;
  if (intent.type !== 'string') out = intent.text;
  else if (preferred === 'plain' && isPlainSafeString(intent.text, flow)) out = intent.text;
  else if (preferred === 'single' && canSingleQuote(intent.text)) out = singleQuote(intent.text);
  else out = doubleQuote(intent.text);
  if (!readsBackAs(out, flow, intent)) {
    // The rules above are the first line of defence; this check against the parser is the last.
    const fallback = intent.type === 'string' ? doubleQuote(intent.text) : undefined;
    if (fallback === undefined || !readsBackAs(fallback, flow, intent)) {
      throw new YamlEditError('BAD_VALUE', `cannot write ${JSON.stringify(intent.text)} as a YAML ${intent.type}`);
    }
    out = fallback;
  }
  return out;
}

/**
 * Parses `source` as a lone value in the given context (`k: …` in block context, `[…]` in a flow
 * collection) under YAML 1.2 and 1.1: it must be one scalar spanning all of `source` that reads
 * as the intended value in both.
 */
export function readsBackAs(source: string, flow: boolean, intent: Intent): boolean {
  for (const version of ['1.2', '1.1'] as const) {
    const node = readIn(source, flow, version);
    if (!node || !matchesIntent(node.value, intent)) return false;
  }
  return true;
}

function readIn(source: string, flow: boolean, version: '1.1' | '1.2'): Scalar | undefined {
  const doc = parseDocument(flow ? `[${source}]\n` : `k: ${source}\n`, { version, prettyErrors: false });
  if (doc.errors.length > 0) return undefined;
  const contents = doc.contents as { get?: (k: string | number, keep: true) => unknown } | null;
  const node = contents?.get?.(flow ? 0 : 'k', true);
  const at = flow ? 1 : 3;
  if (!isScalar(node) || node.range?.[0] !== at || node.range[1] !== at + source.length) return undefined;
  return node;
}

/**
 * A scalar token's text read on its own, in its context, under YAML 1.2 and 1.1: its text as
 * parsed (quotes removed, escapes resolved: what `getValue` reports) and its value in each.
 * Undefined if it does not read as one untagged scalar spanning all of `source`.
 */
export function readToken(source: string, flow: boolean): { text: string; v12: unknown; v11: unknown } | undefined {
  const a = readIn(source, flow, '1.2');
  const b = readIn(source, flow, '1.1');
  if (!a || !b || a.tag !== undefined || typeof a.source !== 'string') return undefined;
  return { text: a.source, v12: a.value, v11: b.value };
}

export function matchesIntent(value: unknown, intent: Intent): boolean {
  if (intent.type === 'number') return typeof value === 'number' && sameNumber(value, intent.js as number);
  return value === intent.js;
}
