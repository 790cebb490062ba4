import type { Logger } from '@mlflow-actions/action-kit/log';
import { jsonMatches, readJsonPath } from './json-path.js';

/** What the caller knows when the service under test ended before it became ready. */
export interface ExitInfo {
  exitCode: number | null;
  /** The service's last log lines. */
  logs: string;
}

export interface ReadinessOptions {
  url: string;
  timeoutMs: number;
  /** Values the JSON body must hold at these paths (seed 001's `/health` answers JSON). */
  expectJson?: Record<string, unknown>;
  /** Settles when the container or process has ended: polling stops at once. */
  exited?: Promise<ExitInfo>;
  /** First wait between polls that got an answer (e.g. 503 "loading"); doubles up to maxIntervalMs. */
  initialIntervalMs?: number;
  maxIntervalMs?: number;
  /**
   * Longest wait between polls while nothing answers at all (connection refused or reset): such a
   * poll costs the service nothing, and the port answering should be seen within tens of ms.
   */
  connectIntervalMs?: number;
  logger: Logger;
}

export type ReadinessResult =
  | { ready: true; ms: number; attempts: number; status: number }
  | {
      ready: false;
      reason: 'exited' | 'timeout';
      ms: number;
      attempts: number;
      lastStatus?: number;
      lastError?: string;
      lastBody?: string;
      exit?: ExitInfo;
      /** One line for a person: what was seen last. */
      message: string;
    };

/**
 * Polls until the health URL answers 2xx (and the expected JSON), starting at tens of milliseconds so
 * a fast service is not kept waiting. Answers that say "not yet" back off so a slow one is not
 * flooded; while nothing answers yet, polls stay at most connectIntervalMs apart.
 */
export async function waitForReady(opts: ReadinessOptions): Promise<ReadinessResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  // Two backoffs from the same start: one for answers that say "not yet", one while nothing answers.
  let interval = opts.initialIntervalMs ?? 20;
  let connectWait = interval;
  const maxInterval = opts.maxIntervalMs ?? 1000;
  // 20 ms: a refused poll costs both sides well under a millisecond, and the wait after the port
  // starts answering is what the step adds to every run.
  const connectInterval = opts.connectIntervalMs ?? 20;
  let attempts = 0;
  let lastStatus: number | undefined;
  let lastError: string | undefined;
  let lastBody: string | undefined;
  let lastLogged: string | undefined;
  // Set by the exited promise; a property, since a local set in a callback reads as never set.
  const ended: { exit?: ExitInfo } = {};
  opts.exited
    ?.then((e) => {
      ended.exit = e;
    })
    .catch(() => undefined);
  const exitedResult = (e: ExitInfo): ReadinessResult => ({
    ready: false,
    reason: 'exited',
    ms: elapsed(),
    attempts,
    exit: e,
    message: `the service exited with code ${e.exitCode ?? 'unknown'} before it was ready`,
    ...(lastStatus !== undefined ? { lastStatus } : {}),
  });
  for (;;) {
    if (ended.exit) return exitedResult(ended.exit);
    attempts++;
    const remaining = opts.timeoutMs - elapsed();
    let answered = false;
    try {
      const res = await fetch(opts.url, { signal: AbortSignal.timeout(Math.max(50, Math.min(remaining, 5000))) });
      const text = await res.text();
      answered = true;
      lastStatus = res.status;
      lastError = undefined;
      lastBody = text.slice(0, 200);
      const problem = res.ok ? bodyProblem(text, opts.expectJson) : undefined;
      if (res.ok && !problem) return { ready: true, ms: elapsed(), attempts, status: res.status };
      if (problem) lastError = problem;
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause;
      lastError = cause?.code ?? (e as Error).message;
    }
    // Logged when what it sees changes: a refused port is polled every 20 ms.
    const seenNow = lastError ?? `status ${lastStatus}`;
    if (seenNow !== lastLogged) opts.logger.debug(`not ready after ${elapsed()} ms (poll ${attempts}): ${seenNow}`);
    lastLogged = seenNow;
    const wait = Math.min(answered ? interval : connectWait, opts.timeoutMs - elapsed());
    if (wait <= 0) break;
    const e = await Promise.race([sleep(wait), opts.exited ?? never]);
    if (e) return exitedResult(e);
    if (answered) interval = Math.min(interval * 2, maxInterval);
    else connectWait = Math.min(connectWait * 2, connectInterval);
  }
  // It may have ended during the last poll; a call, since the loop's checks narrowed the property.
  const lastExit = ((): ExitInfo | undefined => ended.exit)();
  if (lastExit) return exitedResult(lastExit);
  const seen = [
    lastStatus !== undefined ? `status ${lastStatus}` : '',
    lastError ?? '',
    lastBody ? `body ${lastBody}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return {
    ready: false,
    reason: 'timeout',
    ms: elapsed(),
    attempts,
    message: `not ready after ${Math.round(opts.timeoutMs / 1000)} s (${attempts} polls); last seen: ${seen || 'nothing'}`,
    ...(lastStatus !== undefined ? { lastStatus } : {}),
    ...(lastError !== undefined ? { lastError } : {}),
    ...(lastBody !== undefined ? { lastBody } : {}),
  };
}

function bodyProblem(text: string, expect?: Record<string, unknown>): string | undefined {
  if (!expect || !Object.keys(expect).length) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'health body is not JSON';
  }
  for (const [path, want] of Object.entries(expect)) {
    const got = readJsonPath(parsed, path);
    if (!jsonMatches(got, want)) return `health ${path} is ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`;
  }
  return undefined;
}

function sleep(ms: number): Promise<undefined> {
  return new Promise((r) => {
    setTimeout(() => {
      r(undefined);
    }, ms);
  });
}

/** Stands in for `exited` when there is none: never settles. */
const never = new Promise<never>(() => undefined);
