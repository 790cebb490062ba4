import http from 'node:http';
import https from 'node:https';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { MlflowClient, fetchModelMetadata } from '../../packages/mlflow-client/src/index.js';
import type { RetryPolicy } from '../../packages/action-kit/src/http.js';
import { runActionBundle } from '../helpers/run-action.js';

const { plain } = inject('mlflow');
const h = plain.seed.history_model;
const retry: RetryPolicy = {
  maxRetries: 2,
  backoffFactor: 0.05,
  backoffJitter: 0,
  maxBackoffSeconds: 1,
  timeoutMs: 30_000,
};
const closers: (() => void)[] = [];
afterAll(() => closers.forEach((c) => c()));

/** A pass-through proxy that counts requests per endpoint and the most in flight at once. */
async function countingProxy(target: URL) {
  const stats = { byPath: new Map<string, number>(), inFlight: 0, maxInFlight: 0, pageTokens: 0 };
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]!;
    stats.byPath.set(path, (stats.byPath.get(path) ?? 0) + 1);
    if ((req.url ?? '').includes('page_token=')) stats.pageTokens++;
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    const up = http.request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (u) => {
        res.writeHead(u.statusCode ?? 502, u.headers);
        u.pipe(res);
        u.on('end', () => stats.inFlight--);
      },
    );
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => (server.closeAllConnections(), server.close()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, stats };
}

describe('MLflow client against the real server', () => {
  it('follows next_page_token through every page of a metric history', async () => {
    const proxy = await countingProxy(new URL(plain.url));
    const paged = new MlflowClient({ trackingUri: proxy.url, auth: { kind: 'none' }, retry, pageSize: 75 });
    const points = await paged.getMetricHistory(h.run_id, 'metric_07');
    paged.close();
    expect(points).toHaveLength(h.steps);
    expect(points.map((p) => p.step)).toEqual(Array.from({ length: h.steps }, (_, i) => i));
    const pages = Math.ceil(h.steps / 75);
    expect(proxy.stats.byPath.get('/api/2.0/mlflow/metrics/get-history')).toBe(pages);
    expect(proxy.stats.pageTokens).toBe(pages - 1);
    // The same points as one unpaginated read.
    const whole = new MlflowClient({ trackingUri: plain.url, auth: { kind: 'none' }, retry, pageSize: 100_000 });
    expect(await whole.getMetricHistory(h.run_id, 'metric_07')).toEqual(points);
    whole.close();
  });

  it('fetches many histories concurrently, never more than the bound at once', async () => {
    const proxy = await countingProxy(new URL(plain.url));
    const client = new MlflowClient({ trackingUri: proxy.url, auth: { kind: 'none' }, retry, pageSize: 500 });
    const m = await fetchModelMetadata(client, {
      modelName: h.name,
      ref: { kind: 'version', version: h.version },
      metricHistory: { kind: 'all' },
      historyConcurrency: 4,
    });
    client.close();
    expect(Object.keys(m.metric_history)).toHaveLength(h.metrics);
    expect(proxy.stats.byPath.get('/api/2.0/mlflow/metrics/get-history')).toBe(h.metrics * Math.ceil(h.steps / 500));
    expect(proxy.stats.maxInFlight).toBeGreaterThan(1);
    expect(proxy.stats.maxInFlight).toBeLessThanOrEqual(4);
  });
});

describe('TLS options, through an HTTPS proxy with a self-signed certificate', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  const target = new URL(plain.url);
  const server = https.createServer(
    { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
    (req, res) => {
      const up = http.request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
        (u) => {
          res.writeHead(u.statusCode ?? 502, u.headers);
          u.pipe(res);
        },
      );
      req.pipe(up);
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => (server.closeAllConnections(), server.close()));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const run = (env: Record<string, string>) =>
    runActionBundle(
      'mlflow-metadata',
      { 'tracking-uri': url, 'model-name': plain.seed.prod_model.name, 'model-version': '1', 'max-retries': '0' },
      {
        env,
        cwd: mkdtempSync(join(tmpdir(), 'tls-run-')),
      },
    );

  it('an untrusted certificate is refused, with what to do', async () => {
    const r = await run({});
    expect(r.code).toBe(1);
    expect(r.errors).toEqual([
      expect.stringMatching(/TLS certificate not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\): pass a CA bundle/),
    ]);
  });

  it('MLFLOW_TRACKING_SERVER_CERT_PATH trusts it', async () => {
    const r = await run({ MLFLOW_TRACKING_SERVER_CERT_PATH: join(dir, 'cert.pem') });
    expect(r.errors, r.stdout).toEqual([]);
    expect(r.outputs['model-version']).toBe('1');
  });

  it('MLFLOW_TRACKING_INSECURE_TLS=true skips verification', async () => {
    const r = await run({ MLFLOW_TRACKING_INSECURE_TLS: 'true' });
    expect(r.errors, r.stdout).toEqual([]);
    expect(r.outputs['model-version']).toBe('1');
  });

  it('both at once are refused, as MLflow refuses them', async () => {
    const r = await run({
      MLFLOW_TRACKING_INSECURE_TLS: 'true',
      MLFLOW_TRACKING_SERVER_CERT_PATH: join(dir, 'cert.pem'),
    });
    expect(r.errors).toEqual([
      expect.stringMatching(/MLFLOW_TRACKING_INSECURE_TLS and MLFLOW_TRACKING_SERVER_CERT_PATH are mutually exclusive/),
    ]);
  });
});
