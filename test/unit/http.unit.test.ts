import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  HttpClient,
  NetworkError,
  backoffSeconds,
  parseRetryAfter,
  type RetryPolicy,
} from '../../packages/action-kit/src/http.js';

const policy: RetryPolicy = {
  maxRetries: 3,
  backoffFactor: 2,
  backoffJitter: 1,
  maxBackoffSeconds: 120,
  timeoutMs: 2000,
};

describe('backoff as urllib3 computes it for MLflow', () => {
  it('first retry immediate, then factor * 2^(n-1), plus jitter, capped', () => {
    const noJitter = () => 0;
    expect([1, 2, 3, 4, 5].map((n) => backoffSeconds(n, policy, noJitter))).toEqual([0, 4, 8, 16, 32]);
    expect(backoffSeconds(3, policy, () => 0.5)).toBe(8.5);
    expect(backoffSeconds(20, policy, noJitter)).toBe(120);
  });

  it('Retry-After in seconds or as an HTTP date', () => {
    expect(parseRetryAfter('7')).toBe(7);
    expect(parseRetryAfter(new Date(Date.UTC(2026, 0, 1, 0, 0, 30)).toUTCString(), Date.UTC(2026, 0, 1))).toBe(30);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

describe('HttpClient against a local server', () => {
  let server: http.Server | undefined;
  afterEach(() => new Promise<void>((r) => (server ? (server.closeAllConnections(), server.close(() => r())) : r())));

  async function serve(handler: http.RequestListener): Promise<URL> {
    server = http.createServer(handler);
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/x`);
  }

  it('retries 503 and 429, honouring Retry-After, then returns the success', async () => {
    const answers = [503, 429, 200];
    const url = await serve((_q, s) => {
      const code = answers.shift()!;
      s.writeHead(code, code === 429 ? { 'retry-after': '3' } : {});
      s.end(String(code));
    });
    const sleeps: number[] = [];
    const c = new HttpClient({ policy: { ...policy, backoffJitter: 0 }, sleep: async (ms) => void sleeps.push(ms) });
    const res = await c.request({ url });
    c.close();
    expect(res.status).toBe(200);
    expect(res.attempts).toBe(3);
    expect(sleeps).toEqual([0, 4000]); // retry 1: immediate; retry 2: max(4 s backoff, 3 s Retry-After)
  });

  it('does not retry 4xx other than 408 and 429', async () => {
    let calls = 0;
    const url = await serve((_q, s) => {
      calls++;
      s.writeHead(404).end();
    });
    const c = new HttpClient({ policy, sleep: async () => undefined });
    expect((await c.request({ url })).status).toBe(404);
    c.close();
    expect(calls).toBe(1);
  });

  it('returns the last retryable answer after max retries', async () => {
    let calls = 0;
    const url = await serve((_q, s) => {
      calls++;
      s.writeHead(502).end();
    });
    const c = new HttpClient({ policy, sleep: async () => undefined });
    const res = await c.request({ url });
    c.close();
    expect(res.status).toBe(502);
    expect(res.attempts).toBe(4);
    expect(calls).toBe(4);
  });

  it('times out a silent server and says how long it waited', async () => {
    const url = await serve(() => undefined); // never answers
    const c = new HttpClient({ policy: { ...policy, maxRetries: 1, timeoutMs: 200 }, sleep: async () => undefined });
    const err = await c.request({ url }).catch((e: unknown) => e);
    c.close();
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as NetworkError).message).toBe('no answer within 200 ms (gave up after 2 attempts)');
  });

  it('gunzips a compressed body', async () => {
    const { gzipSync } = await import('node:zlib');
    const url = await serve((_q, s) => {
      s.writeHead(200, { 'content-encoding': 'gzip' });
      s.end(gzipSync('{"ok":true}'));
    });
    const c = new HttpClient({ policy });
    expect((await c.request({ url })).body.toString()).toBe('{"ok":true}');
    c.close();
  });
});
