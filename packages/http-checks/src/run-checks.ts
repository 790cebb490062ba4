import type { Logger } from '@mlflow-actions/action-kit/log';
import type { HttpCheck } from './check-spec.js';
import { asText, jsonMatches, readJsonPath } from './json-path.js';

export interface CheckResult {
  name: string;
  method: string;
  path: string;
  passed: boolean;
  status?: number;
  latencyMs?: number;
  /** Why it failed, one line each. */
  failures: string[];
}

export interface RunChecksOptions {
  baseUrl: string;
  checks: HttpCheck[];
  /** Where `${NAME}` in header values is looked up (the step's environment). */
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  logger: Logger;
}

/** A request as fetch takes it, with `${NAME}` in header values resolved from `env`. */
export function buildRequest(check: HttpCheck, env: Record<string, string | undefined> = {}) {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(check.headers))
    headers[k] = v.replace(/\$\{(\w+)\}/g, (_, n: string) => env[n] ?? '');
  let body: string | undefined = check.body;
  if (check.json !== undefined) {
    body = JSON.stringify(check.json);
    headers['content-type'] ??= 'application/json';
  }
  return { method: check.method, headers, body };
}

/** Runs the checks in order (so `POST /admin/reload` then `GET /version` works); never throws. */
export async function runChecks(opts: RunChecksOptions): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of opts.checks) {
    const result = await runCheck(check, opts);
    opts.logger.info(`${result.passed ? 'pass' : 'FAIL'} ${result.name}: ${describe(result)}`);
    results.push(result);
  }
  return results;
}

function describe(r: CheckResult): string {
  const head = r.status === undefined ? 'no response' : `${r.status} in ${r.latencyMs} ms`;
  return r.failures.length ? `${head}; ${r.failures.join('; ')}` : head;
}

async function runCheck(check: HttpCheck, opts: RunChecksOptions): Promise<CheckResult> {
  const base = { name: check.name, method: check.method, path: check.path };
  const req = buildRequest(check, opts.env);
  const started = performance.now();
  let res: Response;
  let text: string;
  try {
    // Appended, not resolved: a base URL with a path (an ingress prefix) keeps it.
    res = await fetch(new URL(`${opts.baseUrl.replace(/\/+$/, '')}${check.path}`), {
      ...req,
      redirect: 'manual',
      signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
    });
    text = await res.text();
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    return {
      ...base,
      passed: false,
      failures: [`request failed: ${cause?.code ?? cause?.message ?? (e as Error).message}`],
    };
  }
  const latencyMs = Math.round((performance.now() - started) * 10) / 10;
  const failures = judge(check, res.status, text, latencyMs);
  return { ...base, passed: failures.length === 0, status: res.status, latencyMs, failures };
}

function judge(check: HttpCheck, status: number, text: string, latencyMs: number): string[] {
  const failures: string[] = [];
  const statusOk = check.expectStatus.length ? check.expectStatus.includes(status) : status >= 200 && status < 300;
  if (!statusOk) failures.push(`status ${status}, expected ${check.expectStatus.join(' or ') || '2xx'}`);
  let parsed: unknown;
  let isJson = false;
  try {
    parsed = JSON.parse(text);
    isJson = true;
  } catch {
    // Not JSON: only text expectations can pass.
  }
  for (const [path, want] of Object.entries(check.expectJson)) {
    if (!isJson) {
      failures.push(`body is not JSON, expected ${path} = ${JSON.stringify(want)}`);
      continue;
    }
    const got = readJsonPath(parsed, path);
    if (!jsonMatches(got, want)) failures.push(`${path} is ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
  }
  for (const needle of check.expectBodyContains) {
    if (!text.includes(needle)) failures.push(`body does not contain ${JSON.stringify(needle)}`);
  }
  if (check.maxLatencyMs !== undefined && latencyMs > check.maxLatencyMs) {
    failures.push(`took ${latencyMs} ms, more than max-latency-ms ${check.maxLatencyMs}`);
  }
  if (check.expectVersion !== undefined) {
    const reported =
      isJson && parsed !== null && typeof parsed === 'object' ? readJsonPath(parsed, 'version') : text.trim();
    if (reported === undefined || asText(reported) !== check.expectVersion) {
      const shown = reported === undefined ? 'no version' : `version ${JSON.stringify(asText(reported))}`;
      failures.push(`${check.path} reports ${shown}, expected version ${JSON.stringify(check.expectVersion)}`);
    }
  }
  return failures;
}
