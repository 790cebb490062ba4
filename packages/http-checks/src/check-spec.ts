import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { InputError } from '@mlflow-actions/action-kit/errors';
import { asText } from './json-path.js';

/** One HTTP check from the `checks` list, as the user wrote it (kebab-case keys in YAML). */
export interface HttpCheck {
  name: string;
  method: string;
  path: string;
  /** Header values; `${VAR}` inside a value names an environment variable (masked by the caller). */
  headers: Record<string, string>;
  body?: string;
  json?: unknown;
  expectStatus: number[];
  /** Dotted paths (`models[0].version`) to the value expected there, compared as JSON values. */
  expectJson: Record<string, unknown>;
  expectBodyContains: string[];
  maxLatencyMs?: number;
  /** Shorthand from `expected-version`: the body's `version` field (or whole text) must be this. */
  expectVersion?: string;
}

const KEYS = new Set([
  'name',
  'method',
  'path',
  'headers',
  'body',
  'json',
  'expect-status',
  'expect-json',
  'expect-body-contains',
  'max-latency-ms',
]);
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * Parses the `checks` input (a YAML list) into checks; every problem names the input, the line and
 * how to fix it, and all are reported together.
 */
export function parseChecks(text: string, input = 'checks'): HttpCheck[] {
  if (!text.trim()) return [];
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const at = (node: Node | null | undefined) => (node?.range ? `line ${lines.linePos(node.range[0]).line}` : 'line 1');
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    throw new InputError(`${input}: not valid YAML at line ${e.linePos?.[0].line ?? 1}: ${e.message.split('\n')[0]}`);
  }
  if (!isSeq(doc.contents)) throw new InputError(`${input}: must be a YAML list of checks (each item "- path: /...")`);
  const problems: string[] = [];
  const checks: HttpCheck[] = [];
  doc.contents.items.forEach((item, i) => {
    const where = `${input}: item ${i + 1} (${at(item)})`;
    if (!isMap(item)) return void problems.push(`${where} must be a mapping such as "- path: /health"`);
    for (const pair of item.items) {
      const key = asText(isScalar(pair.key) ? pair.key.value : pair.key);
      if (!KEYS.has(key)) problems.push(`${where}: unknown key "${key}" (known: ${[...KEYS].join(', ')})`);
    }
    const raw = item.toJSON() as Record<string, unknown>;
    const check = toCheck(raw, where, problems);
    if (check) checks.push(check);
  });
  if (problems.length) throw new InputError(problems);
  return checks;
}

function toCheck(raw: Record<string, unknown>, where: string, problems: string[]): HttpCheck | undefined {
  const path = raw.path;
  if (typeof path !== 'string' || !path.startsWith('/')) {
    problems.push(`${where}: "path" is required and must start with "/"`);
    return undefined;
  }
  const method = (
    typeof raw.method === 'string' ? raw.method : raw.body !== undefined || raw.json !== undefined ? 'POST' : 'GET'
  ).toUpperCase();
  if (raw.method !== undefined && typeof raw.method !== 'string') problems.push(`${where}: "method" must be text`);
  if (!METHODS.has(method)) problems.push(`${where}: method "${method}" is not one of ${[...METHODS].join(', ')}`);
  if (raw.body !== undefined && raw.json !== undefined) problems.push(`${where}: set "body" or "json", not both`);
  if (raw.body !== undefined && typeof raw.body !== 'string')
    problems.push(`${where}: "body" must be text (use "json" for an object)`);
  const headers: Record<string, string> = {};
  if (raw.headers !== undefined) {
    if (typeof raw.headers !== 'object' || raw.headers === null || Array.isArray(raw.headers)) {
      problems.push(`${where}: "headers" must be a mapping of name: value`);
    } else {
      for (const [k, v] of Object.entries(raw.headers)) headers[k.toLowerCase()] = String(v);
    }
  }
  const statuses = raw['expect-status'] === undefined ? [] : [raw['expect-status']].flat();
  const expectStatus = statuses.map(Number);
  if (expectStatus.some((s) => !Number.isInteger(s) || s < 100 || s > 599)) {
    problems.push(`${where}: "expect-status" must be an HTTP status (100-599) or a list of them`);
  }
  const expectJson: unknown = raw['expect-json'] ?? {};
  if (typeof expectJson !== 'object' || expectJson === null || Array.isArray(expectJson)) {
    problems.push(`${where}: "expect-json" must be a mapping of path: value (e.g. "status: ok")`);
  }
  const contains = raw['expect-body-contains'] === undefined ? [] : [raw['expect-body-contains']].flat().map(String);
  const maxLatency = raw['max-latency-ms'];
  if (maxLatency !== undefined && !(typeof maxLatency === 'number' && maxLatency > 0)) {
    problems.push(`${where}: "max-latency-ms" must be a positive number`);
  }
  return {
    name: typeof raw.name === 'string' && raw.name ? raw.name : `${method} ${path}`,
    method,
    path,
    headers,
    ...(typeof raw.body === 'string' ? { body: raw.body } : {}),
    ...(raw.json !== undefined ? { json: raw.json } : {}),
    expectStatus,
    expectJson: expectJson as Record<string, unknown>,
    expectBodyContains: contains,
    ...(typeof maxLatency === 'number' ? { maxLatencyMs: maxLatency } : {}),
  };
}

/** A GET of path that must answer 2xx (what a URL is held to when no `checks` list is given). */
export function getCheck(path: string): HttpCheck {
  return {
    name: `GET ${path}`,
    method: 'GET',
    path,
    headers: {},
    expectStatus: [],
    expectJson: {},
    expectBodyContains: [],
  };
}

/** The `expected-version` shorthand: GET /version must report that version. */
export function versionCheck(version: string, path = '/version'): HttpCheck {
  return { ...getCheck(path), name: `version is ${version}`, expectStatus: [200], expectVersion: version };
}

/** The names of environment variables that header values refer to as `${NAME}`. */
export function headerVariables(checks: HttpCheck[]): string[] {
  const names = new Set<string>();
  for (const c of checks)
    for (const v of Object.values(c.headers)) for (const m of v.matchAll(/\$\{(\w+)\}/g)) names.add(m[1]!);
  return [...names];
}

/**
 * The names `${NAME}` refers to anywhere in the raw `checks` text: read before the text is parsed,
 * so that their values are masked first, even when the checks turn out to be malformed.
 */
export function variablesNamedIn(text: string | undefined): string[] {
  return [...new Set([...(text ?? '').matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]!))];
}

/**
 * A mapping of JSON paths to expected values (the `health-expect-json` input), in YAML or JSON flow
 * style: `status: ok` or `{ "model.version": 7 }`. Throws a one-line InputError naming the input.
 */
export function parseExpectJson(text: string, input: string): Record<string, unknown> | undefined {
  if (!text.trim()) return undefined;
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    throw new InputError(`${input}: not valid YAML at line ${e.linePos?.[0].line ?? 1}: ${e.message.split('\n')[0]}`);
  }
  if (!isMap(doc.contents)) {
    throw new InputError(`${input}: must be a mapping of JSON path to value, e.g. "status: ok" or "model.version: 7"`);
  }
  return doc.contents.toJSON() as Record<string, unknown>;
}
