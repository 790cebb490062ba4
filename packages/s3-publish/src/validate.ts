/**
 * Checks done before any network call, so a typo fails in milliseconds with a message naming the
 * input, instead of as an opaque S3 error (or, worse, as objects written to the wrong place).
 * This module imports nothing, so an action's entry can run the same checks (through the
 * `@mlflow-actions/s3-publish/validate` export) without loading the AWS SDK.
 */

/** Characters kept in an artifact version: safe in S3 keys, URLs, file names and plain YAML. */
const SAFE_VERSION = /^[A-Za-z0-9._-]+$/;
export const MAX_VERSION_LENGTH = 128;

/**
 * Makes any string usable as an artifact version: anything outside [A-Za-z0-9._-] becomes "-",
 * runs of separators collapse, and separators are trimmed from both ends (so the result never is
 * "." or ".." or starts with "-", which YAML and shells treat specially). Case is kept.
 */
export function sanitizeVersion(raw: string): string {
  return raw
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/([-._])[-._]+/g, '$1')
    .replace(/^[-._]+|[-._]+$/g, '')
    .slice(0, MAX_VERSION_LENGTH)
    .replace(/[-._]+$/, '');
}

/** `<model-name>-<model-version>-<unix seconds>`, made safe. */
export function defaultArtifactVersion(
  modelName: string,
  modelVersion: string | number,
  now: Date = new Date(),
): string {
  return sanitizeVersion(`${modelName}-${modelVersion}-${Math.floor(now.getTime() / 1000)}`);
}

/** Returns the problem with a user-given artifact version, or undefined when it is fine. */
export function artifactVersionProblem(v: string): string | undefined {
  if (v === '') return 'artifact-version is empty';
  if (v.length > MAX_VERSION_LENGTH) return `artifact-version is longer than ${MAX_VERSION_LENGTH} characters`;
  if (!SAFE_VERSION.test(v) || v === '.' || v === '..' || /^[-.]/.test(v)) {
    const safe = sanitizeVersion(v);
    const example = safe ? ` (for example "${safe}")` : '';
    return `artifact-version "${v}" may only use letters, digits, ".", "_" and "-" and must not start with "-" or "."${example}`;
  }
  return undefined;
}

/**
 * S3 bucket naming rules (general purpose buckets): 3-63 characters, lower-case letters, digits,
 * dots and hyphens, starting and ending with a letter or digit, no "..", not an IP address, and
 * none of the reserved prefixes/suffixes.
 */
export function bucketNameProblem(bucket: string): string | undefined {
  if (bucket === '') return 'bucket is empty';
  if (/^s3:\/\//i.test(bucket))
    return `bucket "${bucket}" must be a bucket name, not an s3:// URI (put the path in prefix)`;
  const bad = (why: string) => `invalid bucket name "${bucket}": ${why}`;
  if (bucket.length < 3 || bucket.length > 63) return bad('must be 3 to 63 characters long');
  if (!/^[a-z0-9.-]+$/.test(bucket)) return bad('only lower-case letters, digits, "." and "-" are allowed');
  if (!/^[a-z0-9]/.test(bucket) || !/[a-z0-9]$/.test(bucket)) return bad('must start and end with a letter or digit');
  if (bucket.includes('..') || bucket.includes('.-') || bucket.includes('-.'))
    return bad('must not contain "..", ".-" or "-."');
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(bucket)) return bad('must not look like an IP address');
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(bucket) || /(-s3alias|--ol-s3|--x-s3|--table-s3)$/.test(bucket)) {
    return bad('uses a prefix or suffix that AWS reserves');
  }
  return undefined;
}

/**
 * Normalises the key prefix ("a/b/" and "a/b" are the same; "" means the bucket root) and
 * refuses anything that could land objects somewhere unexpected.
 */
export function normalizePrefix(prefix: string): { prefix: string; problem?: string } {
  const trimmed = prefix.replace(/\/+$/, '');
  if (trimmed === '') return { prefix: '' };
  const problem = keyPathProblem(trimmed, 'prefix');
  return problem ? { prefix: trimmed, problem } : { prefix: trimmed };
}

/**
 * A relative key path must stay inside the place it is joined to: no "..", ".", empty segments,
 * leading "/", backslashes (Windows separators that S3 treats as plain characters) or control
 * characters. Used for the prefix and for every file name from source-dir.
 */
export function keyPathProblem(path: string, what: string): string | undefined {
  if (path.startsWith('/')) return `${what} "${path}" is absolute; use a relative path`;
  if (path.includes('\\')) return `${what} "${path}" contains a backslash`;
  // eslint-disable-next-line no-control-regex, @typescript-eslint/no-deprecated -- escape() shows each control character as %XX
  if (/[\u0000-\u001f\u007f]/.test(path)) return `${what} "${escape(path)}" contains control characters`;
  const segments = path.split('/');
  if (segments.some((s) => s === '..' || s === '.')) return `${what} "${path}" contains a "." or ".." segment`;
  if (segments.some((s) => s === '')) return `${what} "${path}" contains an empty segment ("//")`;
  if (Buffer.byteLength(path) > 900) return `${what} "${path.slice(0, 60)}..." is too long for an S3 key`;
  return undefined;
}

/** Files uploaded at once when not given: enough to hide a store's latency for small files. */
export const DEFAULT_CONCURRENCY = 16;

export function parseConcurrency(n: number | undefined): { value: number; problem?: string } {
  if (n === undefined) return { value: DEFAULT_CONCURRENCY };
  if (!Number.isInteger(n) || n < 1 || n > 64)
    return { value: DEFAULT_CONCURRENCY, problem: `concurrency must be an integer from 1 to 64, got ${n}` };
  return { value: n };
}

/**
 * Parses `glob=value` cache-control lines. Blank lines and `#` comments are ignored. A glob
 * without "/" matches the file's base name anywhere (like .gitignore), one with "/" matches the
 * path from source-dir; cache-control.ts compiles the globs.
 */
export function parseCacheRuleLines(text: string | readonly string[] | undefined): {
  entries: { glob: string; value: string }[];
  problems: string[];
} {
  const lines = text === undefined ? [] : typeof text === 'string' ? text.split(/\r?\n/) : text;
  const entries: { glob: string; value: string }[] = [];
  const problems: string[] = [];
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const glob = eq > 0 ? line.slice(0, eq).trim() : '';
    const value = eq > 0 ? line.slice(eq + 1).trim() : '';
    if (!glob || !value) {
      problems.push(
        `cache-control line ${i + 1} "${line}" must look like "glob=value", e.g. "*.png=public, max-age=86400"`,
      );
      continue;
    }
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(value)) {
      problems.push(`cache-control line ${i + 1}: the value contains control characters`);
      continue;
    }
    entries.push({ glob, value });
  }
  return { entries, problems };
}
