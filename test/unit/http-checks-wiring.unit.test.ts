import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@mlflow-actions/action-kit/log';
import { asText, parseChecks, runChecks, variablesNamedIn, versionCheck } from '@mlflow-actions/http-checks';

// What blue-green-promote relies on beyond ephemeral-test: URLs behind a path prefix (an ingress), and the
// variables to mask found in the raw text before it is parsed.
const seen: string[] = [];
const server = createServer((req, res) => {
  const token = [req.headers['x-admin-token'] ?? '-'].flat().join(',');
  seen.push(`${req.method} ${req.url} ${token}`);
  if (req.url === '/serving/version') res.writeHead(200, { 'content-type': 'application/json' }).end('{"version":3}');
  else res.writeHead(req.url === '/serving/health' ? 200 : 404).end();
});
let base = '';
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('http-checks as blue-green-promote uses them', () => {
  it('keeps the base URL path (a Service behind an ingress prefix) and resolves header variables', async () => {
    const checks = [...parseChecks('- path: /health\n  headers: { X-Admin-Token: "${TOKEN}" }\n'), versionCheck('3')];
    const results = await runChecks({
      baseUrl: `${base}/serving/`,
      checks,
      env: { TOKEN: 's3cret' },
      logger: silentLogger,
    });
    expect(results.map((r) => [r.name, r.passed])).toEqual([
      ['GET /health', true],
      ['version is 3', true],
    ]);
    expect(seen).toEqual(['GET /serving/health s3cret', 'GET /serving/version -']);
  });

  it('finds the variables to mask even in text that does not parse', () => {
    expect(variablesNamedIn('- path: /x\n  headers: { a: "${ONE}", b: "${TWO}${ONE}" }\n  : [')).toEqual([
      'ONE',
      'TWO',
    ]);
    expect(variablesNamedIn(undefined)).toEqual([]);
  });

  it('compares scalars by their text, and anything else as JSON', () => {
    expect([asText(3), asText('3'), asText(true), asText({ a: 1 }), asText(undefined)]).toEqual([
      '3',
      '3',
      'true',
      '{"a":1}',
      'undefined',
    ]);
  });
});
