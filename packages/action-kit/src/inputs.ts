import { InputError } from './errors.js';

/**
 * Typed input parsing that collects every problem before failing, so a user fixes all inputs
 * in one go. Reads `INPUT_*` variables exactly as @actions/core's getInput does (name upper-cased,
 * spaces to underscores, value trimmed) but without loading @actions/core: see command.ts.
 */
export type Env = Record<string, string | undefined>;

export function readInput(name: string, env: Env = process.env): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

export class InputReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env = process.env) {}

  raw(name: string): string {
    return readInput(name, this.env);
  }

  optional(name: string): string | undefined {
    const v = this.raw(name);
    return v === '' ? undefined : v;
  }

  required(name: string, hint = ''): string {
    const v = this.raw(name);
    if (v === '') this.problem(`input '${name}' is required${hint ? `: ${hint}` : ''}`);
    return v;
  }

  /** Strict booleans: only true/false (any case), as the contract says. */
  boolean(name: string, fallback: boolean): boolean {
    const v = this.raw(name);
    if (v === '') return fallback;
    if (/^true$/i.test(v)) return true;
    if (/^false$/i.test(v)) return false;
    this.problem(`input '${name}' must be true or false, got '${v}'`);
    return fallback;
  }

  integer(name: string, fallback: number, opts: { min?: number; max?: number } = {}): number {
    const v = this.raw(name);
    if (v === '') return fallback;
    const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = opts;
    if (!/^-?\d+$/.test(v) || Number(v) < min || Number(v) > max) {
      const range = opts.max !== undefined ? `between ${min} and ${max}` : `at least ${min}`;
      this.problem(`input '${name}' must be a whole number ${range}, got '${v}'`);
      return fallback;
    }
    return Number(v);
  }

  number(name: string, fallback: number, opts: { min?: number; max?: number } = {}): number {
    const v = this.raw(name);
    if (v === '') return fallback;
    const n = Number(v);
    const { min = -Infinity, max = Infinity } = opts;
    if (!Number.isFinite(n) || n < min || n > max) {
      this.problem(`input '${name}' must be a number${Number.isFinite(min) ? ` of at least ${min}` : ''}, got '${v}'`);
      return fallback;
    }
    return n;
  }

  /** Lists accept newlines or commas; blank items are dropped. */
  list(name: string): string[] {
    return this.raw(name)
      .split(/[\n,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
  }

  choice<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const v = this.raw(name);
    if (v === '') return fallback;
    if ((allowed as readonly string[]).includes(v)) return v as T;
    this.problem(`input '${name}' must be one of ${allowed.join(', ')}, got '${v}'`);
    return fallback;
  }

  /** Exactly one of the named inputs must be set; returns the one that is. */
  exactlyOne<T extends string>(names: readonly T[]): { name: T; value: string } | undefined {
    const set = names.filter((n) => this.raw(n) !== '');
    const quoted = names.map((n) => `'${n}'`);
    const list = `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
    if (set.length === 0) {
      this.problem(`one of ${list} is required`);
      return undefined;
    }
    if (set.length > 1) {
      this.problem(`inputs ${set.map((n) => `'${n}'`).join(' and ')} conflict: set only one of ${list}`);
      return undefined;
    }
    const name = set[0]!;
    return { name, value: this.raw(name) };
  }

  problem(message: string): void {
    this.problems.push(message);
  }

  /**
   * Runs a parser of its own (a checks list, a retry policy) that throws an InputError: its problems
   * join the reader's instead of ending the parse. Undefined when it threw.
   */
  collect<T>(parse: () => T): T | undefined {
    try {
      return parse();
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      this.problems.push(...e.problems);
      return undefined;
    }
  }

  /** Throws one InputError holding every problem found so far. */
  done(): void {
    if (this.problems.length) throw new InputError(this.problems);
  }
}

/**
 * The credentials a URL-like input carries in its userinfo (`https://user:token@host/…`, or
 * `user:token@host/…` without a scheme), raw and percent-decoded, found without parsing the URL:
 * they are masked before the input is checked, and a malformed URL must not hide them.
 */
export function credentialsInUrl(raw: string | undefined): string[] {
  const m = /^(?:[a-z][a-z0-9+.-]*:\/\/)?([^/?#@\s]+)@/i.exec(raw?.trim() ?? '');
  if (!m) return [];
  const userinfo = m[1]!;
  const parts = [userinfo, ...userinfo.split(':')].filter(Boolean);
  const decoded = parts.map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  return [...new Set([...parts, ...decoded])];
}
