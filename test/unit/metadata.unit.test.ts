import { describe, expect, it } from 'vitest';
import { toModelMetadata } from '../../packages/mlflow-client/src/metadata.js';
import { metricValue, quoteFilterValue } from '../../packages/mlflow-client/src/client.js';
import { closestNames } from '../../packages/mlflow-client/src/similar.js';
import { resolveAuth, retryPolicyFromEnv } from '../../packages/mlflow-client/src/config.js';
import { validateMetadata } from '../../packages/model-metadata/src/validate.js';

const fetchedAt = new Date('2026-11-23T12:00:00.123Z');

describe('toModelMetadata', () => {
  it('accepts an MLflow 1.x-shaped answer: no aliases, no model_id, run_uuid only, lists missing', () => {
    // Shaped like a 1.30 server's JSON: fields added later are absent, empty lists left out.
    const m = toModelMetadata({
      uiBase: 'https://mlflow.example.com',
      registeredModel: { name: 'old', creation_timestamp: '1600000000000', latest_versions: [] },
      modelVersion: {
        name: 'old',
        version: '4',
        current_stage: 'Production',
        source: 's3://b/m',
        run_id: 'abc',
        status: 'READY',
      },
      run: {
        info: { run_uuid: 'abc', experiment_id: '0', status: 'FINISHED', start_time: '1600000000000' },
        data: { metrics: [{ key: 'auc', value: 0.9 }] },
      },
      experiment: undefined,
      metricHistory: {},
      fetchedAt,
    });
    expect(validateMetadata(m)).toEqual([]);
    expect(m.aliases).toEqual([]);
    expect(m.model_id).toBeNull();
    expect(m.description).toBeNull();
    expect(m.run?.run_id).toBe('abc');
    expect(m.run?.end_time).toBeNull();
    expect(m.run?.experiment_name).toBeNull();
    expect(m.params).toEqual({});
    expect(m.registered_model.created_timestamp).toBe(1600000000000);
    expect(m.fetched_at).toBe('2026-11-23T12:00:00Z');
  });

  it("derives a version's aliases from the registered model when the server gives none on the version", () => {
    const m = toModelMetadata({
      uiBase: 'http://h',
      registeredModel: {
        name: 'm',
        aliases: [
          { alias: 'champion', version: '2' },
          { alias: 'old', version: '1' },
        ],
      },
      modelVersion: { name: 'm', version: '2' },
      run: undefined,
      experiment: undefined,
      metricHistory: {},
      fetchedAt,
    });
    expect(m.aliases).toEqual(['champion']);
    expect(m.run).toBeNull();
    expect(m.links.run).toBeNull();
    expect(validateMetadata(m)).toEqual([]);
  });

  it('keeps non-finite metric values as protobuf spells them, and the schema accepts them', () => {
    expect(['NaN', 'Infinity', '-Infinity', '0.5', 3, undefined].map((v) => metricValue(v as never))).toEqual([
      'NaN',
      'Infinity',
      '-Infinity',
      0.5,
      3,
      0,
    ]);
    const m = toModelMetadata({
      uiBase: 'http://h',
      registeredModel: { name: 'm' },
      modelVersion: { name: 'm', version: '1', run_id: 'r' },
      run: {
        info: { run_id: 'r', experiment_id: '1' },
        data: {
          metrics: [
            { key: 'x', value: 'NaN' },
            { key: 'y', value: 'Infinity' },
          ],
        },
      },
      experiment: { name: 'e' },
      metricHistory: { x: [{ step: 0, timestamp: 1, value: 'NaN' }] },
      fetchedAt,
    });
    expect(m.metrics).toEqual({ x: 'NaN', y: 'Infinity' });
    expect(validateMetadata(m)).toEqual([]);
  });

  it('the schema reports the first problem with its JSON path', () => {
    const bad = { ...baseDoc(), run: { ...baseDoc().run!, start_time: 'yesterday' } };
    expect(validateMetadata(bad)[0]).toEqual({ path: '$.run.start_time', message: 'must be integer,null' });
    const badMetric = { ...baseDoc(), metrics: { 'val loss': 'high' } };
    expect(validateMetadata(badMetric)[0]!.path).toBe('$.metrics["val loss"]');
    const extra = { ...baseDoc(), surprise: 1 };
    expect(validateMetadata(extra)[0]!.message).toContain("'surprise'");
  });
});

function baseDoc() {
  return toModelMetadata({
    uiBase: 'http://h',
    registeredModel: { name: 'm' },
    modelVersion: { name: 'm', version: '1', run_id: 'r' },
    run: { info: { run_id: 'r', experiment_id: '1', start_time: 5 } },
    experiment: undefined,
    metricHistory: {},
    fetchedAt,
  });
}

describe('helpers', () => {
  it('closest names: typos and substrings, nothing unrelated', () => {
    const names = [
      'prod-recommendation-engine',
      'prod-ranking-engine',
      'fraud-detector',
      'recommendation-engine-experimental',
    ];
    expect(closestNames('prod-recomendation-engine', names)[0]).toBe('prod-recommendation-engine');
    expect(closestNames('fraud', names)).toEqual(['fraud-detector']);
    expect(closestNames('zzzzzzzz', names)).toEqual([]);
  });

  it('filter values are quoted so that a quote in a name does not break the filter', () => {
    expect(quoteFilterValue('plain')).toBe("'plain'");
    expect(quoteFilterValue("o'brien")).toBe('"o\'brien"');
  });

  it('auth: basic wins over bearer; credentials in the URI become basic and leave the URI', () => {
    expect(resolveAuth('http://h', { username: 'u', password: 'p', token: 't' }).auth).toEqual({
      kind: 'basic',
      username: 'u',
      password: 'p',
    });
    expect(resolveAuth('http://h', { token: 't' }).auth).toEqual({ kind: 'bearer', token: 't' });
    const fromUri = resolveAuth('https://ann:s%40cret@mlflow.example.com/base/', {});
    expect(fromUri.uri).toBe('https://mlflow.example.com/base');
    expect(fromUri.auth).toEqual({ kind: 'basic', username: 'ann', password: 's@cret' });
    expect(fromUri.secrets).toEqual(['s@cret']);
  });

  it("retry settings from MLflow's environment variables, inputs first", () => {
    expect(retryPolicyFromEnv({})).toEqual({
      maxRetries: 7,
      backoffFactor: 2,
      backoffJitter: 1,
      maxBackoffSeconds: 120,
      timeoutMs: 120_000,
    });
    const p = retryPolicyFromEnv(
      { MLFLOW_HTTP_REQUEST_MAX_RETRIES: '2', MLFLOW_HTTP_REQUEST_TIMEOUT: '5' },
      { maxRetries: 4 },
    );
    expect([p.maxRetries, p.timeoutMs]).toEqual([4, 5000]);
    expect(() => retryPolicyFromEnv({ MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR: 'x' })).toThrow(
      /MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR must be a non-negative number/,
    );
  });
});

describe('experimentIdFromSource', () => {
  it("reads the experiment from MLflow's artifact layout, and only for the right run", async () => {
    const { experimentIdFromSource } = await import('../../packages/mlflow-client/src/metadata.js');
    expect(experimentIdFromSource('mlflow-artifacts:/12/abc123/artifacts/model', 'abc123')).toBe('12');
    expect(experimentIdFromSource('s3://bucket/mlruns/7/abc123/artifacts/model', 'abc123')).toBe('7');
    expect(experimentIdFromSource('s3://bucket/mlruns/7/other/artifacts/model', 'abc123')).toBeUndefined();
    expect(experimentIdFromSource('models:/m-0123456789', 'abc123')).toBeUndefined();
    expect(experimentIdFromSource(undefined, 'abc123')).toBeUndefined();
  });
});
