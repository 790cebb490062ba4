import type { Logger } from '@mlflow-actions/action-kit/log';
import type { RolloutApi } from './rollout-api.js';
import type { Rollout } from './rollout-status.js';

/**
 * The merge patches of `kubectl argo rollouts promote` (argo-rollouts v1.10, cmd/promote/promote.go,
 * getPatches' default and --full cases): `spec` goes to the object, `status` to the status subresource, and
 * `unified` replaces both on the object when the status subresource answers 404.
 */
export interface PromotePatches {
  spec?: object;
  status?: object;
  unified: object;
}

export function promotePatches(r: Rollout, opts: { full?: boolean } = {}): PromotePatches {
  const paused = r.spec?.paused === true;
  const s = r.status ?? {};
  const unpause = { spec: { paused: false } };
  if (opts.full) {
    return {
      spec: paused ? unpause : undefined,
      status: s.currentPodHash !== s.stableRS ? { status: { promoteFull: true } } : undefined,
      unified: { spec: { paused: false }, status: { promoteFull: true } },
    };
  }
  const out: PromotePatches = {
    spec: paused ? unpause : undefined,
    unified: { spec: { paused: false }, status: { pauseConditions: null } },
  };
  const steps = r.spec?.strategy?.canary?.steps;
  const nextStep = () => {
    const index = s.currentStepIndex ?? 0;
    return steps && index < steps.length ? index + 1 : index;
  };
  const pauses = (s.pauseConditions ?? []).length > 0;
  const inconclusive = !!r.spec?.strategy?.canary && s.canary?.currentStepAnalysisRunStatus?.status === 'Inconclusive';
  if (inconclusive && pauses && s.controllerPause && steps?.length) {
    out.status = { status: { pauseConditions: null, controllerPause: false, currentStepIndex: nextStep() } };
  } else if (pauses) {
    out.status = { status: { pauseConditions: null } };
  } else if (r.spec?.strategy?.canary && steps?.length) {
    const index = nextStep();
    out.status = { status: { pauseConditions: null, currentStepIndex: index } };
    out.unified = { spec: { paused: false }, status: { pauseConditions: null, currentStepIndex: index } };
  }
  return out;
}

/** Promotes as the plugin does: the status patch first (404: fall back to the unified one), then the spec. */
export async function promote(
  api: RolloutApi,
  current: Rollout,
  log: Logger,
  opts: { full?: boolean } = {},
): Promise<void> {
  const p = promotePatches(current, opts);
  let spec = p.spec;
  if (p.status) {
    const patched = await api.patch(p.status, 'status');
    if (patched === undefined) {
      log.info('the status subresource answered 404: patching the Rollout object itself, as the kubectl plugin does');
      spec = p.unified;
    }
  }
  if (spec) await api.patch(spec, undefined);
}

/** `kubectl argo rollouts abort`: {"status":{"abort":true}} on the status subresource, else on the object. */
export async function abort(api: RolloutApi, log: Logger): Promise<void> {
  const patch = { status: { abort: true } };
  if ((await api.patch(patch, 'status')) === undefined) {
    log.info('the status subresource answered 404: patching the Rollout object itself, as the kubectl plugin does');
    await api.patch(patch, undefined);
  }
}
