import { ServiceError } from '@mlflow-actions/action-kit/errors';
import { mapLimit } from '@mlflow-actions/action-kit/concurrency';
import type { MetricValue, ModelMetadata, RunInfo } from '@mlflow-actions/model-metadata';
import { MlflowApiError, metricValue, type MlflowClient } from './client.js';
import { resolveModelVersion, type VersionRef } from './resolve.js';
import type { Experiment, KeyValue, MetricPoint, ModelVersion, RegisteredModel, Run } from './types.js';

export type MetricHistoryRequest = { kind: 'none' } | { kind: 'all' } | { kind: 'keys'; keys: string[] };

export interface FetchOptions {
  modelName: string;
  ref: VersionRef;
  metricHistory: MetricHistoryRequest;
  /** Metric histories fetched at once (one request per metric and page). */
  historyConcurrency?: number;
  now?: () => Date;
}

/**
 * Reads one model version, its registered model, run and experiment, and the metric histories
 * asked for, and shapes them into the metadata contract. Calls that do not depend on each other
 * run together: model + version, then run, then experiment + histories.
 */
export async function fetchModelMetadata(client: MlflowClient, opts: FetchOptions): Promise<ModelMetadata> {
  const { registeredModel, modelVersion } = await resolveModelVersion(client, opts.modelName, opts.ref);
  const runId = modelVersion.run_id || undefined;
  // MLflow stores a run's artifacts under <root>/<experiment_id>/<run_id>/artifacts, so the
  // version's source usually names the experiment: fetch it beside the run instead of after it
  // (one round trip less), and check the guess against the run once both are in.
  const guessedExperiment = runId ? experimentIdFromSource(modelVersion.source, runId) : undefined;
  const experimentP = (id: string) => client.getExperiment(id).catch(() => undefined);
  const guessedP = guessedExperiment ? experimentP(guessedExperiment) : undefined;
  let run: Run | undefined;
  if (runId) {
    try {
      run = await client.getRun(runId);
    } catch (e) {
      // A version may point at a run in another workspace or a deleted one: the registry
      // data is still worth deploying, so go on without run data rather than fail.
      if (!(e instanceof MlflowApiError && e.code === 'RESOURCE_DOES_NOT_EXIST')) throw e;
    }
  }
  const latest = run?.data?.metrics ?? [];
  const keys = historyKeys(
    opts.metricHistory,
    latest.map((m) => m.key ?? ''),
    runId,
  );
  const experimentId = run?.info?.experiment_id;
  const [experiment, histories] = await Promise.all([
    !experimentId ? undefined : experimentId === guessedExperiment ? guessedP : experimentP(experimentId),
    mapLimit(keys, opts.historyConcurrency ?? 8, (k) => client.getMetricHistory(runId!, k)),
  ]);
  const metricHistory: Record<string, MetricPoint[]> = {};
  keys.forEach((k, i) => (metricHistory[k] = histories[i]!));
  return toModelMetadata({
    uiBase: client.uiBase,
    registeredModel,
    modelVersion,
    run,
    experiment,
    metricHistory,
    fetchedAt: (opts.now ?? (() => new Date()))(),
  });
}

export function experimentIdFromSource(source: string | undefined, runId: string): string | undefined {
  if (!source) return undefined;
  const id = runId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`(?:^|[/:])(\\d+)/${id}/artifacts(?:/|$)`).exec(source);
  return m?.[1];
}

function historyKeys(req: MetricHistoryRequest, logged: string[], runId: string | undefined): string[] {
  if (req.kind === 'none') return [];
  if (req.kind === 'all') return logged.filter(Boolean).sort();
  const missing = req.keys.filter((k) => !logged.includes(k));
  if (missing.length) {
    const have = logged.length ? `it logged: ${logged.sort().slice(0, 30).join(', ')}` : 'it logged no metrics';
    throw new ServiceError(
      `metric-history asks for ${missing.map((k) => `'${k}'`).join(', ')}, not logged in run ${runId ?? '(none)'}; ${have}`,
    );
  }
  return req.keys;
}

const toMap = (kvs: KeyValue[] | undefined, keep: (k: string) => boolean = () => true): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const { key, value } of kvs ?? []) if (key !== undefined && keep(key)) out[key] = value ?? '';
  return out;
};

const ts = (v: number | string | undefined): number | null => (v === undefined || v === '' ? null : Number(v));
const str = (v: string | undefined): string | null => v ?? null;

/**
 * Pure mapping from MLflow REST shapes to the metadata contract, tolerant of every missing field
 * (older servers omit aliases, model_id, even empty lists).
 */
export function toModelMetadata(input: {
  uiBase: string;
  registeredModel: RegisteredModel;
  modelVersion: ModelVersion;
  run: Run | undefined;
  experiment: Experiment | undefined;
  metricHistory: Record<string, MetricPoint[]>;
  fetchedAt: Date;
}): ModelMetadata {
  const { uiBase, registeredModel: rm, modelVersion: mv, run, experiment } = input;
  const name = mv.name ?? rm.name ?? '';
  const version = mv.version ?? '';
  const enc = encodeURIComponent;
  const metrics: Record<string, MetricValue> = {};
  for (const m of run?.data?.metrics ?? [])
    if (m.key !== undefined) metrics[m.key] = metricValue(m.value) as MetricValue;
  const runTags = toMap(run?.data?.tags);
  const info = run?.info;
  const runId = info?.run_id ?? info?.run_uuid ?? mv.run_id;
  const runInfo: RunInfo | null =
    run && runId
      ? {
          run_id: runId,
          experiment_id: info?.experiment_id ?? '',
          experiment_name: experiment?.name ?? null,
          run_name: str(info?.run_name ?? runTags['mlflow.runName']),
          status: str(info?.status),
          start_time: ts(info?.start_time),
          end_time: ts(info?.end_time),
          user_id: str(info?.user_id || runTags['mlflow.user']),
          git_commit: str(runTags['mlflow.source.git.commit']),
          artifact_uri: str(info?.artifact_uri),
          lifecycle_stage: str(info?.lifecycle_stage),
        }
      : null;
  const expId = runInfo?.experiment_id;
  const aliasMap: Record<string, string> = {};
  for (const a of rm.aliases ?? []) if (a.alias && a.version) aliasMap[a.alias] = a.version;
  // Older servers give no aliases on the version: derive them from the registered model's.
  const aliases = mv.aliases ?? Object.keys(aliasMap).filter((a) => aliasMap[a] === version);
  return {
    schema_version: 1,
    model_name: name,
    version,
    stage: mv.current_stage ?? 'None',
    description: str(mv.description),
    run_id: str(mv.run_id || undefined),
    source_artifact_uri: str(mv.source),
    created_timestamp: ts(mv.creation_timestamp),
    last_updated_timestamp: ts(mv.last_updated_timestamp),
    metrics,
    params: toMap(run?.data?.params),
    tags: toMap(run?.data?.tags, (k) => !k.startsWith('mlflow.')),
    aliases: [...new Set(aliases)].sort(),
    status: (mv.status ?? 'READY') as ModelMetadata['status'],
    model_id: str(mv.model_id),
    model_version_tags: toMap(mv.tags),
    registered_model: {
      name: rm.name ?? name,
      description: str(rm.description),
      tags: toMap(rm.tags),
      aliases: aliasMap,
      created_timestamp: ts(rm.creation_timestamp),
      last_updated_timestamp: ts(rm.last_updated_timestamp),
    },
    run: runInfo,
    metric_history: input.metricHistory as ModelMetadata['metric_history'],
    tracking_uri: uiBase,
    links: {
      registered_model: `${uiBase}/#/models/${enc(name)}`,
      model_version: `${uiBase}/#/models/${enc(name)}/versions/${enc(version)}`,
      run: runInfo && expId ? `${uiBase}/#/experiments/${enc(expId)}/runs/${enc(runInfo.run_id)}` : null,
      experiment: expId ? `${uiBase}/#/experiments/${enc(expId)}` : null,
    },
    fetched_at: input.fetchedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}
