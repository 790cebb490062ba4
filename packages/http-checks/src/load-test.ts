import type autocannon from 'autocannon';
import type { Logger } from '@mlflow-actions/action-kit/log';
import type { HttpCheck } from './check-spec.js';
import { buildRequest } from './run-checks.js';

export interface LoadThresholds {
  maxP95Ms?: number;
  maxP99Ms?: number;
  minRps?: number;
  /** Fraction 0..1 of requests that were not 2xx or never got an answer. */
  maxErrorRate?: number;
}

export interface LoadOptions {
  baseUrl: string;
  /** The request to send, taken from a check (e.g. `POST /predict` with its JSON body). */
  request: HttpCheck;
  durationSeconds: number;
  connections: number;
  /** Requests per second over all connections; unset: as fast as the service answers. */
  rate?: number;
  thresholds: LoadThresholds;
  env?: Record<string, string | undefined>;
  logger: Logger;
}

export interface LoadResult {
  passed: boolean;
  failures: string[];
  request: string;
  durationSeconds: number;
  connections: number;
  requests: number;
  rps: number;
  /** Latency of every answered request, 2xx or not (autocannon's own figures count 2xx only). */
  latencyMs: { p50: number; p90: number; p95: number; p99: number; max: number; mean: number };
  statusCounts: Record<string, number>;
  non2xx: number;
  socketErrors: number;
  timeouts: number;
  errorRate: number;
}

/**
 * Loads the service with autocannon and judges the thresholds. A run that errored or sent nothing
 * fails whatever the thresholds say: an empty run must never read as "no errors, fast enough".
 */
export async function runLoadTest(opts: LoadOptions): Promise<LoadResult> {
  const req = buildRequest(opts.request, opts.env);
  // Loaded on first use: most steps that bundle the check engine never load a service. The
  // histogram's build is a named export: the package is compiled TypeScript (__esModule).
  const [{ default: autocannonRun }, { build: buildHistogram }] = await Promise.all([
    import('autocannon'),
    import('hdr-histogram-js'),
  ]);
  // Microseconds, so sub-millisecond local answers keep their resolution.
  const hist = buildHistogram({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 120_000_000,
    numberOfSignificantValueDigits: 3,
  });
  const statusCounts: Record<string, number> = {};
  let socketErrors = 0;
  let settle: (r: { err?: unknown; res?: autocannon.Result }) => void = () => undefined;
  const finished = new Promise<{ err?: unknown; res?: autocannon.Result }>((r) => {
    settle = r;
  });
  // The callback form returns the instance, whose per-response events give latencies of every status.
  const instance = autocannonRun(
    {
      url: new URL(opts.request.path, opts.baseUrl).toString(),
      method: req.method as autocannon.Request['method'],
      headers: req.headers,
      ...(req.body !== undefined ? { body: req.body } : {}),
      duration: opts.durationSeconds,
      connections: opts.connections,
      ...(opts.rate ? { overallRate: opts.rate } : {}),
      timeout: 10,
    },
    (err, res) => {
      settle({ err, res });
    },
  );
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    statusCounts[status] = (statusCounts[status] ?? 0) + 1;
    hist.recordValue(Math.max(1, Math.round(ms * 1000)));
  });
  instance.on('reqError', () => socketErrors++);
  const { err, res: raw } = await finished;
  if (err || !raw) {
    throw new Error(`the load test could not run: ${err instanceof Error ? err.message : 'no result'}`);
  }
  const answered = Object.values(statusCounts).reduce((a, b) => a + b, 0);
  const ok = Object.entries(statusCounts).reduce((a, [s, n]) => (s.startsWith('2') ? a + n : a), 0);
  const requests = answered + socketErrors;
  const duration = raw.duration || opts.durationSeconds;
  const pct = (p: number) => round(hist.getValueAtPercentile(p) / 1000);
  const result: LoadResult = {
    passed: false,
    failures: [],
    request: `${req.method} ${opts.request.path}`,
    durationSeconds: duration,
    connections: opts.connections,
    requests,
    rps: round(answered / duration),
    latencyMs: {
      p50: pct(50),
      p90: pct(90),
      p95: pct(95),
      p99: pct(99),
      max: round(hist.maxValue / 1000),
      mean: round(hist.mean / 1000),
    },
    statusCounts,
    non2xx: answered - ok,
    socketErrors,
    timeouts: raw.timeouts,
    errorRate: requests ? round((requests - ok) / requests, 4) : 1,
  };
  hist.destroy();
  result.failures = judgeLoad(result, opts.thresholds);
  result.passed = result.failures.length === 0;
  opts.logger.info(
    `load ${result.request}: ${result.requests} requests, ${result.rps} req/s, p95 ${result.latencyMs.p95} ms, ` +
      `p99 ${result.latencyMs.p99} ms, error rate ${(result.errorRate * 100).toFixed(2)}%`,
  );
  return result;
}

function judgeLoad(r: LoadResult, t: LoadThresholds): string[] {
  const f: string[] = [];
  if (r.requests === 0) f.push('the load test sent no request');
  else if (r.requests - r.socketErrors === 0) f.push(`no request was answered (${r.socketErrors} socket errors)`);
  if (t.maxP95Ms !== undefined && r.latencyMs.p95 > t.maxP95Ms)
    f.push(`p95 ${r.latencyMs.p95} ms > max-p95-ms ${t.maxP95Ms}`);
  if (t.maxP99Ms !== undefined && r.latencyMs.p99 > t.maxP99Ms)
    f.push(`p99 ${r.latencyMs.p99} ms > max-p99-ms ${t.maxP99Ms}`);
  if (t.minRps !== undefined && r.rps < t.minRps) f.push(`${r.rps} req/s < min-rps ${t.minRps}`);
  const maxErr = t.maxErrorRate ?? 0;
  if (r.errorRate > maxErr) {
    f.push(
      `error rate ${(r.errorRate * 100).toFixed(2)}% (${r.non2xx} non-2xx, ${r.socketErrors} socket errors) ` +
        `> max-error-rate ${(maxErr * 100).toFixed(2)}%`,
    );
  }
  return f;
}

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
