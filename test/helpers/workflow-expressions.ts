/**
 * The part of GitHub Actions' expression language the example workflows use, evaluated as the runner does:
 * contexts `inputs`, `vars`, `secrets`, `env`, `github`, `runner`, `steps.<id>.outputs.<name>` and
 * `steps.<id>.outcome|conclusion`; literals; `!`, `==`, `!=`, `&&`, `||` (which return an operand, as on
 * GitHub), parentheses; the status functions `success()`, `failure()`, `always()`, `cancelled()`.
 * Anything else throws, so a workflow never silently means something else here than on GitHub.
 */

export type Value = string | boolean | number | null;

export interface StepRecord {
  outputs: Record<string, string>;
  outcome: 'success' | 'failure' | 'skipped';
}

export interface ExpressionContext {
  inputs: Record<string, string>;
  vars: Record<string, string>;
  secrets: Record<string, string>;
  env: Record<string, string>;
  github: Record<string, string>;
  runner: Record<string, string>;
  steps: Record<string, StepRecord>;
  /** Whether an earlier step of the job failed (what success() and failure() look at). */
  jobFailed: boolean;
}

type Token =
  | { kind: 'op'; text: string }
  | { kind: 'lit'; value: Value }
  | { kind: 'ref'; path: string[] }
  | { kind: 'call'; name: string };

function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const rest = expr.slice(i);
    const ws = /^\s+/.exec(rest);
    if (ws) {
      i += ws[0].length;
      continue;
    }
    const op = /^(&&|\|\||==|!=|!|\(|\))/.exec(rest);
    if (op) {
      tokens.push({ kind: 'op', text: op[1]! });
      i += op[0].length;
      continue;
    }
    const str = /^'((?:[^']|'')*)'/.exec(rest);
    if (str) {
      tokens.push({ kind: 'lit', value: str[1]!.replace(/''/g, "'") });
      i += str[0].length;
      continue;
    }
    const num = /^-?\d+(\.\d+)?(?![\w-])/.exec(rest);
    if (num) {
      tokens.push({ kind: 'lit', value: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const call = /^([a-zA-Z_]\w*)\(\s*\)/.exec(rest);
    if (call) {
      tokens.push({ kind: 'call', name: call[1]! });
      i += call[0].length;
      continue;
    }
    const ref = /^[a-zA-Z_][\w-]*(\.[a-zA-Z_][\w-]*)*/.exec(rest);
    if (ref) {
      const word = ref[0];
      if (word === 'true' || word === 'false') tokens.push({ kind: 'lit', value: word === 'true' });
      else if (word === 'null') tokens.push({ kind: 'lit', value: null });
      else tokens.push({ kind: 'ref', path: word.split('.') });
      i += word.length;
      continue;
    }
    throw new Error(`workflow expression '${expr}': cannot read '${rest}' (the harness knows no such syntax)`);
  }
  return tokens;
}

const truthy = (v: Value) => v !== null && v !== false && v !== '' && v !== 0;
/** GitHub compares strings case-insensitively; other types by value after coercion to number. */
function equal(a: Value, b: Value): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  const num = (v: Value) => (v === null ? 0 : typeof v === 'boolean' ? Number(v) : Number(v === '' ? 0 : v));
  return num(a) === num(b);
}

function resolve(path: string[], ctx: ExpressionContext, expr: string): Value {
  const fail = (why: string): never => {
    throw new Error(`workflow expression '${expr}': ${path.join('.')} ${why}`);
  };
  const [root, ...rest] = path;
  const flat = (map: Record<string, string>) => {
    if (rest.length !== 1) fail('must name one key');
    return map[rest[0]!] ?? '';
  };
  switch (root) {
    case 'inputs':
      return flat(ctx.inputs);
    case 'vars':
      return flat(ctx.vars);
    case 'secrets':
      return flat(ctx.secrets);
    case 'env':
      return flat(ctx.env);
    case 'runner':
      if (rest.length !== 1 || ctx.runner[rest[0] ?? ''] === undefined)
        fail('is not a runner property the harness provides');
      return ctx.runner[rest[0] ?? ''] ?? '';
    case 'github':
      if (rest.length !== 1 || ctx.github[rest[0] ?? ''] === undefined)
        fail('is not a github property the harness provides');
      return ctx.github[rest[0] ?? ''] ?? '';
    case 'steps': {
      const [id, kind, name] = rest;
      if (!id || !kind) fail('must be steps.<id>.outputs.<name> or steps.<id>.outcome');
      const step = ctx.steps[id!];
      if (kind === 'outputs' && name && rest.length === 3) return step?.outputs[name] ?? '';
      if ((kind === 'outcome' || kind === 'conclusion') && rest.length === 2) return step?.outcome ?? '';
      return fail('must be steps.<id>.outputs.<name> or steps.<id>.outcome');
    }
    default:
      return fail('is a context the harness does not evaluate');
  }
}

class Parser {
  private at = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly ctx: ExpressionContext,
    private readonly expr: string,
  ) {}

  parse(): Value {
    const v = this.or();
    if (this.at < this.tokens.length) this.fail('unexpected trailing tokens');
    return v;
  }

  private fail(why: string): never {
    throw new Error(`workflow expression '${this.expr}': ${why}`);
  }

  private peekOp(text: string): boolean {
    const t = this.tokens[this.at];
    return t?.kind === 'op' && t.text === text;
  }

  private or(): Value {
    let left = this.and();
    while (this.peekOp('||')) {
      this.at++;
      const right = this.and();
      left = truthy(left) ? left : right;
    }
    return left;
  }

  private and(): Value {
    let left = this.comparison();
    while (this.peekOp('&&')) {
      this.at++;
      const right = this.comparison();
      left = truthy(left) ? right : left;
    }
    return left;
  }

  private comparison(): Value {
    const left = this.unary();
    if (this.peekOp('==') || this.peekOp('!=')) {
      const negate = this.peekOp('!=');
      this.at++;
      const same = equal(left, this.unary());
      return negate ? !same : same;
    }
    return left;
  }

  private unary(): Value {
    if (this.peekOp('!')) {
      this.at++;
      return !truthy(this.unary());
    }
    return this.primary();
  }

  private primary(): Value {
    const t = this.tokens[this.at++];
    if (!t) return this.fail('ends too early');
    if (t.kind === 'lit') return t.value;
    if (t.kind === 'ref') return resolve(t.path, this.ctx, this.expr);
    if (t.kind === 'call') {
      if (t.name === 'success') return !this.ctx.jobFailed;
      if (t.name === 'failure') return this.ctx.jobFailed;
      if (t.name === 'always') return true;
      if (t.name === 'cancelled') return false;
      return this.fail(`function ${t.name}() is not one the harness evaluates`);
    }
    if (t.text === '(') {
      const v = this.or();
      if (!this.peekOp(')')) this.fail("missing ')'");
      this.at++;
      return v;
    }
    return this.fail(`unexpected '${t.text}'`);
  }
}

export function evaluate(expr: string, ctx: ExpressionContext): Value {
  return new Parser(tokenize(expr), ctx, expr).parse();
}

const asText = (v: Value) => (v === null ? '' : String(v));

/** A string with `${{ … }}` parts, as the runner renders `with:`, `env:` and action defaults. */
export function interpolate(text: string, ctx: ExpressionContext): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expr: string) => asText(evaluate(expr, ctx)));
}

/** An `if:` condition: `${{ }}` optional; without a status function it means `success() && (…)`. */
export function condition(text: string | boolean | undefined, ctx: ExpressionContext): boolean {
  if (text === undefined) return !ctx.jobFailed;
  if (typeof text === 'boolean') return text && !ctx.jobFailed;
  const expr = text.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1');
  const hasStatus = /\b(success|failure|always|cancelled)\(\s*\)/.test(expr);
  return truthy(evaluate(hasStatus ? expr : `success() && (${expr})`, ctx));
}
