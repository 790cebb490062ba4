import mime from 'mime';
import picomatch from 'picomatch';
import { basename } from 'node:path';
import { parseCacheRuleLines } from './validate.js';

/**
 * Which Cache-Control header and Content-Type each object gets.
 *
 * Defaults follow how a static site is cached safely behind a CDN:
 * - names carrying a content hash (`index-3f2a1b9c.js`) never change content under that name, so
 *   browsers may keep them for a year without revalidating;
 * - HTML, JSON and VERSION are the entry points that name the hashed files, so they must always
 *   be revalidated, or a browser would keep pointing at an old build;
 * - everything else gets a short public lifetime.
 * Rules given by the user (`glob=value`, one a line) are checked first, in order; first match wins.
 */

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const NO_CACHE = 'no-cache';
export const DEFAULT_CACHE_CONTROL = 'public, max-age=300';

/** A content hash in a file name: 8 or more hex digits after "-" or "." and before the extension. */
const HASHED_NAME = /[-.][0-9a-f]{8,}\.[A-Za-z0-9]+$/i;

export interface CacheRule {
  glob: string;
  value: string;
  match: (path: string) => boolean;
}

/**
 * Parses `glob=value` lines. Blank lines and `#` comments are ignored. A glob without "/" matches
 * the file's base name anywhere (like .gitignore), one with "/" matches the path from source-dir.
 */
export function parseCacheRules(text: string | readonly string[] | undefined): {
  rules: CacheRule[];
  problems: string[];
} {
  const { entries, problems } = parseCacheRuleLines(text);
  const rules = entries.map(({ glob, value }): CacheRule => {
    const matcher = picomatch(glob, { dot: true, basename: !glob.includes('/') });
    return { glob, value, match: (p) => matcher(p) };
  });
  return { rules, problems };
}

export function isHashedName(path: string): boolean {
  return HASHED_NAME.test(basename(path));
}

/** Cache-Control for a path relative to source-dir (always with "/" separators). */
export function cacheControlFor(path: string, rules: readonly CacheRule[] = []): string {
  for (const r of rules) if (r.match(path)) return r.value;
  const name = basename(path);
  if (name === 'VERSION' || /\.(html?|json)$/i.test(name)) return NO_CACHE;
  if (isHashedName(name)) return IMMUTABLE;
  return DEFAULT_CACHE_CONTROL;
}

/** Types that browsers would otherwise decode with a guessed charset. */
const TEXTUAL = /^(text\/|application\/(javascript|json|xml|manifest\+json|ld\+json)|image\/svg\+xml)/;

export function contentTypeFor(path: string): string {
  if (basename(path) === 'VERSION') return 'text/plain; charset=utf-8';
  const type = mime.getType(path) ?? 'application/octet-stream';
  return TEXTUAL.test(type) ? `${type}; charset=utf-8` : type;
}
