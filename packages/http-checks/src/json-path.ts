/** Reads `a.b[0].c` (or `a.b.0.c`) from a parsed JSON value; undefined when any step is missing. */
export function readJsonPath(value: unknown, path: string): unknown {
  const steps = path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter(Boolean);
  let cur: unknown = value;
  for (const step of steps) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[step];
  }
  return cur;
}

/** A scalar as its text (YAML's `version: 3` is the number 3), anything else as JSON. */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === undefined || value === null) return String(value);
  return JSON.stringify(value);
}

/** YAML gives `version: 3` as a number where the server says "3": a scalar matches its text. */
export function jsonMatches(actual: unknown, expected: unknown): boolean {
  if (expected !== null && typeof expected !== 'object') {
    return actual !== null && typeof actual !== 'object' && asText(actual) === asText(expected);
  }
  return JSON.stringify(actual) === JSON.stringify(expected);
}
