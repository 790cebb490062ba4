import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { runActionBundle } from '../helpers/run-action.js';
import { startFaultProxy, startRewriteProxy, startStaticServer, type Fault } from '../helpers/fault-proxy.js';

const { plain } = inject('mlflow');
const prod = plain.seed.prod_model;
const fastBackoff = { MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR: '0.05', MLFLOW_HTTP_REQUEST_BACKOFF_JITTER: '0.05' };
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function run(trackingUri: string, inputs: Record<string, string> = {}) {
  const cwd = mkdtempSync(join(tmpdir(), 'faults-'));
  const r = await runActionBundle(
    'mlflow-metadata',
    { 'tracking-uri': trackingUri, 'model-name': prod.name, 'model-version': '3', ...inputs },
    { env: fastBackoff, cwd },
  );
  return { ...r, cwd };
}

function failedCleanly(r: Awaited<ReturnType<typeof run>>, pattern: RegExp): void {
  expect(r.code).toBe(1);
  expect(r.errors).toHaveLength(1);
  expect(r.errors[0]).toMatch(pattern);
  expect(readdirSync(r.cwd)).toEqual([]);
}

describe('mlflow-metadata under network faults (a TCP proxy in front of the real server)', () => {
  it('a connection reset and two 503s are retried, and the run succeeds', async () => {
    const script: Fault[] = ['reset', '503', '503'];
    const proxy = await startFaultProxy(new URL(plain.url), (i) => script[i] ?? 'pass');
    closers.push(proxy.close);
    const r = await run(proxy.url);
    expect(r.errors, r.stdout).toEqual([]);
    expect(r.code).toBe(0);
    expect(proxy.connections.slice(0, 3)).toEqual(script);
    expect(proxy.connections.filter((c) => c === 'pass').length).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/connection reset by peer from .*; retry 1 of 7/);
    expect(r.stdout).toMatch(/HTTP 503 from .*; retry \d of 7/);
    const m = JSON.parse(readFileSync(r.outputs['metadata-file']!, 'utf8')) as { version: string; run_id: string };
    expect(m.version).toBe('3');
    expect(m.run_id).toBe(prod.run_ids[2]);
  });

  it('a server that always answers 503 is given up after max-retries, with a clear message', async () => {
    const proxy = await startFaultProxy(new URL(plain.url), () => '503');
    closers.push(proxy.close);
    const r = await run(proxy.url, { 'max-retries': '3' });
    failedCleanly(r, /answered 503 TEMPORARILY_UNAVAILABLE: injected by the fault proxy \(gave up after 4 attempts\)/);
    // Two lookups run in parallel; each made exactly 1 + max-retries attempts.
    expect(proxy.connections.length).toBeGreaterThanOrEqual(4);
    expect(proxy.connections.length).toBeLessThanOrEqual(8);
  });

  it('a server that always resets is given up after max-retries', async () => {
    const proxy = await startFaultProxy(new URL(plain.url), () => 'reset');
    closers.push(proxy.close);
    failedCleanly(
      await run(proxy.url, { 'max-retries': '2' }),
      /cannot reach MLflow at .*: connection reset by peer \(gave up after 3 attempts\)/,
    );
  });

  it('Retry-After is honoured', async () => {
    // A 429 with Retry-After: 1, then the real server: the run waits the second it was told.
    const limited = await startRetryAfterServer(new URL(plain.url));
    closers.push(limited.close);
    const started = Date.now();
    const r = await run(limited.url, { 'max-retries': '2' });
    expect(r.errors, r.stdout).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(r.stdout).toMatch(/HTTP 429 from .*retry 1 of 2 in 1\.\d s/);
  });
});

describe('mlflow-metadata against things that are not a healthy MLflow', () => {
  it('an SSO login page (HTML with 200)', async () => {
    const s = await startStaticServer(
      200,
      'text/html; charset=utf-8',
      '<!DOCTYPE html><html><body><form>Sign in</form></body></html>',
    );
    closers.push(s.close);
    failedCleanly(await run(s.url), /answered with an HTML page, not MLflow's JSON API \(a login page or a proxy\?\)/);
  });

  it('a redirect to a login page', async () => {
    const s = await startStaticServer(302, 'text/html', '', { location: 'https://sso.example.com/login' });
    closers.push(s.close);
    failedCleanly(await run(s.url), /redirected to https:\/\/sso\.example\.com\/login \(HTTP 302\)/);
  });

  it('a web server with no MLflow API (404 HTML)', async () => {
    const s = await startStaticServer(404, 'text/html', '<html><body>Not Found</body></html>');
    closers.push(s.close);
    failedCleanly(
      await run(s.url),
      /has no MLflow REST API \(registered-models\/get answered 404 with an HTML page\): check tracking-uri/,
    );
  });

  it.each([
    [
      'PENDING_REGISTRATION',
      undefined,
      /version 3 is still PENDING_REGISTRATION: wait until its registration finishes/,
    ],
    [
      'FAILED_REGISTRATION',
      'artifact copy failed',
      /version 3 is FAILED_REGISTRATION \(artifact copy failed\): register the model again/,
    ],
  ])('a version in %s (the real server behind a proxy that rewrites its status)', async (status, message, pattern) => {
    const proxy = await startRewriteProxy(new URL(plain.url), (path, body) => {
      const b = body as { model_version?: Record<string, unknown> };
      if (path.includes('/model-versions/get') && b.model_version) {
        b.model_version.status = status;
        if (message) b.model_version.status_message = message;
      }
      return b;
    });
    closers.push(proxy.close);
    failedCleanly(await run(proxy.url), pattern);
  });
});

/** Answers the first request with 429 + Retry-After: 1, then forwards to `target`. */
async function startRetryAfterServer(target: URL) {
  const http = await import('node:http');
  let limited = false;
  const server = http.createServer((req, res) => {
    if (!limited) {
      limited = true;
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
      res.end('{"error_code":"REQUEST_LIMIT_EXCEEDED","message":"slow down"}');
      return;
    }
    const up = http.request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (u) => {
        res.writeHead(u.statusCode ?? 502, u.headers);
        u.pipe(res);
      },
    );
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as import('node:net').AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
