// Metadata documents for the viewer's tests, built in code so each test says what it varies.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MetricPoint, ModelMetadata } from '../../packages/model-metadata/src/types.js';

const T0 = Date.UTC(2026, 10, 20, 9, 30, 0);

export function makeMetadata(over: Partial<ModelMetadata> = {}): ModelMetadata {
  const uri = 'http://mlflow.example.test:5000';
  const base: ModelMetadata = {
    schema_version: 1,
    model_name: 'prod-recommendation-engine',
    version: '3',
    stage: 'Production',
    description:
      'Recommends **items** for the home page.\n\n- trained on `2026-11` data\n- see [the design doc](https://example.test/doc)',
    run_id: 'a1b2c3d4e5f6',
    source_artifact_uri: 'mlflow-artifacts:/1/a1b2c3d4e5f6/artifacts/model',
    created_timestamp: T0 + 3_600_000,
    last_updated_timestamp: T0 + 7_200_000,
    metrics: { accuracy: 0.9132, val_loss: 0.2311, f1: 0.8842, rmse: 1.234, latency_ms: 12 },
    params: { lr: '0.01', epochs: '20', optimizer: 'adam' },
    tags: { team: 'recs', dataset: 'clicks-2026-11' },
    aliases: ['champion'],
    status: 'READY',
    model_id: null,
    model_version_tags: { validated: 'true' },
    registered_model: {
      name: 'prod-recommendation-engine',
      description: 'The recommender.',
      tags: {},
      aliases: { champion: '3' },
      created_timestamp: T0,
      last_updated_timestamp: T0,
    },
    run: {
      run_id: 'a1b2c3d4e5f6',
      experiment_id: '1',
      experiment_name: 'recommendations',
      run_name: 'nightly-2026-11-20',
      status: 'FINISHED',
      start_time: T0,
      end_time: T0 + 754_000,
      user_id: 'alice',
      git_commit: '0123456789abcdef0123456789abcdef01234567',
      artifact_uri: 'mlflow-artifacts:/1/a1b2c3d4e5f6/artifacts',
      lifecycle_stage: 'active',
    },
    metric_history: {},
    tracking_uri: uri,
    links: {
      registered_model: `${uri}/#/models/prod-recommendation-engine`,
      model_version: `${uri}/#/models/prod-recommendation-engine/versions/3`,
      run: `${uri}/#/experiments/1/runs/a1b2c3d4e5f6`,
      experiment: `${uri}/#/experiments/1`,
    },
    fetched_at: '2026-11-23T12:00:00Z',
  };
  return { ...base, ...over };
}

/** A version registered without a run: no metrics, params, tags or links to a run. */
export function emptyMetadata(): ModelMetadata {
  const m = makeMetadata({
    version: '1',
    stage: 'None',
    aliases: [],
    description: null,
    run_id: null,
    source_artifact_uri: null,
    metrics: {},
    params: {},
    tags: {},
    model_version_tags: {},
    run: null,
  });
  m.registered_model = { ...m.registered_model, description: null, aliases: {} };
  m.links = { ...m.links, model_version: m.links.model_version.replace(/3$/, '1'), run: null, experiment: null };
  return m;
}

function history(n: number, f: (i: number) => number): MetricPoint[] {
  return Array.from({ length: n }, (_, i) => ({ step: i, timestamp: T0 + i * 1000, value: f(i) }));
}

/** `metrics` metrics, the first `histories` of them with `points`-point histories. */
export function bigMetadata(metrics = 1000, histories = 20, points = 1000): ModelMetadata {
  const values: Record<string, number> = {};
  const hist: Record<string, MetricPoint[]> = {};
  for (let i = 0; i < metrics; i++) {
    const key =
      i % 3 === 0
        ? `layer_${String(i).padStart(4, '0')}_loss`
        : i % 3 === 1
          ? `class_${String(i).padStart(4, '0')}_accuracy`
          : `slice_${String(i).padStart(4, '0')}_auc`;
    values[key] = Number((((i * 7919) % 1000) / 1000).toFixed(4));
    if (i < histories)
      hist[key] = history(points, (s) => Math.exp(-s / (150 + i * 10)) + 0.05 * Math.sin(s / 15 + i) + 0.1);
  }
  return makeMetadata({ metrics: values, metric_history: hist });
}

/** The version currently in production, for comparisons: some metrics better, some worse. */
export function previousMetadata(current: ModelMetadata): ModelMetadata {
  const metrics: Record<string, number | 'NaN'> = {};
  for (const [k, v] of Object.entries(current.metrics)) if (typeof v === 'number') metrics[k] = v;
  metrics.accuracy = 0.9011; // now higher: better
  metrics.val_loss = 0.2011; // now higher: worse
  metrics.latency_ms = 15; // now lower: better
  metrics.retired_metric = 0.5; // not logged any more
  delete metrics.f1; // new in the current version
  return makeMetadata({ version: '2', stage: 'Archived', aliases: ['previous-production'], metrics });
}

/**
 * The previous version with histories of its own for the current version's metrics: a little
 * higher and shorter (80% of the steps), so the charts' axes must span both series.
 */
export function previousWithHistories(current: ModelMetadata): ModelMetadata {
  const prev = previousMetadata(current);
  prev.metric_history = Object.fromEntries(
    Object.entries(current.metric_history).map(([k, points]) => [
      k,
      points
        .slice(0, Math.ceil(points.length * 0.8))
        .map((p) => ({ ...p, value: typeof p.value === 'number' ? p.value * 1.1 + 0.02 : p.value })),
    ]),
  );
  return prev;
}

export function tempDir(prefix = 'viewer-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes the metadata as mlflow-metadata does (pretty JSON) into a fresh directory; returns its path. */
export function writeMetadata(m: ModelMetadata | string, dir = tempDir(), name = 'model_metadata.json'): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, typeof m === 'string' ? m : JSON.stringify(m, null, 2) + '\n');
  return file;
}
