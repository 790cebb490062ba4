import { ActionError } from '@mlflow-actions/action-kit/errors';
import { appendSummary, group, info, setOutput, runnerLogger } from '@mlflow-actions/action-kit/runner';
import { waitForArgoCdSync } from '@mlflow-actions/argocd';
import { MlflowClient } from '@mlflow-actions/mlflow-client';
import { aliasesOf, moveAlias, rollbackAlias, type AliasMove } from '@mlflow-actions/mlflow-client/aliases';
import {
  RolloutApi,
  abortRollout,
  loadKubeConfig,
  rolloutStatus,
  runPromotion,
  type PromotionResult,
} from '@mlflow-actions/rollouts';
import { checksFor } from './checks.js';
import type { Inputs } from './inputs.js';
import { summarize, type Report, type Seen } from './summary.js';

const now = () => new Date().toISOString().slice(11, 19);

export async function run(inputs: Inputs): Promise<void> {
  const registry = inputs.registry;
  const mlflow = registry
    ? new MlflowClient({
        trackingUri: registry.connection.trackingUri,
        auth: registry.connection.auth,
        tls: registry.connection.tls,
        retry: registry.connection.retry,
        logger: runnerLogger,
      })
    : undefined;
  try {
    if (inputs.mode === 'rollback-registry') {
      await registryRollback(inputs, mlflow!);
      return;
    }
    if (inputs.argocd) {
      const a = inputs.argocd;
      const synced = await group(`Wait for Argo CD application ${a.app}`, () =>
        waitForArgoCdSync({
          server: a.server,
          app: a.app,
          token: a.token,
          expectedRevision: a.expectedRevision,
          timeoutMs: inputs.timeoutSeconds * 1000,
          logger: runnerLogger,
        }),
      );
      info(`Argo CD application ${a.app} is Synced at ${synced.revision.slice(0, 12)} (health ${synced.health})`);
    }
    const kube = loadKubeConfig(inputs.kubeconfig, process.env);
    const namespace = inputs.namespace ?? kube.namespace ?? 'default';
    info(`Kubernetes API ${kube.server} (kubeconfig from ${kube.source}); Rollout ${namespace}/${inputs.rollout}`);
    const api = new RolloutApi(kube.kc, inputs.rollout, namespace, runnerLogger);
    if (inputs.mode === 'status') {
      await status(api);
      return;
    }
    if (inputs.mode === 'abort' && inputs.dryRun) {
      const s = await rolloutStatus(api);
      info(`dry run: would abort Rollout ${namespace}/${inputs.rollout} (${s.line})`);
      setOutput('result', 'dry-run');
      return;
    }
    if (inputs.mode === 'abort') {
      const { state, aborted } = await group('Abort the Rollout', () =>
        abortRollout(api, inputs.timeoutSeconds * 1000, runnerLogger),
      );
      const result = aborted ? 'aborted' : 'nothing-to-abort';
      setOutputs(result, await api.replicaSetRevision(state.stableRS), undefined);
      appendSummary(summarize({ inputs, result, history: [{ at: now(), state }] }));
      return;
    }
    await promote(inputs, api, mlflow);
  } finally {
    mlflow?.close();
  }
}

async function promote(inputs: Inputs, api: RolloutApi, mlflow: MlflowClient | undefined): Promise<void> {
  const registry = inputs.registry;
  // Read the aliases first: a missing model or a denied token fails before the Rollout is touched.
  const aliasesBefore = registry && mlflow ? await aliasesOf(mlflow, registry.modelName) : undefined;
  const history: Seen[] = [];
  const promotion: PromotionResult = await group(`Promote Rollout ${api.namespace}/${api.name}`, () =>
    runPromotion({
      api,
      timeoutMs: inputs.timeoutSeconds * 1000,
      autoRollback: inputs.autoRollback,
      dryRun: inputs.dryRun,
      runChecks: checksFor(inputs, process.env, runnerLogger),
      logger: runnerLogger,
      onState: (state) => history.push({ at: now(), state }),
      onStage: (what) => info(`-- ${what}`),
    }),
  );
  let aliasMove: AliasMove | undefined;
  const ok =
    promotion.result === 'promoted' || promotion.result === 'already-promoted' || promotion.result === 'dry-run';
  if (ok && registry && mlflow && registry.modelVersion) {
    aliasMove = await group(`Move MLflow alias ${registry.promoteAlias}`, () =>
      moveAlias(mlflow, {
        name: registry.modelName,
        alias: registry.promoteAlias,
        version: registry.modelVersion!,
        previousAlias: registry.previousAlias,
        dryRun: inputs.dryRun,
        logger: runnerLogger,
      }),
    );
  }
  // The revision that served before: the stable ReplicaSet when the action started, if that changed.
  const previousRevision =
    promotion.initial.stableRS && promotion.initial.stableRS !== promotion.final.stableRS
      ? await api.replicaSetRevision(promotion.initial.stableRS)
      : undefined;
  // After an abort the stable ReplicaSet serves again, not the Rollout's newest revision.
  const serving = promotion.result === 'promoted' || promotion.result === 'already-promoted';
  const activeRevision = serving ? promotion.final.revision : await api.replicaSetRevision(promotion.final.stableRS);
  setOutputs(
    promotion.result,
    activeRevision,
    previousRevision,
    promotion.checks.find((c) => c.stage.kind === 'active')?.outcome.version,
  );
  const report: Report = {
    inputs,
    result: promotion.result,
    reason: promotion.reason,
    history,
    checks: promotion.checks,
    aliasesBefore,
    aliasMove,
    previousRevision,
  };
  appendSummary(summarize(report));
  if (!ok) {
    const what =
      promotion.result === 'aborted'
        ? 'the Rollout was aborted'
        : 'the Rollout was left as it is (auto-rollback: false)';
    throw new ActionError(
      `${promotion.reason}; ${what} and the MLflow aliases were not moved: ` +
        'revert the GitOps change that started this release',
    );
  }
}

async function status(api: RolloutApi): Promise<void> {
  const s = await rolloutStatus(api);
  const result = !s.ok
    ? 'degraded'
    : s.state.pauseReasons.length
      ? 'paused'
      : s.state.phase === 'Healthy'
        ? 'healthy'
        : 'progressing';
  info(`Rollout ${api.namespace}/${api.name}: ${s.line}`);
  setOutputs(result, await api.replicaSetRevision(s.state.stableRS ?? s.state.currentPodHash), undefined);
  if (!s.ok) throw new ActionError(`Rollout ${api.namespace}/${api.name} ${s.line}`);
}

async function registryRollback(inputs: Inputs, mlflow: MlflowClient): Promise<void> {
  const r = inputs.registry!;
  const move = await rollbackAlias(mlflow, {
    name: r.modelName,
    alias: r.promoteAlias,
    previousAlias: r.previousAlias!,
    dryRun: inputs.dryRun,
    logger: runnerLogger,
  });
  setOutput('result', inputs.dryRun ? 'dry-run' : 'rolled-back');
  setOutput('active-version', move.version);
  appendSummary(summarize({ inputs, result: 'rolled-back', history: [], aliasMove: move }));
}

function setOutputs(
  result: string,
  activeRevision: string | undefined,
  previousRevision: string | undefined,
  activeVersion?: string,
): void {
  setOutput('result', result);
  setOutput('active-revision', activeRevision ?? '');
  setOutput('previous-revision', previousRevision ?? '');
  setOutput('active-version', activeVersion ?? '');
}
