/**
 * How Argo Rollouts' own tools read a Rollout's status (its kubectl plugin and controller, v1.10): only the
 * fields this package relies on are typed; everything is optional, as the API leaves unset fields out.
 */
export interface Rollout {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    generation?: number;
    resourceVersion?: string;
    annotations?: Record<string, string>;
  };
  spec?: {
    replicas?: number;
    paused?: boolean;
    strategy?: {
      blueGreen?: { activeService?: string; previewService?: string; autoPromotionEnabled?: boolean };
      canary?: { steps?: CanaryStep[] };
    };
  };
  status?: {
    phase?: string;
    message?: string;
    observedGeneration?: string;
    currentPodHash?: string;
    stableRS?: string;
    abort?: boolean;
    controllerPause?: boolean;
    promoteFull?: boolean;
    pauseConditions?: { reason?: string; startTime?: string }[] | null;
    currentStepIndex?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    blueGreen?: { activeSelector?: string; previewSelector?: string };
    canary?: { currentStepAnalysisRunStatus?: { status?: string } };
    conditions?: { type?: string; status?: string; reason?: string; message?: string }[];
  };
}

export interface CanaryStep {
  setWeight?: number;
  pause?: { duration?: string | number };
  [other: string]: unknown;
}

export type Strategy = 'blueGreen' | 'canary';

export const PAUSE_BLUE_GREEN = 'BlueGreenPause';
export const PAUSE_CANARY_STEP = 'CanaryPauseStep';
const REVISION_ANNOTATION = 'rollout.argoproj.io/revision';

/** A Rollout's status reduced to what a promotion decides on. */
export interface RolloutState {
  name: string;
  namespace: string;
  resourceVersion: string | undefined;
  strategy: Strategy | undefined;
  generation: number | undefined;
  /** Status describes the current spec: status.observedGeneration (a string) equals metadata.generation. */
  observed: boolean;
  phase: string | undefined;
  message: string | undefined;
  revision: string | undefined;
  specPaused: boolean;
  pauseReasons: string[];
  abort: boolean;
  currentPodHash: string | undefined;
  stableRS: string | undefined;
  activeSelector: string | undefined;
  previewSelector: string | undefined;
  currentStepIndex: number | undefined;
  stepCount: number;
  availableReplicas: number;
  updatedReplicas: number;
  /** The reason of the condition that explains a failure (RolloutAborted, ProgressDeadlineExceeded, ...). */
  failureReason: string | undefined;
}

export function readState(r: Rollout): RolloutState {
  const s = r.status ?? {};
  const strategy: Strategy | undefined = r.spec?.strategy?.blueGreen
    ? 'blueGreen'
    : r.spec?.strategy?.canary
      ? 'canary'
      : undefined;
  const generation = r.metadata?.generation;
  const failing = (s.conditions ?? []).find(
    (c) =>
      (c.type === 'Progressing' && c.status === 'False') ||
      (c.type === 'InvalidSpec' && c.status === 'True') ||
      c.reason === 'RolloutAborted',
  );
  return {
    name: r.metadata?.name ?? '',
    namespace: r.metadata?.namespace ?? '',
    resourceVersion: r.metadata?.resourceVersion,
    strategy,
    generation,
    observed: generation !== undefined && s.observedGeneration === String(generation),
    phase: s.phase,
    message: s.message,
    revision: r.metadata?.annotations?.[REVISION_ANNOTATION],
    specPaused: r.spec?.paused === true,
    pauseReasons: (s.pauseConditions ?? []).map((p) => p.reason ?? '').filter(Boolean),
    abort: s.abort === true,
    currentPodHash: s.currentPodHash,
    stableRS: s.stableRS,
    activeSelector: s.blueGreen?.activeSelector,
    previewSelector: s.blueGreen?.previewSelector,
    currentStepIndex: s.currentStepIndex,
    stepCount: r.spec?.strategy?.canary?.steps?.length ?? 0,
    availableReplicas: s.availableReplicas ?? 0,
    updatedReplicas: s.updatedReplicas ?? 0,
    failureReason: failing?.reason,
  };
}

/** Failed: phase Degraded (RolloutAborted, ProgressDeadlineExceeded, InvalidSpec) or an abort requested. */
export function failure(s: RolloutState): string | undefined {
  if (s.phase === 'Degraded' || s.abort) {
    const reason = s.failureReason ?? (s.abort ? 'RolloutAborted' : 'Degraded');
    return `${reason}${s.message ? `: ${s.message}` : ''}`;
  }
  if (s.phase === 'InvalidSpec') return `InvalidSpec${s.message ? `: ${s.message}` : ''}`;
  return undefined;
}

/** Blue/green, waiting for promotion: paused at BlueGreenPause on an observed spec. */
export function awaitingPromotion(s: RolloutState): boolean {
  return s.observed && s.phase === 'Paused' && s.pauseReasons.includes(PAUSE_BLUE_GREEN);
}

/**
 * The preview Service selects the new pods. The controller adds BlueGreenPause only once the new ReplicaSet
 * is available (replicasetutil.ReadyForPause), so together with awaitingPromotion this is "preview ready".
 */
export function previewSelected(s: RolloutState): boolean {
  return !!s.currentPodHash && s.previewSelector === s.currentPodHash;
}

/** Fully promoted: Healthy, and (blue/green) the active Service on the new pods, which are now stable. */
export function promoted(s: RolloutState): boolean {
  if (!s.observed || s.phase !== 'Healthy' || !s.currentPodHash || s.currentPodHash !== s.stableRS) return false;
  if (s.strategy === 'blueGreen') return s.activeSelector === s.currentPodHash;
  if (s.strategy === 'canary') return s.stepCount === 0 || (s.currentStepIndex ?? 0) >= s.stepCount;
  return false;
}

/** Canary, paused at a pause step (indefinite or timed) on an observed spec. */
export function atCanaryPause(s: RolloutState): boolean {
  return s.observed && s.phase === 'Paused' && s.pauseReasons.includes(PAUSE_CANARY_STEP);
}

/** One line for logs, timeouts and the summary. */
export function describeState(s: RolloutState): string {
  const parts = [
    `phase ${s.phase ?? '(none yet)'}${s.pauseReasons.length ? ` (${s.pauseReasons.join(', ')})` : ''}`,
    `revision ${s.revision ?? '?'}`,
    `generation ${s.generation ?? '?'}${s.observed ? '' : ' (not yet observed by the controller)'}`,
    `pod hash ${s.currentPodHash ?? '?'}`,
  ];
  if (s.strategy === 'blueGreen')
    parts.push(`active ${s.activeSelector ?? '-'}`, `preview ${s.previewSelector ?? '-'}`);
  if (s.strategy === 'canary') parts.push(`step ${s.currentStepIndex ?? 0}/${s.stepCount}`);
  parts.push(`stable ${s.stableRS ?? '-'}`);
  if (s.abort) parts.push('abort requested');
  if (s.message) parts.push(`message "${oneLine(s.message)}"`);
  return parts.join(', ');
}

/** Server text on one line, so it can never start a line the runner reads as a workflow command. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 500);
}
