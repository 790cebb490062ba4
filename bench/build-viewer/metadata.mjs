// Metadata documents for the benchmark (the same shapes as test/viewer/fixtures.ts, in plain JS so
// the benchmark runs on Node without a TypeScript loader).
const T0 = Date.UTC(2026, 10, 20, 9, 30, 0);
const uri = 'http://mlflow.example.test:5000';

export function metadata({ metrics = 5, histories = 0, points = 0 } = {}) {
  const values = {};
  const hist = {};
  for (let i = 0; i < metrics; i++) {
    const key =
      i % 3 === 0
        ? `layer_${String(i).padStart(4, '0')}_loss`
        : i % 3 === 1
          ? `class_${String(i).padStart(4, '0')}_accuracy`
          : `slice_${String(i).padStart(4, '0')}_auc`;
    values[key] = Number((((i * 7919) % 1000) / 1000).toFixed(4));
    if (i < histories)
      hist[key] = Array.from({ length: points }, (_, s) => ({
        step: s,
        timestamp: T0 + s * 1000,
        value: Math.exp(-s / (150 + i * 10)) + 0.05 * Math.sin(s / 15 + i) + 0.1,
      }));
  }
  return {
    schema_version: 1,
    model_name: 'prod-recommendation-engine',
    version: '3',
    stage: 'Production',
    description:
      'Recommends **items** for the home page.\n\n- trained on `2026-11` data\n- see [the design doc](https://example.test/doc)',
    run_id: 'a1b2c3d4e5f6',
    source_artifact_uri: 'mlflow-artifacts:/1/a1b2c3d4e5f6/artifacts/model',
    created_timestamp: T0,
    last_updated_timestamp: T0,
    metrics: values,
    params: { lr: '0.01', epochs: '20', optimizer: 'adam' },
    tags: { team: 'recs' },
    aliases: ['champion'],
    status: 'READY',
    model_id: null,
    model_version_tags: {},
    registered_model: {
      name: 'prod-recommendation-engine',
      description: null,
      tags: {},
      aliases: { champion: '3' },
      created_timestamp: T0,
      last_updated_timestamp: T0,
    },
    run: {
      run_id: 'a1b2c3d4e5f6',
      experiment_id: '1',
      experiment_name: 'recommendations',
      run_name: 'nightly',
      status: 'FINISHED',
      start_time: T0,
      end_time: T0 + 754_000,
      user_id: 'alice',
      git_commit: '0123456789abcdef0123456789abcdef01234567',
      artifact_uri: 'mlflow-artifacts:/1/a1b2c3d4e5f6/artifacts',
      lifecycle_stage: 'active',
    },
    metric_history: hist,
    tracking_uri: uri,
    links: {
      registered_model: `${uri}/#/models/prod-recommendation-engine`,
      model_version: `${uri}/#/models/prod-recommendation-engine/versions/3`,
      run: `${uri}/#/experiments/1/runs/a1b2c3d4e5f6`,
      experiment: `${uri}/#/experiments/1`,
    },
    fetched_at: '2026-11-23T12:00:00Z',
  };
}
