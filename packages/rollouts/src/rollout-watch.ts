import { ActionError, errorMessage } from '@mlflow-actions/action-kit/errors';
import { silentLogger, type Logger } from '@mlflow-actions/action-kit/log';
import { KubeApiError } from './kube-errors.js';
import type { RolloutApi, WatchEvent } from './rollout-api.js';
import { describeState, readState, type Rollout, type RolloutState } from './rollout-status.js';

export type Decision<T> = { done: T } | { fail: string } | undefined;

export interface WaitOptions<T> {
  /** What is awaited, for the timeout message: "the Rollout to pause at BlueGreenPause". */
  what: string;
  timeoutMs: number;
  decide: (state: RolloutState, rollout: Rollout) => Decision<T>;
  /** Called with every new version of the Rollout seen (for the history in the summary). */
  onState?: (state: RolloutState) => void;
  /** The server closes each watch after this long; the Rollout is then read again (a resync). */
  resyncSeconds?: number;
  logger?: Logger;
}

export interface WaitResult<T> {
  value: T;
  state: RolloutState;
  rollout: Rollout;
}

/** A failure the Rollout itself reports (Degraded, aborted, deleted), distinct from a timeout. */
export class RolloutFailedError extends ActionError {
  constructor(
    message: string,
    readonly state: RolloutState | undefined,
  ) {
    super(message);
  }
}

export class RolloutTimeoutError extends ActionError {
  constructor(
    message: string,
    readonly state: RolloutState | undefined,
  ) {
    super(message);
  }
}

/**
 * Waits by watching the Rollout (not polling): reads it once, then watches from its resourceVersion; every
 * watch the server ends (after resyncSeconds), breaks or expires (410 Gone) is followed by a fresh read and a
 * new watch, so no change is missed and a dropped connection costs one reconnect.
 */
export async function waitForRollout<T>(api: RolloutApi, opts: WaitOptions<T>): Promise<WaitResult<T>> {
  const log = opts.logger ?? silentLogger;
  const resync = opts.resyncSeconds ?? 20;
  const deadline = Date.now() + opts.timeoutMs;
  const overall = new AbortController();
  const timer = setTimeout(() => overall.abort(), opts.timeoutMs);
  let last: RolloutState | undefined;
  let lastVersion: string | undefined;
  let outcome: { ok: WaitResult<T> } | { error: Error } | undefined;

  // Read through a function: `consider` sets it from callbacks, which the compiler's narrowing cannot see.
  const decided = () => outcome;
  const consider = (rollout: Rollout): void => {
    if (outcome) return;
    const state = readState(rollout);
    if (state.resourceVersion !== lastVersion) {
      lastVersion = state.resourceVersion;
      last = state;
      opts.onState?.(state);
      log.debug(`rollout ${state.namespace}/${state.name}: ${describeState(state)}`);
    }
    const d = opts.decide(state, rollout);
    if (!d) return;
    outcome =
      'done' in d ? { ok: { value: d.done, state, rollout } } : { error: new RolloutFailedError(d.fail, state) };
  };

  try {
    let backoffMs = 100;
    while (!outcome) {
      if (overall.signal.aborted) break;
      let rollout: Rollout;
      try {
        rollout = await api.get();
      } catch (e) {
        // A refusal (403, 404) is final; a connection that failed is retried until the deadline.
        if (!(e instanceof KubeApiError) || e.status !== undefined || Date.now() > deadline) throw e;
        log.debug(`reading the Rollout failed (${e.message}); retrying`);
        await sleep(backoffMs, overall.signal);
        backoffMs = Math.min(backoffMs * 2, 2000);
        continue;
      }
      consider(rollout);
      if (decided()) break;
      let resourceVersion = rollout.metadata?.resourceVersion;
      const stopWatch = new AbortController();
      const onOverall = () => stopWatch.abort();
      overall.signal.addEventListener('abort', onOverall, { once: true });
      const err = await api.watch(
        resourceVersion,
        resync,
        (event: WatchEvent) => {
          if (event.type === 'ADDED' || event.type === 'MODIFIED') {
            const obj = event.object as Rollout;
            resourceVersion = obj.metadata?.resourceVersion ?? resourceVersion;
            consider(obj);
          } else if (event.type === 'DELETED') {
            outcome ??= {
              error: new RolloutFailedError(`the Rollout was deleted while waiting for ${opts.what}`, last),
            };
          } else if (event.type === 'BOOKMARK') {
            resourceVersion = (event.object as Rollout).metadata?.resourceVersion ?? resourceVersion;
          } else {
            // ERROR, typically 410 Gone: the resourceVersion expired; read again and watch from the new one.
            log.debug(`watch error event: ${JSON.stringify(event.object).slice(0, 300)}`);
            stopWatch.abort();
          }
          if (outcome) stopWatch.abort();
        },
        stopWatch.signal,
      );
      overall.signal.removeEventListener('abort', onOverall);
      if (decided()) break;
      if (err instanceof KubeApiError && (err.status === 401 || err.status === 403)) throw err;
      if (err && !stopWatch.signal.aborted) {
        log.debug(`watch ended with ${errorMessage(err)}; reconnecting`);
        await sleep(backoffMs, overall.signal);
        backoffMs = Math.min(backoffMs * 2, 2000);
      } else {
        backoffMs = 100;
      }
    }
  } finally {
    clearTimeout(timer);
  }
  if (outcome && 'ok' in outcome) return outcome.ok;
  if (outcome) throw outcome.error;
  const seconds = Math.round(opts.timeoutMs / 1000);
  throw new RolloutTimeoutError(
    `timed out after ${seconds} s waiting for ${opts.what}; last status: ${last ? describeState(last) : 'never read'}`,
    last,
  );
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
