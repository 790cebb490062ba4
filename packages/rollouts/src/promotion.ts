import { ActionError } from '@mlflow-actions/action-kit/errors';
import { silentLogger, type Logger } from '@mlflow-actions/action-kit/log';
import { abort, promote } from './patches.js';
import type { RolloutApi } from './rollout-api.js';
import {
  atCanaryPause,
  awaitingPromotion,
  describeState,
  failure,
  previewSelected,
  promoted,
  readState,
  type Rollout,
  type RolloutState,
} from './rollout-status.js';
import { RolloutFailedError, RolloutTimeoutError, waitForRollout, type Decision } from './rollout-watch.js';

/** The verdict of the HTTP checks against one URL (the check engine's report, reduced). */
export interface CheckOutcome {
  passed: boolean;
  /** One line: "4/4 checks passed" or the first failure. */
  summary: string;
  /** The version the service reported, when the checks asked for it. */
  version?: string;
  /** Each check's verdict, for the summary (the URL checked, and a line of detail). */
  url?: string;
  each?: { name: string; passed: boolean; detail: string }[];
}

/** Where checks run; the action wires the check engine in, tests may pass their own. */
export type CheckStage = { kind: 'preview' } | { kind: 'active' } | { kind: 'canary-step'; step: number };
export type RunChecks = (stage: CheckStage) => Promise<CheckOutcome>;

export interface PromotionOptions {
  api: RolloutApi;
  timeoutMs: number;
  autoRollback: boolean;
  dryRun?: boolean;
  /** undefined: no checks at that stage (no URL given). */
  runChecks?: RunChecks;
  logger?: Logger;
  resyncSeconds?: number;
  /** Every new version of the Rollout seen, for the history in the summary. */
  onState?: (state: RolloutState) => void;
  /** Called with each stage, e.g. to open a log group. */
  onStage?: (what: string) => void;
}

export type PromotionResultKind = 'promoted' | 'already-promoted' | 'aborted' | 'failed' | 'dry-run';

export interface PromotionResult {
  result: PromotionResultKind;
  /** Why it did not promote (aborted / failed), one line. */
  reason?: string;
  strategy: 'blueGreen' | 'canary';
  initial: RolloutState;
  final: RolloutState;
  checks: { stage: CheckStage; outcome: CheckOutcome }[];
}

/** Refuses a Rollout this action cannot drive, before anything waits. */
export function requireStrategy(state: RolloutState): 'blueGreen' | 'canary' {
  if (!state.strategy) {
    throw new ActionError(
      `Rollout '${state.name}' in namespace '${state.namespace}' has neither a blueGreen nor a canary strategy: ` +
        'set spec.strategy.blueGreen or spec.strategy.canary',
    );
  }
  return state.strategy;
}

/**
 * Promote a blue/green Rollout (wait for BlueGreenPause with the preview on the new pods, check the preview,
 * promote, wait for Healthy with the active Service switched, check the active URL), or advance a canary
 * Rollout pause step by pause step (checks at each step). Any failure aborts the Rollout when autoRollback is
 * set; the result says why. Input mistakes and RBAC refusals throw.
 */
export async function runPromotion(opts: PromotionOptions): Promise<PromotionResult> {
  const log = opts.logger ?? silentLogger;
  const deadline = Date.now() + opts.timeoutMs;
  const first = await opts.api.get();
  const initial = readState(first);
  const strategy = requireStrategy(initial);
  const checks: PromotionResult['checks'] = [];
  let last = initial;
  const track = (s: RolloutState) => {
    last = s;
    opts.onState?.(s);
  };
  opts.onState?.(initial);
  const wait = <T>(what: string, decide: (s: RolloutState, r: Rollout) => Decision<T>) =>
    waitForRollout(opts.api, {
      what,
      timeoutMs: Math.max(deadline - Date.now(), 1),
      decide,
      onState: track,
      logger: log,
      resyncSeconds: opts.resyncSeconds,
    });
  const check = async (stage: CheckStage): Promise<string | undefined> => {
    if (!opts.runChecks) return undefined;
    const outcome = await opts.runChecks(stage);
    checks.push({ stage, outcome });
    log.info(`${stageName(stage)} checks: ${outcome.summary}`);
    return outcome.passed ? undefined : `${stageName(stage)} checks failed: ${outcome.summary}`;
  };
  const result = (kind: PromotionResultKind, reason?: string): PromotionResult => ({
    result: kind,
    reason,
    strategy,
    initial,
    final: last,
    checks,
  });
  const giveUp = async (reason: string): Promise<PromotionResult> => {
    if (!opts.autoRollback || opts.dryRun) return result('failed', reason);
    log.info(`aborting the Rollout: ${reason}`);
    await abort(opts.api, log);
    return result('aborted', reason);
  };

  try {
    if (strategy === 'blueGreen') {
      opts.onStage?.('wait for the preview');
      const ready = await wait(
        'the Rollout to pause at BlueGreenPause with the preview Service on the new pods',
        (s) =>
          failedOrNull(s) ??
          (promoted(s)
            ? { done: 'promoted' as const }
            : awaitingPromotion(s) && previewSelected(s)
              ? { done: 'paused' as const }
              : undefined),
      );
      if (ready.value === 'promoted') {
        opts.onStage?.('already promoted: check the active URL');
        const activeFailure = await check({ kind: 'active' });
        return activeFailure ? await giveUp(activeFailure) : result('already-promoted');
      }
      opts.onStage?.('check the preview');
      const previewFailure = await check({ kind: 'preview' });
      if (previewFailure) return await giveUp(previewFailure);
      if (opts.dryRun) return result('dry-run');
      opts.onStage?.('promote');
      await promote(opts.api, ready.rollout, log);
      await wait(
        'the Rollout to become Healthy with the active Service on the new pods',
        (s) => failedOrNull(s) ?? (promoted(s) ? { done: true } : undefined),
      );
    } else {
      let handledStep = -1;
      for (;;) {
        opts.onStage?.(handledStep < 0 ? 'wait for the first canary pause' : `wait for the step after ${handledStep}`);
        const at = await wait(
          handledStep < 0 ? 'the canary to pause at a step or finish' : `the canary to move past step ${handledStep}`,
          (s) =>
            failedOrNull(s) ??
            (promoted(s)
              ? { done: 'promoted' as const }
              : atCanaryPause(s) && (s.currentStepIndex ?? 0) > handledStep
                ? { done: 'paused' as const }
                : undefined),
        );
        if (at.value === 'promoted') break;
        const step = at.state.currentStepIndex ?? 0;
        opts.onStage?.(`check canary step ${step}`);
        const stepFailure = await check({ kind: 'canary-step', step });
        if (stepFailure) return await giveUp(stepFailure);
        if (opts.dryRun) return result('dry-run');
        await promote(opts.api, at.rollout, log);
        handledStep = step;
      }
      if (handledStep < 0 && initial.observed && promoted(initial)) {
        const activeFailure = await check({ kind: 'active' });
        return activeFailure ? await giveUp(activeFailure) : result('already-promoted');
      }
    }
    opts.onStage?.('check the active URL');
    const activeFailure = await check({ kind: 'active' });
    if (activeFailure) return await giveUp(activeFailure);
    return result('promoted');
  } catch (e) {
    if (e instanceof RolloutFailedError) return giveUp(e.message);
    if (e instanceof RolloutTimeoutError) return giveUp(e.message);
    throw e;
  }
}

function failedOrNull(s: RolloutState): { fail: string } | undefined {
  const why = failure(s);
  return why ? { fail: `the Rollout failed: ${why}` } : undefined;
}

export function stageName(stage: CheckStage): string {
  return stage.kind === 'canary-step' ? `canary step ${stage.step}` : stage.kind;
}

/**
 * `action: abort`: abort, then wait until the controller reports it (Degraded with RolloutAborted).
 * A Rollout that runs its stable revision, once the controller has seen its spec, has nothing to
 * abort and is left alone: the controller, given an abort there, neither aborts nor settles (it stays
 * Progressing, "updated replicas are still becoming available"). A workflow's clean-up step asks for
 * that when Argo CD never synced the bump.
 */
export async function abortRollout(
  api: RolloutApi,
  timeoutMs: number,
  log: Logger = silentLogger,
): Promise<{ state: RolloutState; aborted: boolean }> {
  requireStrategy(readState(await api.get()));
  const seen = await waitForRollout(api, {
    what: 'the controller to observe the Rollout',
    timeoutMs,
    logger: log,
    decide: (s) => (s.observed ? { done: true } : undefined),
  });
  const s = seen.state;
  if (!s.abort && s.currentPodHash !== undefined && s.currentPodHash === s.stableRS) {
    log.info(`nothing to abort: the Rollout runs its stable pods (${s.stableRS}) and no update is in progress`);
    return { state: s, aborted: false };
  }
  await abort(api, log);
  const done = await waitForRollout(api, {
    what: 'the controller to report the abort',
    timeoutMs,
    logger: log,
    decide: (st) => (st.abort && st.phase === 'Degraded' ? { done: true } : undefined),
  });
  return { state: done.state, aborted: true };
}

/** `action: status`: paused for promotion or Healthy is a success (unlike `kubectl argo rollouts status`). */
export async function rolloutStatus(api: RolloutApi): Promise<{ state: RolloutState; ok: boolean; line: string }> {
  const state = readState(await api.get());
  requireStrategy(state);
  const why = failure(state);
  const line = why ? `failed: ${why}` : describeState(state);
  return { state, ok: !why, line };
}
